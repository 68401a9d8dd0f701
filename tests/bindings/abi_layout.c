/* Prints the layout of include/swell/swell.h as the C compiler sees it: one line per
 * struct size, field offset, enum size and constant, "NAME VALUE". The Rust (tests/abi.rs)
 * and Python (test_swell.py) bindings compare their hand-written mirrors with it, so a
 * header change that a binding missed fails the suite instead of corrupting memory. */
#include <stddef.h>
#include <stdio.h>

#include "swell/swell.h"

#define SIZE(type) printf("sizeof.%s %zu\n", #type, sizeof(type))
#define FIELD(type, field) printf("offsetof.%s.%s %zu\n", #type, #field, offsetof(type, field))
#define CONST(name) printf("const.%s %lld\n", #name, (long long)(name))

int main(void) {
  SIZE(swell_member);
  FIELD(swell_member, node_id);
  FIELD(swell_member, node_id_hex);
  FIELD(swell_member, state);
  FIELD(swell_member, incarnation);
  FIELD(swell_member, id);
  FIELD(swell_member, address);
  FIELD(swell_member, swim_address);
  FIELD(swell_member, metrics_port);
  FIELD(swell_member, node_type);
  FIELD(swell_member, is_load_balancer);
  FIELD(swell_member, last_updated_ms);
  FIELD(swell_member, metadata);
  FIELD(swell_member, metadata_len);

  SIZE(swell_evidence);
  FIELD(swell_evidence, first_suspected_by_hex);
  FIELD(swell_evidence, confirmations);
  FIELD(swell_evidence, nacks_seen);
  FIELD(swell_evidence, probed_by_us);
  FIELD(swell_evidence, declared_by_hex);
  FIELD(swell_evidence, timeout_s);
  FIELD(swell_evidence, local_health);
  FIELD(swell_evidence, flapping);
  FIELD(swell_evidence, degraded);

  SIZE(swell_event);
  FIELD(swell_event, kind);
  FIELD(swell_event, member);
  FIELD(swell_event, has_evidence);
  FIELD(swell_event, evidence);
  FIELD(swell_event, previous_hex);

  SIZE(swell_agent_options);
  FIELD(swell_agent_options, size);
  FIELD(swell_agent_options, key_file);
  FIELD(swell_agent_options, generate_identity);
  FIELD(swell_agent_options, preset);
  FIELD(swell_agent_options, id);
  FIELD(swell_agent_options, address);
  FIELD(swell_agent_options, metrics_port);
  FIELD(swell_agent_options, node_type);
  FIELD(swell_agent_options, is_load_balancer);
  FIELD(swell_agent_options, metadata);
  FIELD(swell_agent_options, metadata_len);
  FIELD(swell_agent_options, bind_address);
  FIELD(swell_agent_options, advertise_address);
  FIELD(swell_agent_options, seeds);
  FIELD(swell_agent_options, seed_count);
  FIELD(swell_agent_options, on_event);
  FIELD(swell_agent_options, on_event_user_data);
  FIELD(swell_agent_options, event_queue_capacity);
  FIELD(swell_agent_options, cluster_label);
  FIELD(swell_agent_options, encrypt);

  SIZE(swell_node_type);
  SIZE(swell_member_state);
  SIZE(swell_event_kind);
  SIZE(swell_preset);
  SIZE(swell_status);

  CONST(SWELL_ABI_VERSION);
  CONST(SWELL_OK);
  CONST(SWELL_EINVAL);
  CONST(SWELL_ECONFIG);
  CONST(SWELL_EIO);
  CONST(SWELL_EKEY_MISSING);
  CONST(SWELL_EKEY_PERMISSIONS);
  CONST(SWELL_EKEY_CORRUPT);
  CONST(SWELL_ECRYPTO);
  CONST(SWELL_EPEER_INFO);
  CONST(SWELL_ENOT_RUNNING);
  CONST(SWELL_EWRONG_STATE);
  CONST(SWELL_EUNKNOWN_MEMBER);
  CONST(SWELL_EAGAIN);
  CONST(SWELL_EINTERNAL);
  CONST(SWELL_NODE_PROXY);
  CONST(SWELL_NODE_BACKEND);
  CONST(SWELL_NODE_GOVERNATOR);
  CONST(SWELL_STATE_ALIVE);
  CONST(SWELL_STATE_SUSPECT);
  CONST(SWELL_STATE_DEAD);
  CONST(SWELL_STATE_LEFT);
  CONST(SWELL_EVENT_JOINED);
  CONST(SWELL_EVENT_UPDATED);
  CONST(SWELL_EVENT_SUSPECTED);
  CONST(SWELL_EVENT_FAILED);
  CONST(SWELL_EVENT_LEFT);
  CONST(SWELL_EVENT_RECOVERED);
  CONST(SWELL_EVENT_NAME_CONFLICT);
  CONST(SWELL_EVENT_ROTATED);
  CONST(SWELL_PRESET_LAN);
  CONST(SWELL_PRESET_WAN);
  CONST(SWELL_PRESET_LOCAL);
  return 0;
}
