//! `Member`: one member as a snapshot or an event reports it, copied out of libswell, with
//! its `MemberState` and `NodeType`.
use std::fmt;

use crate::ffi;
use crate::text::{bytes_from_ptr, string_from_array, string_from_ptr};

/// A member's state in an agent's view (`swell_member_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemberState {
    Alive,
    Suspect,
    /// Declared failed.
    Dead,
    /// Left gracefully.
    Left,
    /// A value this crate does not know (a newer libswell); carries the raw number.
    Other(u32),
}

impl MemberState {
    /// The state for a raw `swell_member_state`.
    pub fn from_raw(raw: ffi::swell_member_state) -> MemberState {
        match raw {
            ffi::SWELL_STATE_ALIVE => MemberState::Alive,
            ffi::SWELL_STATE_SUSPECT => MemberState::Suspect,
            ffi::SWELL_STATE_DEAD => MemberState::Dead,
            ffi::SWELL_STATE_LEFT => MemberState::Left,
            other => MemberState::Other(other),
        }
    }

    /// The raw `swell_member_state`.
    pub fn to_raw(self) -> ffi::swell_member_state {
        match self {
            MemberState::Alive => ffi::SWELL_STATE_ALIVE,
            MemberState::Suspect => ffi::SWELL_STATE_SUSPECT,
            MemberState::Dead => ffi::SWELL_STATE_DEAD,
            MemberState::Left => ffi::SWELL_STATE_LEFT,
            MemberState::Other(raw) => raw,
        }
    }
}

impl fmt::Display for MemberState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberState::Alive => f.write_str("alive"),
            MemberState::Suspect => f.write_str("suspect"),
            MemberState::Dead => f.write_str("dead"),
            MemberState::Left => f.write_str("left"),
            MemberState::Other(raw) => write!(f, "state {}", raw),
        }
    }
}

/// A member's role, PeerInfo's node_type (`swell_node_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeType {
    Proxy,
    Backend,
    Governator,
    /// A value this crate does not know (a newer libswell); carries the raw number.
    Other(u32),
}

impl NodeType {
    /// The node type for a raw `swell_node_type`.
    pub fn from_raw(raw: ffi::swell_node_type) -> NodeType {
        match raw {
            ffi::SWELL_NODE_PROXY => NodeType::Proxy,
            ffi::SWELL_NODE_BACKEND => NodeType::Backend,
            ffi::SWELL_NODE_GOVERNATOR => NodeType::Governator,
            other => NodeType::Other(other),
        }
    }

    /// The raw `swell_node_type`.
    pub fn to_raw(self) -> ffi::swell_node_type {
        match self {
            NodeType::Proxy => ffi::SWELL_NODE_PROXY,
            NodeType::Backend => ffi::SWELL_NODE_BACKEND,
            NodeType::Governator => ffi::SWELL_NODE_GOVERNATOR,
            NodeType::Other(raw) => raw,
        }
    }
}

impl fmt::Display for NodeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeType::Proxy => f.write_str("proxy"),
            NodeType::Backend => f.write_str("backend"),
            NodeType::Governator => f.write_str("governator"),
            NodeType::Other(raw) => write!(f, "node type {}", raw),
        }
    }
}

/// One member, owned: nothing in it borrows from libswell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The node id (its Ed25519 public key) as 64 lowercase hex characters.
    pub id: String,
    /// The node id's 32 bytes.
    pub node_id: [u8; 32],
    /// PeerInfo id: the member's name.
    pub name: String,
    /// PeerInfo address: where it serves its application.
    pub address: String,
    /// host:port where it speaks swell.
    pub swim_address: String,
    /// Its state in this view.
    pub state: MemberState,
    /// Its incarnation (PeerInfo version).
    pub incarnation: u64,
    /// PeerInfo node_type.
    pub node_type: NodeType,
    /// PeerInfo metrics_port (0: none).
    pub metrics_port: u16,
    /// PeerInfo is_load_balancer.
    pub is_load_balancer: bool,
    /// PeerInfo last_updated_ms.
    pub last_updated_ms: u64,
    /// PeerInfo metadata bytes.
    pub metadata: Vec<u8>,
}

impl Member {
    /// Copies a `swell_member`.
    ///
    /// # Safety
    /// Its pointers are NULL or valid (as while its snapshot is held, or during a callback).
    pub unsafe fn from_raw(raw: &ffi::swell_member) -> Member {
        Member {
            id: string_from_array(&raw.node_id_hex),
            node_id: raw.node_id,
            name: string_from_ptr(raw.id),
            address: string_from_ptr(raw.address),
            swim_address: string_from_ptr(raw.swim_address),
            state: MemberState::from_raw(raw.state),
            incarnation: raw.incarnation,
            node_type: NodeType::from_raw(raw.node_type),
            metrics_port: raw.metrics_port,
            is_load_balancer: raw.is_load_balancer != 0,
            last_updated_ms: raw.last_updated_ms,
            metadata: bytes_from_ptr(raw.metadata, raw.metadata_len),
        }
    }

    /// The first 8 hex characters of the id, as swell-agent prints it.
    pub fn short_id(&self) -> &str {
        self.id.get(..8).unwrap_or(&self.id)
    }
}
