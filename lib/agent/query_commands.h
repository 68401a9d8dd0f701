// The subcommands that talk to a running agent over its HTTP API: members, info, join,
// leave, force-leave, revoke. Each returns a process exit code (docs/agent.md, "Exit codes").
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace swell::agent {

/// Process exit codes of every swell-agent subcommand.
enum ExitCode : int {
  kExitOk = 0,           ///< Done.
  kExitFailure = 1,      ///< The agent failed at run time, or the API answered with an error.
  kExitUsage = 2,        ///< Bad flags or configuration: nothing was started or sent.
  kExitUnreachable = 3,  ///< No agent answered at the --http address.
  kExitNotFound = 4,     ///< The member asked for is not known to the agent.
};

/// Where the agent's HTTP API is and how to authenticate.
struct ApiTarget {
  std::string http = "127.0.0.1:7947";  ///< host:port of `run --http`.
  std::string token;                    ///< Bearer token, when the agent demands one.
};

/// `members`: the table (or JSON) of members, filtered by state and node type.
int members_command(const ApiTarget& target, const std::string& state, const std::string& node_type, bool json,
                    std::ostream& out, std::ostream& err);
/// `info`: this agent, its health score and counters.
int info_command(const ApiTarget& target, bool json, std::ostream& out, std::ostream& err);
/// `join ADDR...`: the agent contacts more seeds.
int join_command(const ApiTarget& target, const std::vector<std::string>& seeds, std::ostream& out,
                 std::ostream& err);
/// `leave`: the agent leaves gracefully and exits.
int leave_command(const ApiTarget& target, std::ostream& out, std::ostream& err);
/// `force-leave ID`: an operator marks a failed member left.
int force_leave_command(const ApiTarget& target, const std::string& member, std::ostream& out, std::ostream& err);
/// `revoke FILE`: the agent applies the revocation `ca revoke` wrote; it spreads from there.
int revoke_command(const ApiTarget& target, const std::string& file, std::ostream& out, std::ostream& err);
/// `rotate-key NEW_KEY [--certificate FILE]`: the agent moves to the new key (paths are
/// made absolute here: the agent's working directory is not ours).
int rotate_key_command(const ApiTarget& target, const std::string& key_file, const std::string& certificate_file,
                       std::ostream& out, std::ostream& err);

}  // namespace swell::agent
