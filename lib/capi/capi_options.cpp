// swell_agent_options_init and the translation of a caller's options into C++ types.
#include "capi/capi_options.h"

#include <chrono>
#include <cstddef>
#include <cstring>

#include "capi/capi_enum.h"
#include "capi/capi_errors.h"

namespace swell::capi {
namespace {

// Where each field of swell_agent_options ends. A caller built against an older
// (smaller) header passes its own size; only the fields wholly inside it are read.
#define SWELL_FIELD_END(field) (offsetof(swell_agent_options, field) + sizeof(swell_agent_options::field))
constexpr std::size_t kFieldEnds[] = {
    SWELL_FIELD_END(size),          SWELL_FIELD_END(key_file),           SWELL_FIELD_END(generate_identity),
    SWELL_FIELD_END(preset),        SWELL_FIELD_END(id),                 SWELL_FIELD_END(address),
    SWELL_FIELD_END(metrics_port),  SWELL_FIELD_END(node_type),          SWELL_FIELD_END(is_load_balancer),
    SWELL_FIELD_END(metadata),      SWELL_FIELD_END(metadata_len),       SWELL_FIELD_END(bind_address),
    SWELL_FIELD_END(advertise_address), SWELL_FIELD_END(seeds),          SWELL_FIELD_END(seed_count),
    SWELL_FIELD_END(on_event),      SWELL_FIELD_END(on_event_user_data), SWELL_FIELD_END(event_queue_capacity),
    SWELL_FIELD_END(cluster_label), SWELL_FIELD_END(encrypt),
};
#undef SWELL_FIELD_END
static_assert(kFieldEnds[std::size(kFieldEnds) - 1] <= sizeof(swell_agent_options), "a field is missing");

// Larger than any options struct will ever be: a size beyond it is garbage, not a newer header.
constexpr std::size_t kMaxOptionsSize = 4096;
// id is required, so a caller must at least know it.
constexpr std::size_t kMinOptionsSize = offsetof(swell_agent_options, id) + sizeof(swell_agent_options::id);

std::uint64_t unix_now_ms() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

Error invalid(std::string message) { return Error{ErrorCode::invalid_argument, std::move(message)}; }

Result<Config> config_of(const swell_agent_options& options) {
  switch (enum_value(options.preset)) {
    case SWELL_PRESET_LAN: return Config::lan();
    case SWELL_PRESET_WAN: return Config::wan();
    case SWELL_PRESET_LOCAL: return Config::local();
    default:
      return invalid("options->preset is " + std::to_string(enum_value(options.preset)) +
                     ": use SWELL_PRESET_LAN, SWELL_PRESET_WAN or SWELL_PRESET_LOCAL");
  }
}

Result<void> set_identity(const swell_agent_options& options, AgentOptions& out) {
  if (options.generate_identity != 0 && options.key_file != nullptr) {
    return invalid("options->key_file is set and options->generate_identity is 1: choose one");
  }
  if (options.generate_identity != 0) {
    auto identity = Identity::generate();
    if (!identity.ok()) return identity.error();
    out.identity.emplace(std::move(identity).value());
    return success();
  }
  if (options.key_file == nullptr) {
    return invalid("options->key_file is NULL and options->generate_identity is 0: give a key file "
                   "(swell-agent keygen PATH makes one) or set generate_identity");
  }
  out.key_file = options.key_file;
  return success();
}

Result<std::vector<std::string>> seeds_of(const swell_agent_options& options) {
  std::vector<std::string> seeds;
  if (options.seed_count == 0) return seeds;
  if (options.seeds == nullptr) {
    return invalid("options->seeds is NULL but options->seed_count is " + std::to_string(options.seed_count));
  }
  seeds.reserve(options.seed_count);
  for (std::size_t i = 0; i < options.seed_count; ++i) {
    if (options.seeds[i] == nullptr) return invalid("options->seeds[" + std::to_string(i) + "] is NULL");
    seeds.emplace_back(options.seeds[i]);
  }
  return seeds;
}

}  // namespace

swell_status complete_options(const swell_agent_options& caller, swell_agent_options* out) noexcept {
  const std::size_t size = caller.size;
  if (size < kMinOptionsSize || size > kMaxOptionsSize) {
    char message[200];
    std::snprintf(message, sizeof message,
                  "options->size is %zu, not a swell_agent_options size: call swell_agent_options_init first", size);
    return fail(SWELL_EINVAL, message);
  }
  // A newer caller's extra fields are acceptable only while they hold their zero default:
  // anything else asks for behaviour this library does not have.
  const auto* bytes = reinterpret_cast<const unsigned char*>(&caller);
  for (std::size_t i = sizeof(swell_agent_options); i < size; ++i) {
    if (bytes[i] != 0) {
      return fail(SWELL_EINVAL, "options come from a newer swell.h and set a field this library does not know; "
                                "upgrade libswell or leave the new fields at their defaults");
    }
  }
  swell_agent_options_init(out);
  std::size_t known = 0;
  for (const std::size_t end : kFieldEnds) {
    if (end <= size) known = end;
  }
  std::memcpy(out, &caller, known);
  out->size = sizeof(swell_agent_options);
  return SWELL_OK;
}

Result<PeerInfo> to_peer_info(const swell_agent_options& options, const PeerInfoLimits& limits,
                              const std::string& default_address) {
  if (options.id == nullptr) return invalid("options->id is NULL: give the member a name, e.g. \"backend-7\"");
  const int node_type = enum_value(options.node_type);
  if (node_type < SWELL_NODE_PROXY || node_type > SWELL_NODE_GOVERNATOR) {
    return invalid("options->node_type is " + std::to_string(node_type) +
                   ": use SWELL_NODE_PROXY, SWELL_NODE_BACKEND or SWELL_NODE_GOVERNATOR");
  }
  if (options.metadata_len > 0 && options.metadata == nullptr) {
    return invalid("options->metadata is NULL but options->metadata_len is " + std::to_string(options.metadata_len));
  }
  // Checked before copying, so an absurd length is never allocated.
  if (options.metadata_len > limits.max_metadata_bytes) {
    return Error{ErrorCode::invalid_peer_info, "options->metadata_len is " + std::to_string(options.metadata_len) +
                                                   ", over the limit of " + std::to_string(limits.max_metadata_bytes)};
  }
  PeerInfo info;
  info.id = options.id;
  info.address = options.address != nullptr ? std::string(options.address) : default_address;
  info.metrics_port = options.metrics_port;
  info.node_type = static_cast<NodeType>(node_type);
  info.is_load_balancer = options.is_load_balancer != 0;
  info.last_updated_ms = unix_now_ms();
  if (options.metadata_len > 0) info.metadata.assign(options.metadata, options.metadata + options.metadata_len);
  return info;
}

Result<AgentOptions> to_agent_options(const swell_agent_options& options) {
  AgentOptions out;
  auto config = config_of(options);
  if (!config.ok()) return config.error();
  out.config = config.value();
  // Checked with the rest of the Config when the agent starts (SWELL_ECONFIG, naming it).
  if (options.cluster_label != nullptr) out.config.cluster_label = options.cluster_label;
  out.config.encrypt = options.encrypt != 0;
  // An empty address is filled in by the runtime with the advertised swim address.
  auto info = to_peer_info(options, out.config.peer_info, "");
  if (!info.ok()) return info.error();
  out.info = std::move(info).value();
  if (auto identity = set_identity(options, out); !identity.ok()) return identity.error();
  if (options.bind_address != nullptr) out.bind_address = options.bind_address;
  if (options.advertise_address != nullptr) out.advertise_address = options.advertise_address;
  auto seeds = seeds_of(options);
  if (!seeds.ok()) return seeds.error();
  out.seeds = std::move(seeds).value();
  out.event_queue_capacity = options.event_queue_capacity;
  return out;
}

}  // namespace swell::capi

extern "C" void swell_agent_options_init(swell_agent_options* options) {
  if (options == nullptr) {
    (void)swell::capi::null_argument("swell_agent_options_init", "options");
    return;
  }
  // memset, not = {}: padding is zeroed too, so no indeterminate byte is ever copied.
  std::memset(options, 0, sizeof *options);
  options->size = sizeof *options;
  options->preset = SWELL_PRESET_LAN;
  options->node_type = SWELL_NODE_BACKEND;
  options->bind_address = "0.0.0.0:7946";
  options->event_queue_capacity = 4096;
}
