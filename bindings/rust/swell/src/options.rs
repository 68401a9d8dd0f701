//! `AgentOptions` (what `Agent::start` needs, as a builder), `LocalInfo` (the PeerInfo
//! fields `Agent::set_local_info` announces), `Preset`, and their conversion to a
//! `swell_agent_options` whose strings live as long as the conversion.
use std::ffi::CString;
use std::mem::MaybeUninit;
use std::os::raw::c_char;
use std::path::PathBuf;
use std::ptr;

use crate::error::Error;
use crate::ffi;
use crate::member::NodeType;
use crate::text::c_string;

/// Protocol presets (docs/protocol.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// A data-centre network (libswell's default).
    Lan,
    /// Members across regions: longer timeouts.
    Wan,
    /// Members on one host (tests, demos): failures are detected in about 4 s.
    Local,
}

impl Preset {
    /// The raw `swell_preset`.
    pub fn to_raw(self) -> ffi::swell_preset {
        match self {
            Preset::Lan => ffi::SWELL_PRESET_LAN,
            Preset::Wan => ffi::SWELL_PRESET_WAN,
            Preset::Local => ffi::SWELL_PRESET_LOCAL,
        }
    }
}

/// The PeerInfo fields a member announces about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalInfo {
    /// PeerInfo id (the member's name; required).
    pub id: String,
    /// Where it serves its application; `None`: its advertised swim address.
    pub address: Option<String>,
    /// PeerInfo metrics_port (0: none).
    pub metrics_port: u16,
    /// PeerInfo node_type.
    pub node_type: NodeType,
    /// PeerInfo is_load_balancer.
    pub is_load_balancer: bool,
    /// PeerInfo metadata (libswell's default limit is 512 bytes).
    pub metadata: Vec<u8>,
}

impl LocalInfo {
    /// A backend named `id` with no address, metrics port or metadata.
    pub fn new(id: impl Into<String>) -> LocalInfo {
        LocalInfo {
            id: id.into(),
            address: None,
            metrics_port: 0,
            node_type: NodeType::Backend,
            is_load_balancer: false,
            metadata: Vec::new(),
        }
    }
}

/// Everything `Agent::start` needs; unset fields keep libswell's defaults
/// (swell_agent_options_init).
///
/// ```no_run
/// use swell::{Agent, AgentOptions, NodeType, Preset};
/// let agent = Agent::start(
///     AgentOptions::new("backend-7")
///         .key_file("/var/lib/swell/node.key")
///         .node_type(NodeType::Backend)
///         .address("10.0.3.7:3000")
///         .bind_address("10.0.3.7:7946")
///         .seed("10.0.3.1:7946")
///         .preset(Preset::Lan),
/// )?;
/// # Ok::<(), swell::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct AgentOptions {
    pub(crate) id: String,
    pub(crate) key_file: Option<PathBuf>,
    pub(crate) generate_identity: bool,
    pub(crate) preset: Option<Preset>,
    pub(crate) address: Option<String>,
    pub(crate) metrics_port: Option<u16>,
    pub(crate) node_type: Option<NodeType>,
    pub(crate) is_load_balancer: Option<bool>,
    pub(crate) metadata: Vec<u8>,
    pub(crate) bind_address: Option<String>,
    pub(crate) advertise_address: Option<String>,
    pub(crate) seeds: Vec<String>,
    pub(crate) event_queue_capacity: Option<usize>,
    pub(crate) event_channel_capacity: usize,
    pub(crate) cluster_label: Option<String>,
    pub(crate) encrypt: bool,
}

impl AgentOptions {
    /// Options for a member whose PeerInfo id (name) is `id`.
    pub fn new(id: impl Into<String>) -> AgentOptions {
        AgentOptions {
            id: id.into(),
            key_file: None,
            generate_identity: false,
            preset: None,
            address: None,
            metrics_port: None,
            node_type: None,
            is_load_balancer: None,
            metadata: Vec::new(),
            bind_address: None,
            advertise_address: None,
            seeds: Vec::new(),
            event_queue_capacity: None,
            event_channel_capacity: 4096,
            cluster_label: None,
            encrypt: false,
        }
    }

    /// The identity key file (`swell-agent keygen` writes one; mode 0600).
    pub fn key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.key_file = Some(path.into());
        self
    }

    /// A fresh in-memory key pair instead of a key file (tests; the id changes per start).
    pub fn generate_identity(mut self) -> Self {
        self.generate_identity = true;
        self
    }

    /// The protocol preset (default LAN).
    pub fn preset(mut self, preset: Preset) -> Self {
        self.preset = Some(preset);
        self
    }

    /// PeerInfo address: host:port where this member serves (default: its swim address).
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// PeerInfo metrics_port.
    pub fn metrics_port(mut self, port: u16) -> Self {
        self.metrics_port = Some(port);
        self
    }

    /// PeerInfo node_type (default backend).
    pub fn node_type(mut self, node_type: NodeType) -> Self {
        self.node_type = Some(node_type);
        self
    }

    /// PeerInfo is_load_balancer.
    pub fn load_balancer(mut self, is_load_balancer: bool) -> Self {
        self.is_load_balancer = Some(is_load_balancer);
        self
    }

    /// PeerInfo metadata (copied; default limit 512 bytes).
    pub fn metadata(mut self, metadata: impl Into<Vec<u8>>) -> Self {
        self.metadata = metadata.into();
        self
    }

    /// UDP+TCP bind host:port (default "0.0.0.0:7946"; port 0 lets the kernel pick one).
    pub fn bind_address(mut self, address: impl Into<String>) -> Self {
        self.bind_address = Some(address.into());
        self
    }

    /// host:port peers use; required when bound to 0.0.0.0 or ::.
    pub fn advertise_address(mut self, address: impl Into<String>) -> Self {
        self.advertise_address = Some(address.into());
        self
    }

    /// Adds a host:port of a member to join through.
    pub fn seed(mut self, address: impl Into<String>) -> Self {
        self.seeds.push(address.into());
        self
    }

    /// Adds several seeds.
    pub fn seeds<I, S>(mut self, addresses: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.seeds.extend(addresses.into_iter().map(Into::into));
        self
    }

    /// Events libswell keeps for `Agent::poll_event` (default 4096; 0: none).
    pub fn event_queue_capacity(mut self, events: usize) -> Self {
        self.event_queue_capacity = Some(events);
        self
    }

    /// The cluster's name: members with another label cannot talk to this one, even
    /// through shared seeds (docs/security.md). Default: the unnamed cluster.
    pub fn cluster_label(mut self, label: impl Into<String>) -> Self {
        self.cluster_label = Some(label.into());
        self
    }

    /// Encrypt every message (XChaCha20-Poly1305); every member of the cluster must agree.
    pub fn encrypt(mut self, on: bool) -> Self {
        self.encrypt = on;
        self
    }

    /// Events each `Agent::events` receiver holds before further ones are dropped and
    /// counted in `Agent::dropped_events` (default 4096; the loop thread never waits).
    pub fn event_channel_capacity(mut self, events: usize) -> Self {
        self.event_channel_capacity = events;
        self
    }
}

/// A `swell_agent_options` and the C strings its pointers point into; it must stay
/// alive (and unmoved strings, which live on the heap) through the call that reads it.
pub(crate) struct RawOptions {
    pub(crate) raw: ffi::swell_agent_options,
    _strings: Vec<CString>,
    _seed_ptrs: Vec<*const c_char>,
    _metadata: Vec<u8>,
}

impl RawOptions {
    /// The defaults from swell_agent_options_init.
    fn defaults() -> ffi::swell_agent_options {
        let mut raw = MaybeUninit::<ffi::swell_agent_options>::zeroed();
        // SAFETY: options_init fills every field and sets size; zeroed first so that even a
        // library that set fewer fields would leave NULLs and zeros, not garbage.
        unsafe {
            ffi::swell_agent_options_init(raw.as_mut_ptr());
            raw.assume_init()
        }
    }

    /// Options for swell_agent_start (no callback yet: `Agent::start` sets it).
    pub(crate) fn for_start(o: &AgentOptions) -> Result<RawOptions, Error> {
        let mut strings = Vec::new();
        let mut raw = Self::defaults();
        raw.generate_identity = o.generate_identity as i32;
        if let Some(path) = &o.key_file {
            let text = path
                .to_str()
                .ok_or_else(|| Error::invalid_argument("key_file is not UTF-8"))?;
            raw.key_file = keep(&mut strings, c_string("key_file", text)?);
        }
        if let Some(preset) = o.preset {
            raw.preset = preset.to_raw();
        }
        raw.id = keep(&mut strings, c_string("id", &o.id)?);
        if let Some(address) = &o.address {
            raw.address = keep(&mut strings, c_string("address", address)?);
        }
        if let Some(port) = o.metrics_port {
            raw.metrics_port = port;
        }
        if let Some(node_type) = o.node_type {
            raw.node_type = node_type.to_raw();
        }
        if let Some(lb) = o.is_load_balancer {
            raw.is_load_balancer = lb as i32;
        }
        if let Some(bind) = &o.bind_address {
            raw.bind_address = keep(&mut strings, c_string("bind_address", bind)?);
        }
        if let Some(advertise) = &o.advertise_address {
            raw.advertise_address = keep(&mut strings, c_string("advertise_address", advertise)?);
        }
        let mut seed_ptrs = Vec::with_capacity(o.seeds.len());
        for seed in &o.seeds {
            seed_ptrs.push(keep(&mut strings, c_string("seed", seed)?));
        }
        raw.seeds = if seed_ptrs.is_empty() {
            ptr::null()
        } else {
            seed_ptrs.as_ptr()
        };
        raw.seed_count = seed_ptrs.len();
        if let Some(capacity) = o.event_queue_capacity {
            raw.event_queue_capacity = capacity;
        }
        if let Some(label) = &o.cluster_label {
            raw.cluster_label = keep(&mut strings, c_string("cluster_label", label)?);
        }
        raw.encrypt = o.encrypt as i32;
        let metadata = o.metadata.clone();
        raw.metadata = if metadata.is_empty() {
            ptr::null()
        } else {
            metadata.as_ptr()
        };
        raw.metadata_len = metadata.len();
        Ok(RawOptions {
            raw,
            _strings: strings,
            _seed_ptrs: seed_ptrs,
            _metadata: metadata,
        })
    }

    /// Options carrying `info` for swell_agent_set_local_info.
    pub(crate) fn for_local_info(info: &LocalInfo) -> Result<RawOptions, Error> {
        let mut strings = Vec::new();
        let mut raw = Self::defaults();
        raw.id = keep(&mut strings, c_string("id", &info.id)?);
        raw.address = match &info.address {
            Some(address) => keep(&mut strings, c_string("address", address)?),
            None => ptr::null(),
        };
        raw.metrics_port = info.metrics_port;
        raw.node_type = info.node_type.to_raw();
        raw.is_load_balancer = info.is_load_balancer as i32;
        let metadata = info.metadata.clone();
        raw.metadata = if metadata.is_empty() {
            ptr::null()
        } else {
            metadata.as_ptr()
        };
        raw.metadata_len = metadata.len();
        Ok(RawOptions {
            raw,
            _strings: strings,
            _seed_ptrs: Vec::new(),
            _metadata: metadata,
        })
    }
}

/// Stores `s` in `strings` and returns a pointer to its bytes, which stay put on the heap.
fn keep(strings: &mut Vec<CString>, s: CString) -> *const c_char {
    let p = s.as_ptr();
    strings.push(s);
    p
}
