#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>

#include "agent/agent_config.h"
#include "agent/config_file.h"
#include "agent/temp_dir.h"
#include "swell/identity.h"

using namespace swell;
using namespace swell::agent;
using swell::test::TempDir;

namespace {

// A config that loads: later lines of a test's text may add to it.
constexpr std::string_view kBase = "bind = \"127.0.0.1:7946\"\n";

// Loads text as the config file; without a key setting in flags, data_dir is a fresh
// directory under dir, so the key is one run may create.
Result<AgentSettings> load(const TempDir& dir, std::string_view text, RunFlags flags = {}) {
  flags.config_file = dir.write("agent.toml", text);
  if (!flags.data_dir && !flags.key_file) flags.data_dir = dir.at("data");
  return load_settings(flags);
}

// The load failed with code, and its message holds every fragment.
void check_error(const Result<AgentSettings>& result, ErrorCode code, std::initializer_list<std::string_view> parts) {
  REQUIRE_FALSE(result.ok());
  const std::string& message = result.error().message;
  INFO("message: " << message);
  CHECK(result.error().code == code);
  for (std::string_view part : parts) CHECK(message.find(part) != std::string::npos);
}

}  // namespace

TEST_CASE("a config file with every key loads into the settings") {
  TempDir dir;
  auto s = load(dir, R"(
id = "backend-7"
bind = "0.0.0.0:7946"
advertise = "10.0.3.7:7946"
seeds = ["10.0.3.1:7946", "seed-2.example:7946"]
http = "10.0.3.7:7947"
http_token = "0123456789abcdef0123"
create_key = true
preset = "wan"
events_file = "/var/log/swell/events.jsonl"
quiet = true
leave_timeout_ms = 5000
cluster_label = "prod-eu"
encrypt = true
[peer]
address = "10.0.3.7:3000"
metrics_port = 9090
node_type = "proxy"
is_load_balancer = true
[tags]
zone = "eu-1"
gpu = "h100"
[join]
retry_initial_ms = 500
retry_max_ms = 60000
[protocol]
probe_interval_ms = 2500
stall_tolerance_ms = 0
suspicion_mult = 3
max_members = 1000
[event_handlers]
failed = "/usr/local/bin/on-failed"
joined = ["a", "b"]
timeout_ms = 2000
max_concurrent = 2
max_queued = 10
)");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  const AgentSettings& a = s.value();
  CHECK(a.info.id == "backend-7");
  CHECK(a.bind == "0.0.0.0:7946");
  CHECK(a.advertise == "10.0.3.7:7946");
  CHECK(a.seeds == std::vector<std::string>{"10.0.3.1:7946", "seed-2.example:7946"});
  CHECK(a.http == "10.0.3.7:7947");
  CHECK(a.quiet);
  CHECK(a.events_file == "/var/log/swell/events.jsonl");
  CHECK(a.leave_timeout == std::chrono::milliseconds(5000));
  CHECK(a.info.address == "10.0.3.7:3000");
  CHECK(a.info.metrics_port == 9090);
  CHECK(a.info.node_type == NodeType::proxy);
  CHECK(a.info.is_load_balancer);
  CHECK(a.preset == "wan");
  CHECK(a.config.probe_interval == std::chrono::milliseconds(2500));
  CHECK(a.config.probe_timeout == Config::wan().probe_timeout);  // the preset's, not lan's
  CHECK(a.config.stall_tolerance == Duration(0));
  CHECK(a.config.suspicion_mult == 3.0);
  CHECK(a.config.max_members == 1000);
  CHECK(a.config.join_retry_initial == std::chrono::milliseconds(500));
  CHECK(a.config.join_retry_max == std::chrono::seconds(60));
  CHECK(a.handlers.commands.count("failed") == 1);
  CHECK(a.handlers.commands.count("joined") == 2);
  CHECK(a.handlers.timeout == std::chrono::milliseconds(2000));
  CHECK(a.handlers.max_concurrent == 2);
  CHECK(a.handlers.max_queued == 10);
  CHECK(a.key_file == dir.at("data") + "/node.key");
  CHECK(a.config.cluster_label == "prod-eu");  // carried into the Config the node runs
  CHECK(a.config.encrypt);
}

TEST_CASE("cluster_label and encrypt: unnamed and clear by default, flags over the file") {
  TempDir dir;
  auto plain = load(dir, kBase);
  REQUIRE_MESSAGE(plain.ok(), plain.error().message);
  CHECK(plain.value().config.cluster_label.empty());
  CHECK_FALSE(plain.value().config.encrypt);
  RunFlags flags;
  flags.cluster_label = "staging";
  flags.encrypt = true;
  auto s = load(dir, std::string(kBase) + "cluster_label = \"prod\"\nencrypt = false\n", flags);
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  CHECK(s.value().config.cluster_label == "staging");
  CHECK(s.value().config.encrypt);
  check_error(load(dir, std::string(kBase) + "cluster_label = \"tab\there\"\n"), ErrorCode::invalid_config,
              {"agent.toml:2:", "cluster_label", "printable ASCII", "same label"});
  check_error(load(dir, std::string(kBase) + "cluster_label = \"" + std::string(65, 'x') + "\"\n"),
              ErrorCode::invalid_config, {"cluster_label", "at most 64 bytes"});
  check_error(load(dir, std::string(kBase) + "encrypt = \"yes\"\n"), ErrorCode::invalid_config,
              {"encrypt", "true or false"});
}

TEST_CASE("defaults: id is the host name, peer.address the advertise address, the key under data_dir") {
  TempDir dir;
  auto s = load(dir, "bind = \"0.0.0.0:7946\"\nadvertise = \"10.0.0.5:7946\"\n");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  char host[256] = {};
  REQUIRE(gethostname(host, sizeof host - 1) == 0);
  CHECK(s.value().info.id == host);
  CHECK(s.value().info.address == "10.0.0.5:7946");
  CHECK(s.value().key_file == dir.at("data") + "/node.key");
  CHECK(s.value().create_key);  // the key under data_dir is the agent's to create
  CHECK(s.value().http == "127.0.0.1:7947");
  CHECK(s.value().info.metadata.empty());
  // Loading creates nothing: run does, through prepare_data_dir and load_or_create_key.
  struct stat st {};
  CHECK(stat(dir.at("data").c_str(), &st) != 0);
}

TEST_CASE("flags override the file") {
  TempDir dir;
  RunFlags flags;
  flags.bind = "127.0.0.2:8000";
  flags.id = "from-flag";
  flags.node_type = "governator";
  flags.preset = "local";
  flags.address = "10.1.1.1:80";
  flags.metrics_port = 9100;
  flags.is_load_balancer = false;
  flags.events_file = "/tmp/events";
  flags.seeds = {"10.0.0.1:7946", "10.0.0.9:7946"};
  flags.tags = {"zone=us-2", "extra=1"};
  flags.event_handlers = {"failed=flag-cmd", "echo any", "left,recovered=both", "FOO=1 env-cmd"};
  flags.quiet = true;
  auto s = load(dir, R"(
bind = "127.0.0.1:7946"
id = "from-file"
preset = "wan"
seeds = ["10.0.0.1:7946"]
[peer]
node_type = "proxy"
address = "10.2.2.2:80"
metrics_port = 9090
is_load_balancer = true
[tags]
zone = "eu-1"
keep = "yes"
[protocol]
probe_timeout_ms = 100
[event_handlers]
failed = "file-cmd"
)", flags);
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  const AgentSettings& a = s.value();
  CHECK(a.bind == "127.0.0.2:8000");
  CHECK(a.info.id == "from-flag");
  CHECK(a.info.node_type == NodeType::governator);
  CHECK(a.info.address == "10.1.1.1:80");
  CHECK(a.info.metrics_port == 9100);
  CHECK_FALSE(a.info.is_load_balancer);
  CHECK(a.events_file == "/tmp/events");
  CHECK(a.quiet);
  // The flag's preset wins, and the file's [protocol] values apply over it.
  CHECK(a.preset == "local");
  CHECK(a.config.probe_interval == Config::local().probe_interval);
  CHECK(a.config.probe_timeout == std::chrono::milliseconds(100));
  CHECK(a.seeds == std::vector<std::string>{"10.0.0.1:7946", "10.0.0.9:7946"});  // added, once each
  CHECK(a.tags == Tags{{"zone", "us-2"}, {"keep", "yes"}, {"extra", "1"}});
  CHECK(a.info.metadata == encode_tags(a.tags));
  auto failed = a.handlers.commands.equal_range("failed");
  REQUIRE(std::distance(failed.first, failed.second) == 2);
  CHECK(failed.first->second == "file-cmd");  // the file's first, then the flag's
  CHECK(std::next(failed.first)->second == "flag-cmd");
  CHECK(a.handlers.commands.count("left") == 1);
  CHECK(a.handlers.commands.count("recovered") == 1);
  auto all = a.handlers.commands.equal_range("all");
  REQUIRE(std::distance(all.first, all.second) == 2);
  CHECK(all.first->second == "echo any");
  CHECK(std::next(all.first)->second == "FOO=1 env-cmd");  // not a kind before '=': a command
}

TEST_CASE("flags alone (no config file) are enough") {
  TempDir dir;
  RunFlags flags;
  flags.bind = "127.0.0.1:0";
  flags.address = "127.0.0.1:3000";
  flags.data_dir = dir.at("d");
  auto s = load_settings(flags);
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  CHECK(s.value().config_file.empty());
  CHECK(s.value().info.address == "127.0.0.1:3000");
}

TEST_CASE("tags are encoded into the metadata, within max_metadata_bytes") {
  TempDir dir;
  SUBCASE("encoded as a sorted JSON object") {
    auto s = load(dir, std::string(kBase) + "[tags]\nzone = \"eu-1\"\ngpu = \"h100\"\n");
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    const Bytes& m = s.value().info.metadata;
    CHECK(std::string(m.begin(), m.end()) == R"({"gpu":"h100","zone":"eu-1"})");
  }
  SUBCASE("exactly at the limit is fine, one byte over is not") {
    // {"k":"<v>"} is 8 bytes plus the value.
    const std::string fits = std::string(kBase) + "[protocol]\nmax_metadata_bytes = 64\n[tags]\nk = \"" +
                             std::string(56, 'v') + "\"\n";
    auto ok = load(dir, fits);
    REQUIRE_MESSAGE(ok.ok(), ok.error().message);
    CHECK(ok.value().info.metadata.size() == 64);
    const std::string over = std::string(kBase) + "[protocol]\nmax_metadata_bytes = 64\n[tags]\nk = \"" +
                             std::string(57, 'v') + "\"\n";
    check_error(load(dir, over), ErrorCode::invalid_config,
                {"agent.toml", "tags", "65 bytes", "1 over the limit of 64", "protocol.max_metadata_bytes"});
  }
  SUBCASE("a --tag pushing the tags over the limit names --tag") {
    RunFlags flags;
    flags.tags = {"big=" + std::string(600, 'x')};
    check_error(load(dir, kBase, flags), ErrorCode::invalid_config, {"--tag", "over the limit of 512"});
  }
}

TEST_CASE("every config file error names the file and the key, and says what to do") {
  TempDir dir;
  const auto E = ErrorCode::invalid_config;
  auto with = [&](std::string_view extra) { return load(dir, std::string(kBase) + std::string(extra)); };
  SUBCASE("missing file") {
    RunFlags flags;
    flags.config_file = dir.at("nope.toml");
    flags.data_dir = dir.at("data");
    check_error(load_settings(flags), ErrorCode::io, {dir.at("nope.toml"), "--config"});
  }
  SUBCASE("a directory instead of a file") {
    RunFlags flags;
    flags.config_file = dir.path();
    flags.data_dir = dir.at("data");
    check_error(load_settings(flags), ErrorCode::io, {dir.path(), "--config"});
  }
  SUBCASE("a file too large to be a config") {
    const std::string huge(kMaxConfigFileBytes + 1, '#');
    check_error(load(dir, huge), E, {"agent.toml", "larger than"});
  }
  SUBCASE("TOML syntax: file, line and column") {
    check_error(with("advertise = \n"), E, {"agent.toml:2:", "TOML syntax error"});
  }
  SUBCASE("unknown top-level key, with a suggestion") {
    check_error(with("advertize = \"10.0.0.1:7946\"\n"), E,
                {"agent.toml:2:1", "advertize", "unknown key", "did you mean advertise?"});
  }
  SUBCASE("unknown table") { check_error(with("[server]\nx = 1\n"), E, {"server", "unknown key"}); }
  SUBCASE("unknown key in [peer]") {
    check_error(with("[peer]\nadress = \"10.0.0.1:80\"\n"), E, {"peer.adress", "did you mean peer.address?"});
  }
  SUBCASE("unknown key in [protocol]") {
    check_error(with("[protocol]\nprobe_intervl_ms = 5\n"), E,
                {"protocol.probe_intervl_ms", "did you mean protocol.probe_interval_ms?"});
  }
  SUBCASE("unknown key in [join]") {
    check_error(with("[join]\nretries = 5\n"), E, {"join.retries", "retry_initial_ms"});
  }
  SUBCASE("unknown event kind") {
    check_error(with("[event_handlers]\njoind = \"x\"\n"), E, {"event_handlers.joind", "did you mean"});
  }
  SUBCASE("a string where a table goes") { check_error(with("peer = \"x\"\n"), E, {"peer", "must be a table"}); }
  SUBCASE("wrong type: string key") {
    check_error(with("advertise = 7946\n"), E, {"advertise", "must be a string, not an integer"});
  }
  SUBCASE("wrong type: seeds") {
    check_error(with("seeds = \"10.0.0.1:7946\"\n"), E, {"seeds", "must be an array of strings"});
  }
  SUBCASE("wrong type: an integer in seeds") {
    check_error(with("seeds = [\"10.0.0.1:7946\", 5]\n"), E, {"seeds", "must be a string"});
  }
  SUBCASE("wrong type: boolean") { check_error(with("quiet = \"yes\"\n"), E, {"quiet", "true or false"}); }
  SUBCASE("wrong type: integer") {
    check_error(with("leave_timeout_ms = \"3s\"\n"), E, {"leave_timeout_ms", "must be an integer"});
  }
  SUBCASE("wrong type: a float duration") {
    check_error(with("[protocol]\nprobe_interval_ms = 1.5\n"), E, {"protocol.probe_interval_ms", "integer"});
  }
  SUBCASE("wrong type: tag value") { check_error(with("[tags]\nzone = 1\n"), E, {"tags.zone", "must be a string"}); }
  SUBCASE("wrong type: handler") {
    check_error(with("[event_handlers]\nfailed = 3\n"), E, {"event_handlers.failed", "a string or an array"});
  }
  SUBCASE("bad bind: a host name") {
    check_error(load(dir, "bind = \"myhost:7946\"\n"), E, {"agent.toml:1:8", "bind", "numeric"});
  }
  SUBCASE("bad bind: no port") { check_error(load(dir, "bind = \"10.0.0.1\"\n"), E, {"bind", "port"}); }
  SUBCASE("bad advertise") { check_error(with("advertise = \"10.0.0.1\"\n"), E, {"advertise", "host:port"}); }
  SUBCASE("bad seed") {
    check_error(with("seeds = [\"10.0.0.1:99999\"]\n"), E, {"seeds", "10.0.0.1:99999", "1..65535"});
  }
  SUBCASE("bad http") { check_error(with("http = \"localhost\"\n"), E, {"http", "port", "\"\" for no HTTP API"}); }
  SUBCASE("bad peer.address") {
    check_error(with("[peer]\naddress = \"a b:80\"\n"), E, {"peer.address", "host:port"});
  }
  SUBCASE("bad node_type") {
    check_error(with("[peer]\nnode_type = \"bakend\"\n"), E, {"peer.node_type", "proxy, backend or governator"});
  }
  SUBCASE("bad metrics_port") {
    check_error(with("[peer]\nmetrics_port = 70000\n"), E, {"peer.metrics_port", "0..65535"});
  }
  SUBCASE("bad preset") { check_error(with("preset = \"lan2\"\n"), E, {"preset", "lan", "wan", "local"}); }
  SUBCASE("bad id") { check_error(with("id = \"my node\"\n"), E, {"id", "space"}); }
  SUBCASE("empty id") { check_error(with("id = \"\"\n"), E, {"id", "empty"}); }
  SUBCASE("bad tag name") {
    check_error(with("[tags]\n\"bad name\" = \"x\"\n"), E, {"tags.bad name", "letters, digits"});
  }
  SUBCASE("short http_token") { check_error(with("http_token = \"abc\"\n"), E, {"http_token", "16 to 256"}); }
  SUBCASE("negative duration") {
    check_error(with("leave_timeout_ms = -5\n"), E, {"leave_timeout_ms", "-5 is out of range", "1.."});
  }
  SUBCASE("zero duration") {
    check_error(with("[protocol]\nprobe_interval_ms = 0\n"), E, {"protocol.probe_interval_ms", "out of range"});
  }
  SUBCASE("zero join retry") {
    check_error(with("[join]\nretry_initial_ms = 0\n"), E, {"join.retry_initial_ms", "out of range"});
  }
  SUBCASE("zero count") { check_error(with("[protocol]\nmax_members = 0\n"), E, {"protocol.max_members"}); }
  SUBCASE("non-positive real") {
    check_error(with("[protocol]\nsuspicion_mult = -1.0\n"), E, {"protocol.suspicion_mult", "> 0"});
  }
  SUBCASE("handler limits") {
    check_error(with("[event_handlers]\nmax_concurrent = 0\n"), E, {"event_handlers.max_concurrent", "1..256"});
  }
  SUBCASE("empty handler command") {
    check_error(with("[event_handlers]\nleft = \"\"\n"), E, {"event_handlers.left", "empty"});
  }
  SUBCASE("Config::validate: a timeout longer than the interval") {
    check_error(with("[protocol]\nprobe_timeout_ms = 5000\n"), E,
                {"agent.toml", "protocol.probe_interval_ms", "must be > probe_timeout", "protocol.probe_timeout_ms"});
  }
  SUBCASE("Config::validate: join retries the wrong way round") {
    check_error(with("[join]\nretry_initial_ms = 9000\nretry_max_ms = 1000\n"), E,
                {"join.retry_initial_ms", "join_retry_max", "join.retry_max_ms"});
  }
  SUBCASE("Config::validate: metadata larger than half a datagram") {
    check_error(with("[protocol]\nmax_metadata_bytes = 1000\n"), E,
                {"protocol.max_metadata_bytes", "max_datagram_bytes / 2"});
  }
}

TEST_CASE("rules between settings name the keys and flags to set") {
  TempDir dir;
  const auto E = ErrorCode::invalid_config;
  SUBCASE("bind on every interface without advertise") {
    check_error(load(dir, "bind = \"0.0.0.0:7946\"\n"), E, {"agent.toml:1:8: bind", "advertise", "--advertise"});
  }
  SUBCASE("the default bind without advertise") {
    check_error(load(dir, ""), E, {"bind (default)", "0.0.0.0:7946", "--advertise"});
  }
  SUBCASE("bind on :: without advertise") {
    RunFlags flags;
    flags.bind = "[::]:7946";
    check_error(load(dir, "", flags), E, {"--bind", "advertise"});
  }
  SUBCASE("http beyond loopback without a token") {
    check_error(load(dir, std::string(kBase) + "http = \"0.0.0.0:7947\"\n"), E,
                {"http", "http_token", "--http-token", "127.0.0.1"});
  }
  SUBCASE("http on loopback needs no token") {
    for (const char* http : {"127.0.0.1:7947", "127.1.2.3:80", "[::1]:7947", ""}) {
      auto s = load(dir, std::string(kBase) + "http = \"" + http + "\"\n");
      CHECK_MESSAGE(s.ok(), http);
    }
  }
  SUBCASE("peer.address defaulting to an advertise address with port 0: left to the runtime") {
    auto s = load(dir, "bind = \"0.0.0.0:0\"\nadvertise = \"10.0.0.1:0\"\n");
    REQUIRE(s.ok());
    CHECK(s.value().info.address.empty());
  }
  SUBCASE("http on port 0") {
    CHECK(load(dir, std::string(kBase) + "http = \"127.0.0.1:0\"\n").ok());
  }
}

TEST_CASE("key rules") {
  TempDir dir;
  SUBCASE("no key_file and no data_dir") {
    RunFlags flags;
    flags.config_file = dir.write("agent.toml", kBase);
    check_error(load_settings(flags), ErrorCode::invalid_config,
                {"--data-dir", "--key-file", "swell-agent keygen"});
  }
  SUBCASE("a missing key file outside data_dir, without create_key") {
    RunFlags flags;
    flags.key_file = dir.at("elsewhere/node.key");
    check_error(load(dir, kBase, flags), ErrorCode::key_file_missing,
                {dir.at("elsewhere/node.key"), "swell-agent keygen " + dir.at("elsewhere/node.key"), "--create-key"});
  }
  SUBCASE("a missing key file with create_key") {
    RunFlags flags;
    flags.key_file = dir.at("elsewhere/node.key");
    flags.create_key = true;
    auto s = load(dir, kBase, flags);
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    CHECK(s.value().create_key);
  }
  SUBCASE("a key file given inside data_dir may be created") {
    RunFlags flags;
    flags.data_dir = dir.at("data");
    flags.key_file = dir.at("data/keys/../id.key");
    auto s = load(dir, kBase, flags);
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    CHECK(s.value().create_key);
  }
  SUBCASE("an existing key is fine") {
    auto id = Identity::generate();
    REQUIRE(id.ok());
    REQUIRE(id.value().save(dir.at("node.key")).ok());
    RunFlags flags;
    flags.key_file = dir.at("node.key");
    auto s = load(dir, kBase, flags);
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    CHECK_FALSE(s.value().create_key);
  }
  SUBCASE("a key_file that is a directory") {
    RunFlags flags;
    flags.key_file = dir.path();
    check_error(load(dir, kBase, flags), ErrorCode::invalid_config, {"--key-file", "not a regular file"});
  }
  SUBCASE("data_dir that is a file") {
    dir.write("file", "x");
    RunFlags flags;
    flags.config_file = dir.write("agent.toml", std::string(kBase) + "data_dir = \"" + dir.at("file") + "\"\n");
    check_error(load_settings(flags), ErrorCode::invalid_config,
                {"agent.toml:2:12: data_dir", "not a directory", "--data-dir"});
  }
}

TEST_CASE("every flag error names the flag") {
  TempDir dir;
  RunFlags flags;
  std::string flag;
  SUBCASE("--bind") { flags.bind = "nohost"; flag = "--bind"; }
  SUBCASE("--advertise") { flags.advertise = "x"; flag = "--advertise"; }
  SUBCASE("--http") { flags.http = "x"; flag = "--http"; }
  SUBCASE("--http-token") { flags.http_token = "short"; flag = "--http-token"; }
  SUBCASE("--id") { flags.id = "two words"; flag = "--id"; }
  SUBCASE("--node-type") { flags.node_type = "router"; flag = "--node-type"; }
  SUBCASE("--preset") { flags.preset = "fast"; flag = "--preset"; }
  SUBCASE("--cluster-label") { flags.cluster_label = std::string(65, 'x'); flag = "--cluster-label"; }
  SUBCASE("--address") { flags.address = "no-port"; flag = "--address"; }
  SUBCASE("--join") { flags.seeds = {"10.0.0.1"}; flag = "--join"; }
  SUBCASE("--tag") { flags.tags = {"novalue"}; flag = "--tag"; }
  SUBCASE("--tag name") { flags.tags = {"bad name=x"}; flag = "--tag"; }
  SUBCASE("--event-handler") { flags.event_handlers = {"failed="}; flag = "--event-handler"; }
  SUBCASE("--event-handler empty") { flags.event_handlers = {""}; flag = "--event-handler"; }
  auto s = load(dir, kBase, flags);
  REQUIRE_FALSE(s.ok());
  INFO("message: " << s.error().message);
  CHECK(s.error().code == ErrorCode::invalid_config);
  CHECK(s.error().message.rfind(flag + ": ", 0) == 0);
}

TEST_CASE("lib/agent/swell-agent.example.toml loads") {
  TempDir dir;
  RunFlags flags;
  flags.config_file = SWELL_AGENT_EXAMPLE_CONFIG;
  flags.data_dir = dir.at("data");  // keep the test off /var/lib
  auto s = load_settings(flags);
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  CHECK(s.value().info.id == "backend-7");
  CHECK_FALSE(s.value().seeds.empty());
  CHECK_FALSE(s.value().tags.empty());
  CHECK_FALSE(s.value().handlers.commands.empty());
}
