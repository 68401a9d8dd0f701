//! Rust bindings to libswell, SWIM gossip membership, over its C ABI
//! (include/swell/swell.h). `ffi` mirrors the header; the rest is a safe API whose
//! values are owned copies, so nothing borrows from libswell past a call.
//!
//! ```no_run
//! use std::time::Duration;
//! use swell::{Agent, AgentOptions, MemberState, Preset};
//!
//! let agent = Agent::start(
//!     AgentOptions::new("backend-7")
//!         .generate_identity()
//!         .preset(Preset::Local)
//!         .bind_address("127.0.0.1:0")
//!         .seed("127.0.0.1:7946"),
//! )?;
//! let events = agent.events(); // std::sync::mpsc::Receiver<swell::Event>
//! for m in agent.snapshot().members().filter(|m| m.state == MemberState::Alive) {
//!     println!("{} {} at {}", m.short_id(), m.name, m.address);
//! }
//! if let Ok(e) = events.recv_timeout(Duration::from_secs(1)) {
//!     println!("{} {}", e.member.name, e.kind);
//! }
//! agent.leave(Duration::from_secs(2))?;
//! # Ok::<(), swell::Error>(())
//! ```
//!
//! Threads: `Agent` and `Snapshot` are `Send + Sync`: swell.h lets every call come from
//! any thread except from inside the event callback, and this crate's callback only
//! copies the event and offers it to the `events()` channels.
//! docs/embedding.md ("Rust") has a complete example (examples/cluster.rs).

pub mod ffi;

mod agent;
mod error;
mod event;
mod event_sink;
mod member;
mod options;
mod snapshot;
mod text;

pub use agent::Agent;
pub use error::{status_name, Error};
pub use event::{Event, EventKind, Evidence};
pub use member::{Member, MemberState, NodeType};
pub use options::{AgentOptions, LocalInfo, Preset};
pub use snapshot::{Members, Snapshot};

/// libswell's version string, e.g. "0.1.0".
pub fn version() -> String {
    // SAFETY: swell_version returns a static NUL-terminated string.
    unsafe { text::string_from_ptr(ffi::swell_version()) }
}

/// The C ABI version of the loaded libswell (this crate speaks `ffi::SWELL_ABI_VERSION`).
pub fn abi_version() -> i32 {
    // SAFETY: a plain query.
    unsafe { ffi::swell_abi_version() }
}
