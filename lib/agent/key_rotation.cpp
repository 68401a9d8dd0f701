#include "agent/key_rotation.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "agent/admission_settings.h"
#include "agent/whole_file.h"

namespace swell::agent {
namespace {

// A key file is a few hundred bytes and a certificate about 150: anything far larger is
// not one.
constexpr std::size_t kMaxFileBytes = 64 * 1024;

std::string dir_of(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

Result<std::string> read_required(const std::string& path, const char* what) {
  auto text = read_whole_file(path, kMaxFileBytes);
  if (!text.ok()) return text.error();
  if (!text.value()) return Error{ErrorCode::io, std::string(what) + " " + path + " does not exist"};
  return std::move(*text.value());
}

// The files as they are now, to put back; a missing one stays missing.
struct Saved {
  std::string path;
  std::optional<std::string> text;
};

Result<void> restore(const Saved& saved) {
  if (!saved.text) {
    std::error_code ignored;
    std::filesystem::remove(saved.path, ignored);
    return success();
  }
  return replace_whole_file(dir_of(saved.path), saved.path, *saved.text);
}

}  // namespace

Result<RotationRequest> parse_rotation_body(const std::string& body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  auto bad = [](const std::string& why) {
    return Error{ErrorCode::invalid_argument,
                 "rotate-key body: " + why + R"(; send {"key_file":"/path/new.key","certificate_file":"/path/new.cert"})"};
  };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  RotationRequest r;
  for (const auto& [key, value] : j.items()) {
    if (key != "key_file" && key != "certificate_file") return bad("unknown key \"" + key + "\"");
    if (!value.is_string() || value.get_ref<const std::string&>().size() > 4096) {
      return bad("\"" + key + "\" must be a path (a string of at most 4096 bytes)");
    }
    (key == "key_file" ? r.key_file : r.certificate_file) = value.get<std::string>();
  }
  if (r.key_file.empty()) return bad("\"key_file\" is required");
  return r;
}

Result<NodeId> rotate_agent_key(Agent& agent, const InstalledFiles& installed, const RotationRequest& request) {
  auto next = Identity::load(request.key_file);
  if (!next.ok()) return next.error();
  const NodeId next_id = next.value().id();
  Bytes certificate;
  if (!request.certificate_file.empty()) {
    auto read = read_certificate_file(request.certificate_file);
    if (!read.ok()) return read.error();
    certificate = std::move(read.value());
  } else if (!installed.certificate_file.empty()) {
    return Error{ErrorCode::invalid_argument, "this agent admits by CA: give the new key's certificate "
                                              "(swell-agent ca sign --node " + next_id.to_hex() + ")"};
  }
  auto key_text = read_required(request.key_file, "key file");
  if (!key_text.ok()) return key_text.error();
  std::string cert_text;
  if (!request.certificate_file.empty()) {
    auto read = read_required(request.certificate_file, "certificate file");
    if (!read.ok()) return read.error();
    cert_text = std::move(read.value());
  }
  // Keep what is there, then install the new files: a crash from here on restarts with
  // the new key, which the cluster either already knows or meets as a new member.
  std::vector<Saved> saved;
  for (const std::string& path : {installed.key_file, installed.certificate_file}) {
    if (path.empty()) continue;
    auto text = read_whole_file(path, kMaxFileBytes);
    if (!text.ok()) return text.error();
    saved.push_back(Saved{path, text.value()});
  }
  if (auto ok = replace_whole_file(dir_of(installed.key_file), installed.key_file, key_text.value()); !ok.ok()) {
    return ok.error();
  }
  Result<void> rotated = success();
  if (!installed.certificate_file.empty()) {
    rotated = replace_whole_file(dir_of(installed.certificate_file), installed.certificate_file, cert_text);
  }
  if (rotated.ok()) rotated = agent.rotate_key(std::move(next.value()), std::move(certificate));
  if (rotated.ok()) return next_id;
  for (const Saved& s : saved) (void)restore(s);  // the old key is still the member's
  return rotated.error();
}

}  // namespace swell::agent
