#include "agent/query_commands.h"

#include <httplib.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <ostream>

#include <nlohmann/json.hpp>

#include "agent/listen_address.h"
#include "agent/revocation_file.h"

namespace swell::agent {
namespace {

struct Answer {
  int status = 0;        // HTTP status; 0 when no agent answered
  nlohmann::json body;   // parsed JSON, or null
  std::string error;     // why there is no answer
};

Answer call(const ApiTarget& target, const std::string& method, const std::string& path,
            const std::string& body = {}, const char* content_type = "application/json") {
  const auto where = parse_listen_address(target.http);
  if (!where.ok() || where.value().port == 0) {
    return {0, nullptr, "--http '" + target.http + "' is not the numeric host:port of a running agent's API"};
  }
  httplib::Client client(where.value().host, where.value().port);
  client.set_connection_timeout(3);
  client.set_read_timeout(10);
  if (!target.token.empty()) client.set_bearer_token_auth(target.token);
  httplib::Result result = method == "GET"    ? client.Get(path)
                           : method == "PUT"  ? client.Put(path, body, content_type)
                                              : client.Post(path, body, content_type);
  if (!result) {
    return {0, nullptr,
            "no agent answered at " + target.http + " (" + httplib::to_string(result.error()) +
                "): is `swell-agent run` running with --http " + target.http + "?"};
  }
  Answer answer{result->status, nlohmann::json::parse(result->body, nullptr, false), {}};
  if (answer.body.is_discarded()) answer.body = nullptr;
  return answer;
}

// Prints why a call failed; returns the exit code for it.
int report_failure(const Answer& a, std::ostream& err) {
  if (a.status == 0) {
    err << "swell-agent: " << a.error << "\n";
    return kExitUnreachable;
  }
  std::string message = "HTTP " + std::to_string(a.status);
  if (a.body.is_object() && a.body.contains("error")) message += ": " + a.body["error"].dump();
  if (a.status == 401) message += " (pass --token, or set SWELL_HTTP_TOKEN)";
  err << "swell-agent: " << message << "\n";
  return a.status == 404 ? kExitNotFound : kExitFailure;
}

std::string field(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return "-";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

void print_member_table(nlohmann::json members, std::ostream& out) {
  // By name, as an operator scans it; the API's order is by node id.
  std::sort(members.begin(), members.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return field(a, "name") < field(b, "name"); });
  out << std::left << std::setw(20) << "NAME" << std::setw(10) << "ID" << std::setw(9) << "STATE" << std::setw(12)
      << "TYPE" << std::setw(24) << "ADDRESS" << std::setw(24) << "SWIM" << "INC\n";
  for (const auto& m : members) {
    out << std::setw(20) << field(m, "name") << std::setw(10) << field(m, "id").substr(0, 8) << std::setw(9)
        << field(m, "state") << std::setw(12) << field(m, "node_type") << std::setw(24) << field(m, "address")
        << std::setw(24) << field(m, "swim_address") << field(m, "incarnation") << "\n";
  }
}

}  // namespace

int members_command(const ApiTarget& target, const std::string& state, const std::string& node_type, bool json,
                    std::ostream& out, std::ostream& err) {
  std::string path = "/v1/members";
  httplib::Params params;
  if (!state.empty()) params.emplace("state", state);
  if (!node_type.empty()) params.emplace("node_type", node_type);
  if (!params.empty()) path = httplib::append_query_params(path, params);
  const Answer a = call(target, "GET", path);
  if (a.status != 200 || !a.body.is_array()) return report_failure(a, err);
  if (json) {
    out << a.body.dump(2) << "\n";
  } else {
    print_member_table(a.body, out);
  }
  return kExitOk;
}

int info_command(const ApiTarget& target, bool json, std::ostream& out, std::ostream& err) {
  const Answer a = call(target, "GET", "/v1/self");
  if (a.status != 200 || !a.body.is_object()) return report_failure(a, err);
  if (json) {
    out << a.body.dump(2) << "\n";
    return kExitOk;
  }
  // Nested objects (counters) one "section.key: value" line each, for grep.
  for (const auto& [key, value] : a.body.items()) {
    if (value.is_object()) {
      for (const auto& [inner, v] : value.items()) out << key << "." << inner << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
    } else {
      out << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
    }
  }
  return kExitOk;
}

int join_command(const ApiTarget& target, const std::vector<std::string>& seeds, std::ostream& out,
                 std::ostream& err) {
  const Answer a = call(target, "POST", "/v1/join", nlohmann::json{{"seeds", seeds}}.dump());
  if (a.status / 100 != 2) return report_failure(a, err);
  out << "contacting " << seeds.size() << " seed(s)\n";
  return kExitOk;
}

int leave_command(const ApiTarget& target, std::ostream& out, std::ostream& err) {
  const Answer a = call(target, "PUT", "/v1/leave");
  if (a.status / 100 != 2) return report_failure(a, err);
  out << "leaving\n";
  return kExitOk;
}

int force_leave_command(const ApiTarget& target, const std::string& member, std::ostream& out, std::ostream& err) {
  const Answer a = call(target, "POST", "/v1/force-leave/" + httplib::detail::encode_query_param(member));
  if (a.status / 100 != 2) return report_failure(a, err);
  out << member << " is marked left\n";
  return kExitOk;
}

int revoke_command(const ApiTarget& target, const std::string& file, std::ostream& out, std::ostream& err) {
  auto bytes = read_revocation_file(file);
  if (!bytes.ok()) {
    err << "swell-agent: " << bytes.error().message << "\n";
    return bytes.error().code == ErrorCode::io ? kExitFailure : kExitUsage;
  }
  const std::string body(bytes.value().begin(), bytes.value().end());
  const Answer a = call(target, "POST", "/v1/revocations", body, "application/octet-stream");
  if (a.status / 100 != 2) return report_failure(a, err);
  out << "revoked " << (a.body.is_object() && a.body.contains("revoked") ? a.body["revoked"].get<std::string>() : "")
      << "; the revocation spreads to every member\n";
  return kExitOk;
}

int rotate_key_command(const ApiTarget& target, const std::string& key_file, const std::string& certificate_file,
                       std::ostream& out, std::ostream& err) {
  nlohmann::json body = {{"key_file", std::filesystem::absolute(key_file).string()}};
  if (!certificate_file.empty()) body["certificate_file"] = std::filesystem::absolute(certificate_file).string();
  const Answer a = call(target, "POST", "/v1/rotate-key", body.dump(), "application/json");
  if (a.status / 100 != 2) return report_failure(a, err);
  out << "moved to key " << (a.body.is_object() && a.body.contains("id") ? a.body["id"].get<std::string>() : "")
      << "; its key file now holds the new key, and every member holds it under the new key\n";
  return kExitOk;
}

}  // namespace swell::agent
