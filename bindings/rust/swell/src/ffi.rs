//! Raw declarations of include/swell/swell.h, written by hand (no bindgen: no registry
//! dependency) and kept in the header's order. Enums are `c_uint` type aliases, as GCC
//! lays out a C enum with no negative values, so a value this binding does not know
//! can never be an invalid Rust enum. tests/abi.rs checks every size and offset here
//! against what a C++ compiler prints for the header (tests/bindings/abi_layout.cpp).
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_double, c_int, c_uint, c_void};

/// The ABI version this file mirrors (`SWELL_ABI_VERSION`).
pub const SWELL_ABI_VERSION: c_int = 2;

/// A status code: 0 is success, negative values are swell's ErrorCode negated.
pub type swell_status = c_int;
pub const SWELL_OK: swell_status = 0;
pub const SWELL_EINVAL: swell_status = -1;
pub const SWELL_ECONFIG: swell_status = -2;
pub const SWELL_EIO: swell_status = -3;
pub const SWELL_EKEY_MISSING: swell_status = -10;
pub const SWELL_EKEY_PERMISSIONS: swell_status = -11;
pub const SWELL_EKEY_CORRUPT: swell_status = -12;
pub const SWELL_ECRYPTO: swell_status = -13;
pub const SWELL_EPEER_INFO: swell_status = -20;
pub const SWELL_ENOT_RUNNING: swell_status = -60;
pub const SWELL_EWRONG_STATE: swell_status = -61;
pub const SWELL_EUNKNOWN_MEMBER: swell_status = -62;
pub const SWELL_EAGAIN: swell_status = -100;
pub const SWELL_EINTERNAL: swell_status = -101;

/// `enum swell_node_type`.
pub type swell_node_type = c_uint;
pub const SWELL_NODE_PROXY: swell_node_type = 0;
pub const SWELL_NODE_BACKEND: swell_node_type = 1;
pub const SWELL_NODE_GOVERNATOR: swell_node_type = 2;

/// `enum swell_member_state`.
pub type swell_member_state = c_uint;
pub const SWELL_STATE_ALIVE: swell_member_state = 0;
pub const SWELL_STATE_SUSPECT: swell_member_state = 1;
pub const SWELL_STATE_DEAD: swell_member_state = 2;
pub const SWELL_STATE_LEFT: swell_member_state = 3;

/// `enum swell_event_kind`.
pub type swell_event_kind = c_uint;
pub const SWELL_EVENT_JOINED: swell_event_kind = 0;
pub const SWELL_EVENT_UPDATED: swell_event_kind = 1;
pub const SWELL_EVENT_SUSPECTED: swell_event_kind = 2;
pub const SWELL_EVENT_FAILED: swell_event_kind = 3;
pub const SWELL_EVENT_LEFT: swell_event_kind = 4;
pub const SWELL_EVENT_RECOVERED: swell_event_kind = 5;
pub const SWELL_EVENT_NAME_CONFLICT: swell_event_kind = 6;
pub const SWELL_EVENT_ROTATED: swell_event_kind = 7;

/// `enum swell_preset`.
pub type swell_preset = c_uint;
pub const SWELL_PRESET_LAN: swell_preset = 0;
pub const SWELL_PRESET_WAN: swell_preset = 1;
pub const SWELL_PRESET_LOCAL: swell_preset = 2;

/// A running member (opaque; only ever behind a pointer).
#[repr(C)]
pub struct swell_agent {
    _private: [u8; 0],
}

/// An immutable picture of an agent (opaque).
#[repr(C)]
pub struct swell_snapshot {
    _private: [u8; 0],
}

/// `struct swell_member`: pointers are borrowed from a snapshot, a callback or a poll.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct swell_member {
    pub node_id: [u8; 32],
    pub node_id_hex: [c_char; 65],
    pub state: swell_member_state,
    pub incarnation: u64,
    pub id: *const c_char,
    pub address: *const c_char,
    pub swim_address: *const c_char,
    pub metrics_port: u16,
    pub node_type: swell_node_type,
    pub is_load_balancer: c_int,
    pub last_updated_ms: u64,
    pub metadata: *const u8,
    pub metadata_len: usize,
}

/// `struct swell_evidence`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct swell_evidence {
    pub first_suspected_by_hex: [c_char; 65],
    pub confirmations: usize,
    pub nacks_seen: c_int,
    pub probed_by_us: c_int,
    pub declared_by_hex: [c_char; 65],
    pub timeout_s: c_double,
    pub local_health: c_int,
    pub flapping: c_int,
    pub degraded: c_int,
}

/// `struct swell_event`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct swell_event {
    pub kind: swell_event_kind,
    pub member: swell_member,
    pub has_evidence: c_int,
    pub evidence: swell_evidence,
    pub previous_hex: [c_char; 65],
}

/// `swell_event_callback`: runs on the agent's loop thread; must not unwind.
pub type swell_event_callback = Option<unsafe extern "C" fn(event: *const swell_event, user_data: *mut c_void)>;

/// `struct swell_agent_options`; fill it with `swell_agent_options_init` first.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct swell_agent_options {
    pub size: usize,
    pub key_file: *const c_char,
    pub generate_identity: c_int,
    pub preset: swell_preset,
    pub id: *const c_char,
    pub address: *const c_char,
    pub metrics_port: u16,
    pub node_type: swell_node_type,
    pub is_load_balancer: c_int,
    pub metadata: *const u8,
    pub metadata_len: usize,
    pub bind_address: *const c_char,
    pub advertise_address: *const c_char,
    pub seeds: *const *const c_char,
    pub seed_count: usize,
    pub on_event: swell_event_callback,
    pub on_event_user_data: *mut c_void,
    pub event_queue_capacity: usize,
    pub cluster_label: *const c_char,
    pub encrypt: c_int,
}

extern "C" {
    pub fn swell_abi_version() -> c_int;
    pub fn swell_version() -> *const c_char;
    pub fn swell_strerror(status: swell_status) -> *const c_char;
    pub fn swell_last_error_message() -> *const c_char;

    pub fn swell_agent_options_init(options: *mut swell_agent_options);
    pub fn swell_agent_start(options: *const swell_agent_options, out: *mut *mut swell_agent) -> swell_status;
    pub fn swell_agent_leave(agent: *mut swell_agent, timeout_ms: u32) -> swell_status;
    pub fn swell_agent_join(
        agent: *mut swell_agent,
        seeds: *const *const c_char,
        seed_count: usize,
    ) -> swell_status;
    pub fn swell_agent_force_leave(agent: *mut swell_agent, node_id_hex: *const c_char) -> swell_status;
    pub fn swell_agent_stop(agent: *mut swell_agent) -> swell_status;
    pub fn swell_agent_free(agent: *mut swell_agent);
    pub fn swell_agent_set_local_info(agent: *mut swell_agent, info: *const swell_agent_options) -> swell_status;
    pub fn swell_agent_id(agent: *const swell_agent) -> *const c_char;
    pub fn swell_agent_address(agent: *const swell_agent) -> *const c_char;
    pub fn swell_agent_poll_event(agent: *mut swell_agent, event: *mut swell_event) -> swell_status;

    pub fn swell_agent_snapshot(agent: *const swell_agent) -> *mut swell_snapshot;
    pub fn swell_snapshot_free(snapshot: *mut swell_snapshot);
    pub fn swell_snapshot_member_count(snapshot: *const swell_snapshot) -> usize;
    pub fn swell_snapshot_count(snapshot: *const swell_snapshot, state: swell_member_state) -> usize;
    pub fn swell_snapshot_member(
        snapshot: *const swell_snapshot,
        index: usize,
        member: *mut swell_member,
    ) -> swell_status;
    pub fn swell_snapshot_local_health(snapshot: *const swell_snapshot) -> c_int;
    pub fn swell_snapshot_counter(
        snapshot: *const swell_snapshot,
        name: *const c_char,
        value: *mut u64,
    ) -> swell_status;
}
