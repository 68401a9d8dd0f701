/* swell.h: the C ABI over swell::Agent, for agents written in C, Rust, Go or Python.
 * C99; every symbol starts with swell_ (or SWELL_). docs/embedding.md has complete
 * examples in C, C++, Rust and Python.
 *
 *   swell_agent_options o;
 *   swell_agent_options_init(&o);              // sets o.size and every default
 *   o.key_file = "/var/lib/swell/node.key";
 *   o.id = "backend-7";
 *   o.address = "10.0.3.7:3000";
 *   o.node_type = SWELL_NODE_BACKEND;
 *   o.bind_address = "10.0.3.7:7946";
 *   const char* seeds[] = {"10.0.3.1:7946"};
 *   o.seeds = seeds; o.seed_count = 1;
 *   swell_agent* agent = NULL;
 *   if (swell_agent_start(&o, &agent) != SWELL_OK) {
 *     fprintf(stderr, "%s\n", swell_last_error_message());
 *     return 1;
 *   }
 *   swell_snapshot* snap = swell_agent_snapshot(agent);     // any thread, never blocks
 *   for (size_t i = 0; i < swell_snapshot_member_count(snap); ++i) {
 *     swell_member m;
 *     swell_snapshot_member(snap, i, &m);                     // valid while snap is held
 *   }
 *   swell_snapshot_free(snap);
 *   swell_agent_leave(agent, 2000);
 *   swell_agent_free(agent);                                 // stops it if running
 *
 * Errors: functions return a swell_status (SWELL_OK = 0, else a negated swell ErrorCode);
 * swell_strerror(code) names it and swell_last_error_message() gives the message of the
 * calling thread's last failed call (thread-local; a successful call leaves it as it
 * was; the string is valid until the thread's next failed swell_ call). Functions that
 * return no status (counts, strings, snapshots) return 0 or NULL on a bad argument and
 * record the message the same way. No C++ exception crosses this boundary (one that
 * would becomes SWELL_EINTERNAL); every pointer argument is checked (NULL gives
 * SWELL_EINVAL and a message naming the argument). Strings are UTF-8, NUL-terminated;
 * the caller keeps ownership of what it passes in (copied before the call returns).
 *
 * Threads: every function may be called from any thread unless its comment says
 * otherwise; calls on one agent may overlap, except that swell_agent_free must be the
 * last (no other call on that agent may be running or follow) and
 * swell_agent_poll_event is for one thread at a time per agent. The event callback
 * runs on the agent's loop thread, in order: it must be quick (it delays the protocol);
 * swell_agent_leave, swell_agent_stop and swell_agent_free on its own agent are refused
 * there (SWELL_EWRONG_STATE; free leaves the agent as it is and records the message).
 * When work is slow, poll events with swell_agent_poll_event from another thread.
 *
 * ABI: swell_agent_options carries its size, so fields may be appended without breaking
 * callers built against an older header. swell_member, swell_evidence and swell_event
 * are written by the library into the caller's memory: their layout is fixed for a
 * SWELL_ABI_VERSION, and changes to them bump it.
 */
#ifndef SWELL_SWELL_H
#define SWELL_SWELL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes; bumped on any incompatible change. */
#define SWELL_ABI_VERSION 2

/** Status codes: 0 is success, negative values are swell's ErrorCode negated. */
typedef int swell_status;
#define SWELL_OK 0                 /**< Success. */
#define SWELL_EINVAL (-1)          /**< A bad argument (NULL, out of range): fix the call. */
#define SWELL_ECONFIG (-2)         /**< A Config value out of range. */
#define SWELL_EIO (-3)             /**< The OS refused a socket or file operation. */
#define SWELL_EKEY_MISSING (-10)   /**< No key file at the path. */
#define SWELL_EKEY_PERMISSIONS (-11) /**< Key file readable by group/others: chmod 600 it. */
#define SWELL_EKEY_CORRUPT (-12)   /**< Key file truncated or inconsistent. */
#define SWELL_ECRYPTO (-13)        /**< libsodium failed (generating a key pair). */
#define SWELL_EPEER_INFO (-20)     /**< PeerInfo failed validation. */
#define SWELL_ENOT_RUNNING (-60)   /**< The agent is stopped or stopping. */
#define SWELL_EWRONG_STATE (-61)   /**< Not allowed in the agent's current phase. */
#define SWELL_EUNKNOWN_MEMBER (-62) /**< No member with that id in the agent's view. */
#define SWELL_EAGAIN (-100)        /**< Nothing to return now (swell_agent_poll_event). */
#define SWELL_EINTERNAL (-101)     /**< An unexpected internal failure (out of memory); the message says more. */

/** Member roles, as PeerInfo's node_type. */
typedef enum swell_node_type {
  SWELL_NODE_PROXY = 0,
  SWELL_NODE_BACKEND = 1,
  SWELL_NODE_GOVERNATOR = 2
} swell_node_type;

/** A member's state in an agent's view. */
typedef enum swell_member_state {
  SWELL_STATE_ALIVE = 0,
  SWELL_STATE_SUSPECT = 1,
  SWELL_STATE_DEAD = 2,
  SWELL_STATE_LEFT = 3
} swell_member_state;

/** What happened to a member. */
typedef enum swell_event_kind {
  SWELL_EVENT_JOINED = 0,
  SWELL_EVENT_UPDATED = 1,
  SWELL_EVENT_SUSPECTED = 2,
  SWELL_EVENT_FAILED = 3,
  SWELL_EVENT_LEFT = 4,
  SWELL_EVENT_RECOVERED = 5,
  SWELL_EVENT_NAME_CONFLICT = 6, /**< The member lost its PeerInfo id to another key (stays a member). */
  SWELL_EVENT_ROTATED = 7        /**< The member moved to a new key; previous_hex names the old one. */
} swell_event_kind;

/** Protocol presets (docs/protocol.md). */
typedef enum swell_preset {
  SWELL_PRESET_LAN = 0,
  SWELL_PRESET_WAN = 1,
  SWELL_PRESET_LOCAL = 2
} swell_preset;

typedef struct swell_agent swell_agent;       /**< A running member (opaque). */
typedef struct swell_snapshot swell_snapshot; /**< An immutable picture of an agent (opaque). */

/** One member as a snapshot or an event reports it. Pointers stay valid while the
 *  snapshot (or, in a callback, the call) lasts; copy what you keep. */
typedef struct swell_member {
  uint8_t node_id[32];        /**< The member's Ed25519 public key. */
  char node_id_hex[65];       /**< The same, as 64 lowercase hex characters. */
  swell_member_state state;   /**< Its state in this view. */
  uint64_t incarnation;       /**< Its incarnation (PeerInfo version). */
  const char* id;             /**< PeerInfo id (the member's name). */
  const char* address;        /**< PeerInfo address: where it serves. */
  const char* swim_address;   /**< host:port where it speaks swell. */
  uint16_t metrics_port;      /**< PeerInfo metrics_port (0: none). */
  swell_node_type node_type;  /**< PeerInfo node_type. */
  int is_load_balancer;       /**< PeerInfo is_load_balancer (0 or 1). */
  uint64_t last_updated_ms;   /**< PeerInfo last_updated_ms. */
  const uint8_t* metadata;    /**< PeerInfo metadata bytes (may be NULL when empty). */
  size_t metadata_len;        /**< Their length. */
} swell_member;

/** Why a member was declared failed (set for SWELL_EVENT_FAILED). */
typedef struct swell_evidence {
  char first_suspected_by_hex[65]; /**< Who raised the suspicion acted on. */
  size_t confirmations;            /**< Distinct other members that also suspected it. */
  int nacks_seen;                  /**< Nacks our indirect probe got. */
  int probed_by_us;                /**< 1 if our own probe failed too. */
  char declared_by_hex[65];        /**< Who declared it failed. */
  double timeout_s;                /**< The suspicion timeout when it fired (0: someone else's verdict). */
  int local_health;                /**< Our Lifeguard health score then. */
  int flapping;                    /**< 1: held down for refuting confirmed suspicions too often. */
  int degraded;                    /**< 1: held down for answering too few of our direct pings. */
} swell_evidence;

/** A membership event. */
typedef struct swell_event {
  swell_event_kind kind;      /**< What happened. */
  swell_member member;        /**< To whom, in the state the event leaves it. */
  int has_evidence;           /**< 1 when evidence is set (failed). */
  swell_evidence evidence;    /**< Why it failed. */
  char previous_hex[65];      /**< SWELL_EVENT_ROTATED: the key the member moved from (else empty). */
} swell_event;

/** Called on the agent's loop thread for every event, in order; event and the strings
 *  it points to are valid during the call only. */
typedef void (*swell_event_callback)(const swell_event* event, void* user_data);

/** Everything swell_agent_start needs. Initialise with swell_agent_options_init, which
 *  sets size (so a newer library can tell how much of the struct a caller knows: fields
 *  past a smaller size take their defaults; a larger size is accepted while the fields
 *  this library does not know are all zero; size 0 or over 4096 is SWELL_EINVAL). */
typedef struct swell_agent_options {
  size_t size;                       /**< sizeof(swell_agent_options) of the caller's header. */
  const char* key_file;              /**< Identity key file; NULL with generate_identity for a fresh one. */
  int generate_identity;             /**< 1: a fresh in-memory key pair (tests; the id changes per start). */
  swell_preset preset;               /**< Protocol preset (default LAN). */
  const char* id;                    /**< PeerInfo id (required). */
  const char* address;               /**< PeerInfo address (where it serves); NULL: the advertised swim address. */
  uint16_t metrics_port;             /**< PeerInfo metrics_port. */
  swell_node_type node_type;         /**< PeerInfo node_type (default backend). */
  int is_load_balancer;              /**< PeerInfo is_load_balancer. */
  const uint8_t* metadata;           /**< PeerInfo metadata (copied). */
  size_t metadata_len;               /**< Its length (default limit 512). */
  const char* bind_address;          /**< UDP+TCP bind host:port (default and NULL: "0.0.0.0:7946"; port 0 picks one). */
  const char* advertise_address;     /**< host:port peers use (NULL: the bound one); required when bound to 0.0.0.0 or ::. */
  const char* const* seeds;          /**< host:port of members to join through. */
  size_t seed_count;                 /**< Number of seeds. */
  swell_event_callback on_event;     /**< May be NULL. */
  void* on_event_user_data;          /**< Passed to on_event. */
  size_t event_queue_capacity;       /**< Events kept for swell_agent_poll_event (default 4096; 0: none). */
  const char* cluster_label;         /**< The cluster's name (docs/security.md); NULL or "": the unnamed cluster. */
  int encrypt;                       /**< 1: encrypt every message (XChaCha20-Poly1305); every member must agree. */
} swell_agent_options;

/** The ABI version of the loaded library (compare with SWELL_ABI_VERSION). */
int swell_abi_version(void);
/** The library's version string, e.g. "0.1.0". */
const char* swell_version(void);
/** A short stable name for a status ("ok", "invalid_argument", "again", "internal", ...;
 *  "unknown_error" for a number swell never returns); never NULL, static storage. */
const char* swell_strerror(swell_status status);
/** The message of the calling thread's last failed call ("" if none). */
const char* swell_last_error_message(void);

/** Fills options with the defaults (everything 0/NULL except size, preset LAN, node_type
 *  backend, bind_address "0.0.0.0:7946", event_queue_capacity 4096). */
void swell_agent_options_init(swell_agent_options* options);
/** Binds, starts (on its own loop thread) and joins; *out is set on success (NULL on
 *  failure). SWELL_EINVAL: a NULL, missing or out-of-range option (the message names
 *  it); SWELL_ECONFIG; SWELL_EPEER_INFO (id, address, metadata); SWELL_EIO (port in use,
 *  address not local); SWELL_EKEY_* (key_file). The callback may run before it returns. */
swell_status swell_agent_start(const swell_agent_options* options, swell_agent** out);
/** Graceful leave: announces it and waits up to timeout_ms for it to spread; then the
 *  agent still answers until stopped. SWELL_ENOT_RUNNING once stopped; refused from the callback. */
swell_status swell_agent_leave(swell_agent* agent, uint32_t timeout_ms);
/** Closes every socket and waits for the loop thread; idempotent. Refused from the callback.
 *  Snapshots and swell_agent_id/address still work after it. */
swell_status swell_agent_stop(swell_agent* agent);
/** Stops the agent if running and frees it (and the last polled event); NULL is a
 *  no-op. Refused (nothing freed) from the agent's own callback. */
void swell_agent_free(swell_agent* agent);
/** Announces new PeerInfo fields at a higher incarnation: id (required), address (NULL:
 *  the advertised swim address), metrics_port, node_type, is_load_balancer and metadata
 *  are read from options as swell_agent_start reads them; the rest is ignored. Applied on
 *  the loop without waiting (allowed in the callback); after a leave it is ignored. */
swell_status swell_agent_set_local_info(swell_agent* agent, const swell_agent_options* options);
/** Contacts more seeds (host:port, numeric): tried while joining, exchanged with at once
 *  when joined (how two clusters are merged). Waits until the loop took them.
 *  SWELL_EINVAL (no seed, or a bad address: none is used), SWELL_EWRONG_STATE (leaving);
 *  refused from the callback. */
swell_status swell_agent_join(swell_agent* agent, const char* const* seeds, size_t seed_count);
/** An operator's verdict on a failed member (node_id_hex as swell_member gives it): held
 *  as left here and at every member that also holds it failed; a member that is only cut
 *  off refutes it. Waits until the loop applied it. SWELL_EUNKNOWN_MEMBER, SWELL_EINVAL
 *  (not a node id, or the member is not failed here); refused from the callback. */
swell_status swell_agent_force_leave(swell_agent* agent, const char* node_id_hex);
/** This agent's node id as 64 lowercase hex characters (valid until swell_agent_free); NULL for NULL. */
const char* swell_agent_id(const swell_agent* agent);
/** The advertised swim host:port, bound port filled in (valid until swell_agent_free); NULL for NULL. */
const char* swell_agent_address(const swell_agent* agent);
/** Takes the oldest queued event into *event; SWELL_EAGAIN when there is none (always,
 *  with event_queue_capacity 0). The agent handle keeps that event's storage: the
 *  strings in *event stay valid until the next poll on this agent (whatever it returns)
 *  or swell_agent_free. One polling thread at a time per agent. Events the callback
 *  saw are queued as well; a full queue drops new events (counted, not reported here). */
swell_status swell_agent_poll_event(swell_agent* agent, swell_event* event);

/** The latest snapshot (lock-free, never blocks the loop); free it with
 *  swell_snapshot_free. Independent of the agent: it may outlive swell_agent_free.
 *  NULL if agent is NULL. */
swell_snapshot* swell_agent_snapshot(const swell_agent* agent);
/** Frees a snapshot; NULL is a no-op. */
void swell_snapshot_free(swell_snapshot* snapshot);
/** Members in the snapshot (every known member, sorted by node id). */
size_t swell_snapshot_member_count(const swell_snapshot* snapshot);
/** Members in a state (0 and SWELL_EINVAL recorded for a value that is not a state). */
size_t swell_snapshot_count(const swell_snapshot* snapshot, swell_member_state state);
/** Member index into *member; its strings and metadata point into the snapshot (no
 *  copy) and stay valid until swell_snapshot_free. SWELL_EINVAL past the end. */
swell_status swell_snapshot_member(const swell_snapshot* snapshot, size_t index, swell_member* member);
/** The agent's Lifeguard health score in the snapshot (0 = healthy). */
int swell_snapshot_local_health(const swell_snapshot* snapshot);
/** A counter at the snapshot: "node.<name>" for the protocol core's (node.joins_refused,
 *  node.dropped_bad_mac, ...), "transport.<name>" for the sockets' (transport.send_errors,
 *  ...); the names are swell-agent's `info` JSON keys (docs/embedding.md lists them).
 *  SWELL_EINVAL for a NULL argument or a name no counter has (the message says which). */
swell_status swell_snapshot_counter(const swell_snapshot* snapshot, const char* name, uint64_t* value);

#ifdef __cplusplus
}
#endif

#endif /* SWELL_SWELL_H */
