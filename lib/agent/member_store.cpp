#include "agent/member_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "agent/member_json.h"
#include "agent/whole_file.h"
#include "swell/peer_info.h"

namespace swell::agent {
namespace {

// Bumped when an entry's meaning changes; readers skip what they do not understand.
constexpr int kFormat = 1;

std::string members_path(const std::string& data_dir) { return data_dir + "/" + kMembersFileName; }

// Alive first: those are the likeliest to answer a join; suspect ones may still. Within
// a state, id order keeps the file the same for the same membership.
std::vector<const MemberSnapshot*> members_to_keep(const std::vector<MemberSnapshot>& members, std::size_t limit) {
  std::vector<const MemberSnapshot*> kept;
  for (MemberState state : {MemberState::alive, MemberState::suspect}) {
    std::vector<const MemberSnapshot*> group;
    for (const MemberSnapshot& m : members) {
      if (m.state == state && m.announcement && !m.announcement->swim_address.empty()) group.push_back(&m);
    }
    std::sort(group.begin(), group.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    for (const MemberSnapshot* m : group) {
      if (kept.size() == limit) return kept;
      kept.push_back(m);
    }
  }
  return kept;
}

std::vector<std::string> addresses_in(const std::string& text, const std::string& path, std::string& warning) {
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto* members = doc.is_object() && doc.contains("members") ? &doc["members"] : nullptr;
  if (members == nullptr || !members->is_array()) {
    warning = path + " is not a member list (corrupt?): ignored; only the configured seeds are tried";
    return {};
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::size_t skipped = 0;
  for (const auto& m : *members) {
    const auto* address = m.is_object() && m.contains("swim_address") ? &m["swim_address"] : nullptr;
    if (address == nullptr || !address->is_string() || !validate_address(address->get<std::string>()).ok()) {
      ++skipped;
      continue;
    }
    if (seen.insert(address->get<std::string>()).second) out.push_back(address->get<std::string>());
  }
  if (skipped > 0) {
    warning = path + ": " + std::to_string(skipped) + " entries without a valid swim_address were skipped";
  }
  return out;
}

}  // namespace

Result<void> save_members(const std::string& data_dir, const std::vector<MemberSnapshot>& members,
                          std::size_t limit) {
  const std::string path = members_path(data_dir);
  try {
    nlohmann::json list = nlohmann::json::array();
    for (const MemberSnapshot* m : members_to_keep(members, limit)) list.push_back(member_json(*m));
    const nlohmann::json doc = {{"format", kFormat}, {"members", std::move(list)}};
    // Names come from peers: replace invalid UTF-8 rather than throw on it.
    const std::string text = doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    return replace_whole_file(data_dir, path, text);
  } catch (const std::exception& e) {
    return Error{ErrorCode::io, "cannot write " + path + ": " + e.what()};
  }
}

std::vector<std::string> load_member_addresses(const std::string& data_dir, std::string* warning) {
  std::string note;
  std::vector<std::string> out;
  const std::string path = members_path(data_dir);
  try {
    auto text = read_whole_file(path, kMaxMembersFileBytes);
    if (!text.ok()) {
      note = text.error().message + ": only the configured seeds are tried";
    } else if (!text.value()) {
      note = "no " + path + " yet: only the configured seeds are tried";
    } else if (text.value()->size() > kMaxMembersFileBytes) {
      note = path + " is over " + std::to_string(kMaxMembersFileBytes) + " bytes, which no member list is: "
             "ignored; only the configured seeds are tried";
    } else {
      out = addresses_in(*text.value(), path, note);
    }
  } catch (const std::exception& e) {
    out.clear();
    note = path + " could not be read (" + e.what() + "): only the configured seeds are tried";
  }
  if (warning != nullptr) *warning = note;
  return out;
}

}  // namespace swell::agent
