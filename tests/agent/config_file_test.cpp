#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "agent/config_file.h"
#include "agent/key_suggestion.h"
#include "agent/protocol_keys.h"
#include "agent/setting_checks.h"

using namespace swell;
using namespace swell::agent;

namespace {

std::string read_text(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The ```toml block that follows the marker line in the doc.
std::string block_after(const std::string& doc, const std::string& marker) {
  const auto at = doc.find(marker);
  if (at == std::string::npos) return {};
  const auto start = doc.find("```toml\n", at);
  if (start == std::string::npos) return {};
  const auto body = start + 8;
  return doc.substr(body, doc.find("```", body) - body);
}

}  // namespace

TEST_CASE("suggest_key finds the key within two edits") {
  const std::vector<std::string_view> keys{"bind", "advertise", "seeds", "address"};
  CHECK(suggest_key("bnid", keys) == "bind");
  CHECK(suggest_key("advertize", keys) == "advertise");
  CHECK(suggest_key("adress", keys) == "address");
  CHECK(suggest_key("seed", keys) == "seeds");
  CHECK(suggest_key("completely_else", keys).empty());
  CHECK(suggest_key(std::string(100, 'a'), keys).empty());
}

TEST_CASE("--event-handler: kind=COMMAND, kinds=COMMAND or COMMAND") {
  struct Case {
    const char* text;
    std::vector<std::string> kinds;
    const char* command;
  };
  const Case cases[] = {
      {"failed=/bin/on-failed", {"failed"}, "/bin/on-failed"},
      {"left,recovered=handle.sh", {"left", "recovered"}, "handle.sh"},
      {"all=x", {"all"}, "x"},
      {"echo hi", {"all"}, "echo hi"},
      {"FOO=1 run.sh", {"all"}, "FOO=1 run.sh"},
      {"failed,FOO=1 x", {"all"}, "failed,FOO=1 x"},
      {"failed=a=b", {"failed"}, "a=b"},
  };
  for (const Case& c : cases) {
    auto parsed = parse_event_handler_flag(c.text);
    REQUIRE_MESSAGE(parsed.ok(), c.text);
    CHECK(parsed.value().first == c.kinds);
    CHECK(parsed.value().second == c.command);
  }
  CHECK_FALSE(parse_event_handler_flag("").ok());
  CHECK_FALSE(parse_event_handler_flag("failed=").ok());
}

TEST_CASE("is_loopback: 127.0.0.0/8, ::1 and localhost") {
  for (const char* yes : {"127.0.0.1:80", "127.255.0.9:1", "[::1]:80", "localhost:80", "LOCALHOST:80",
                          "[::ffff:127.0.0.1]:80"}) {
    CHECK_MESSAGE(is_loopback(yes), yes);
  }
  for (const char* no : {"0.0.0.0:80", "10.0.0.1:80", "[::]:80", "[fd00::1]:80", "example.com:80", "128.0.0.1:80"}) {
    CHECK_FALSE_MESSAGE(is_loopback(no), no);
  }
}

TEST_CASE("protocol keys set their Config fields over the preset") {
  Config config = Config::wan();
  ProtocolOverrides overrides;
  for (const ProtocolKey& k : protocol_keys()) {
    CHECK(find_protocol_key(k.key) == &k);
  }
  overrides["protocol.probe_interval_ms"] = ProtocolValue{4000, 0};
  overrides["protocol.suspicion_mult"] = ProtocolValue{0, 2.5};
  overrides["protocol.max_metadata_bytes"] = ProtocolValue{100, 0};
  overrides["join.retry_max_ms"] = ProtocolValue{90000, 0};
  REQUIRE(apply_protocol_overrides(overrides, config, "f.toml").ok());
  CHECK(config.probe_interval == std::chrono::seconds(4));
  CHECK(config.probe_timeout == Config::wan().probe_timeout);
  CHECK(config.suspicion_mult == 2.5);
  CHECK(config.peer_info.max_metadata_bytes == 100);
  CHECK(config.join_retry_max == std::chrono::seconds(90));
  CHECK(find_protocol_key("protocol.nope") == nullptr);
}

TEST_CASE("docs/agent.md documents every key, and its example loads") {
  const std::string doc = read_text(SWELL_AGENT_CONFIG_DOC);
  REQUIRE_FALSE(doc.empty());
  for (const ProtocolKey& k : protocol_keys()) {
    const std::string name(k.key.substr(k.key.find('.') + 1));
    CHECK_MESSAGE(doc.find("`" + name + "`") != std::string::npos, k.key);
  }
  for (const char* key : {"id", "bind", "advertise", "seeds", "http", "http_token", "data_dir", "key_file",
                          "create_key", "preset", "events_file", "quiet", "leave_timeout_ms", "address",
                          "metrics_port", "node_type", "is_load_balancer", "timeout_ms", "max_concurrent",
                          "max_queued", "mode", "allowlist_file", "trusted_cas", "certificate_file"}) {
    CHECK_MESSAGE(doc.find(std::string("`") + key + "`") != std::string::npos, key);
  }
  const std::string example = block_after(doc, "### A complete example");
  REQUIRE_FALSE(example.empty());
  AgentSettings settings;
  ConfigFileResult extra;
  auto ok = read_config_text(example, "docs/agent.md", settings, extra);
  CHECK_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
  // The doc's example is the example file.
  CHECK(example == read_text(SWELL_AGENT_EXAMPLE_CONFIG));
}

TEST_CASE("dotted keys reach their tables") {
  AgentSettings settings;
  ConfigFileResult extra;
  auto ok = read_config_text("peer.node_type = \"proxy\"\nprotocol.max_members = 10\n", "t.toml", settings, extra);
  REQUIRE_MESSAGE(ok.ok(), ok.error().message);
  CHECK(settings.info.node_type == NodeType::proxy);
  CHECK(extra.protocol.at("protocol.max_members").integer == 10);
  CHECK(extra.origins.at("peer.node_type").rfind("t.toml:1:", 0) == 0);
}

TEST_CASE("no input makes the reader throw") {
  // A fixed LCG: the same bytes every run.
  std::uint32_t state = 12345;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  const std::string alphabet = "[]{}=\"'.,#\n \\ab01-_:tfinx\xff";
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const std::size_t size = next() % 64;
    for (std::size_t i = 0; i < size; ++i) text.push_back(alphabet[next() % alphabet.size()]);
    AgentSettings settings;
    ConfigFileResult extra;
    CHECK_NOTHROW((void)read_config_text(text, "fuzz.toml", settings, extra));
  }
  const std::string deep = std::string(10000, '[');
  AgentSettings settings;
  ConfigFileResult extra;
  auto ok = read_config_text("a = " + deep, "deep.toml", settings, extra);
  CHECK_FALSE(ok.ok());
}
