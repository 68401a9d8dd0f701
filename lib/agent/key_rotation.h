// swell-agent's key rotation (`swell-agent rotate-key`, POST /v1/rotate-key): the running
// agent moves to a new key and the agent's own key file (and, in ca mode, certificate
// file) then hold the new one, so a restart comes back as the same member. The files are
// replaced before the rotation and put back if it fails: a restart never finds the
// retired key, which every member refuses (docs/security.md, "Key rotation").
//
//   RotationRequest r{"/etc/swell/new.key", "/etc/swell/new.cert"};
//   auto moved = rotate_agent_key(agent, installed, r);   // the new node id
#pragma once

#include <string>

#include "swell/agent.h"

namespace swell::agent {

/// Where the running agent keeps its key and certificate (its settings).
struct InstalledFiles {
  std::string key_file;          ///< The agent's key file (replaced by the new key).
  std::string certificate_file;  ///< ca mode: its certificate file (replaced); else empty.
};

/// What the operator hands over: the new key's file and, in ca mode, its certificate.
struct RotationRequest {
  std::string key_file;          ///< A key file (swell-agent keygen), readable by the agent.
  std::string certificate_file;  ///< Its certificate (swell-agent ca sign); required in ca mode.
};

/// {"key_file": "...", "certificate_file": "..."} (the second optional): the body of
/// POST /v1/rotate-key. Errors: invalid_argument naming what is wrong.
Result<RotationRequest> parse_rotation_body(const std::string& body);

/// Installs the new key (and certificate) over installed, rotates agent to it, and puts
/// the old files back if the rotation is refused. Errors: the key file's (Identity::load),
/// invalid_argument (ca mode without a certificate), io, Agent::rotate_key's.
Result<NodeId> rotate_agent_key(Agent& agent, const InstalledFiles& installed, const RotationRequest& request);

}  // namespace swell::agent
