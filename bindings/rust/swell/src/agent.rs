//! `Agent`: a running swell member (a `swell_agent`), stopped and freed on drop.
use std::mem::MaybeUninit;
use std::os::raw::{c_char, c_void};
use std::ptr::{self, NonNull};
use std::sync::mpsc::Receiver;
use std::sync::Mutex;
use std::time::Duration;

use crate::error::{check, Error};
use crate::event::Event;
use crate::event_sink::{self, EventSink};
use crate::ffi;
use crate::options::{AgentOptions, LocalInfo, RawOptions};
use crate::snapshot::Snapshot;
use crate::text::{c_string, string_from_ptr};

/// A running member: it binds, joins and runs the protocol on its own loop thread.
/// Dropping it stops it without a leave (the others detect it as failed); call
/// `leave` first for a graceful exit.
pub struct Agent {
    raw: NonNull<ffi::swell_agent>,
    /// Read by the loop thread through the callback's user_data; declared after `raw`
    /// and freed only after `Drop::drop` has joined that thread (swell_agent_free).
    sink: Box<EventSink>,
    id: String,
    address: String,
    /// swell_agent_poll_event's strings live until the next poll: one copy at a time.
    poll: Mutex<()>,
}

// SAFETY: swell.h: "every function may be called from any thread unless its comment says
// otherwise"; the exceptions (leave, stop, free) are only barred from the event callback,
// and this crate's callback (event_sink::on_event) calls no swell function. The EventSink
// is itself Send + Sync (a Mutex of SyncSenders and an atomic).
unsafe impl Send for Agent {}
unsafe impl Sync for Agent {}

impl Agent {
    /// Binds, starts the loop thread and joins through the seeds.
    pub fn start(options: AgentOptions) -> Result<Agent, Error> {
        // SAFETY: no arguments; a plain query.
        let abi = unsafe { ffi::swell_abi_version() };
        if abi != ffi::SWELL_ABI_VERSION {
            return Err(Error::new(
                ffi::SWELL_EINVAL,
                format!(
                    "libswell speaks C ABI version {}, this crate version {}: build the crate against the same swell",
                    abi,
                    ffi::SWELL_ABI_VERSION
                ),
            ));
        }
        let sink = Box::new(EventSink::new(options.event_channel_capacity));
        let mut raw_options = RawOptions::for_start(&options)?;
        raw_options.raw.on_event = Some(event_sink::on_event);
        raw_options.raw.on_event_user_data = &*sink as *const EventSink as *mut c_void;
        let mut out: *mut ffi::swell_agent = ptr::null_mut();
        // SAFETY: raw_options (and the strings it points into) outlive the call, which
        // copies them; the sink outlives the agent (see Drop).
        check(unsafe { ffi::swell_agent_start(&raw_options.raw, &mut out) })?;
        let raw = NonNull::new(out)
            .ok_or_else(|| Error::new(ffi::SWELL_EINTERNAL, "swell_agent_start returned OK and no agent"))?;
        // SAFETY: a live agent; both strings live as long as it, and are copied now.
        let (id, address) = unsafe {
            (
                string_from_ptr(ffi::swell_agent_id(raw.as_ptr())),
                string_from_ptr(ffi::swell_agent_address(raw.as_ptr())),
            )
        };
        Ok(Agent {
            raw,
            sink,
            id,
            address,
            poll: Mutex::new(()),
        })
    }

    /// This member's node id (its public key) as 64 hex characters.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The advertised swim host:port (what other members pass as a seed).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The latest snapshot: lock-free, never blocks.
    pub fn snapshot(&self) -> Snapshot {
        // SAFETY: a live agent.
        Snapshot::from_raw(unsafe { ffi::swell_agent_snapshot(self.raw.as_ptr()) })
    }

    /// The PeerInfo this member announces now (from the latest snapshot), ready to modify
    /// and pass to `set_local_info`.
    pub fn local_info(&self) -> Option<LocalInfo> {
        let me = self.snapshot().find(&self.id)?;
        Some(LocalInfo {
            id: me.name,
            address: Some(me.address),
            metrics_port: me.metrics_port,
            node_type: me.node_type,
            is_load_balancer: me.is_load_balancer,
            metadata: me.metadata,
        })
    }

    /// A receiver of membership events. The first call's receiver holds every event since
    /// start; each later call's starts now. Each receiver buffers up to
    /// `AgentOptions::event_channel_capacity` events: past that, events are dropped for
    /// it and counted in `dropped_events` (the loop thread never waits for a reader).
    pub fn events(&self) -> Receiver<Event> {
        self.sink.subscribe()
    }

    /// Events an `events()` receiver had no room for (the start-time receiver included,
    /// until `events()` takes it).
    pub fn dropped_events(&self) -> u64 {
        self.sink.dropped()
    }

    /// Takes the oldest event from libswell's own bounded queue
    /// (`AgentOptions::event_queue_capacity`); `Ok(None)` when it is empty.
    pub fn poll_event(&self) -> Result<Option<Event>, Error> {
        let _one_at_a_time = self.poll.lock().unwrap_or_else(|p| p.into_inner());
        let mut raw = MaybeUninit::<ffi::swell_event>::zeroed();
        // SAFETY: a live agent; on success the event's strings stay valid until the next
        // poll, which the lock holds off until the copy is made.
        let status = unsafe { ffi::swell_agent_poll_event(self.raw.as_ptr(), raw.as_mut_ptr()) };
        match status {
            ffi::SWELL_OK => Ok(Some(unsafe { Event::from_raw(&raw.assume_init()) })),
            ffi::SWELL_EAGAIN => Ok(None),
            code => Err(Error::from_last_call(code)),
        }
    }

    /// Announces new PeerInfo (at a higher incarnation); it spreads by gossip.
    pub fn set_local_info(&self, info: &LocalInfo) -> Result<(), Error> {
        let raw_options = RawOptions::for_local_info(info)?;
        // SAFETY: a live agent; the options are copied before the call returns.
        check(unsafe { ffi::swell_agent_set_local_info(self.raw.as_ptr(), &raw_options.raw) })
    }

    /// Contacts more seeds (numeric `host:port`): tried while joining, exchanged with at
    /// once when joined (how two clusters are merged). Waits until the loop took them.
    pub fn join<S: AsRef<str>>(&self, seeds: &[S]) -> Result<(), Error> {
        let owned = seeds
            .iter()
            .map(|s| c_string("seed", s.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        let ptrs: Vec<*const c_char> = owned.iter().map(|s| s.as_ptr()).collect();
        // SAFETY: a live agent; ptrs and the strings they point into outlive the call.
        check(unsafe { ffi::swell_agent_join(self.raw.as_ptr(), ptrs.as_ptr(), ptrs.len()) })
    }

    /// An operator's verdict on a failed member (its 64-hex node id): held as left here
    /// and at every member that also holds it failed; a member only cut off refutes it.
    pub fn force_leave(&self, node_id_hex: &str) -> Result<(), Error> {
        let id = c_string("node_id_hex", node_id_hex)?;
        // SAFETY: a live agent and a NUL-terminated id.
        check(unsafe { ffi::swell_agent_force_leave(self.raw.as_ptr(), id.as_ptr()) })
    }

    /// Graceful leave: announces it and waits up to `timeout` for it to spread. The agent
    /// stays running (answering probes) until `stop` or drop.
    pub fn leave(&self, timeout: Duration) -> Result<(), Error> {
        let timeout_ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        // SAFETY: a live agent; not on the loop thread (our callback never calls this).
        check(unsafe { ffi::swell_agent_leave(self.raw.as_ptr(), timeout_ms) })
    }

    /// Closes every socket and waits for the loop thread. Idempotent; drop also does it.
    pub fn stop(&self) -> Result<(), Error> {
        // SAFETY: a live agent; not on the loop thread.
        check(unsafe { ffi::swell_agent_stop(self.raw.as_ptr()) })
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        // SAFETY: we own the agent and free it once. swell_agent_free stops it and joins
        // the loop thread, so no callback can touch `sink`, which is dropped after this.
        unsafe { ffi::swell_agent_free(self.raw.as_ptr()) };
    }
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("id", &self.id)
            .field("address", &self.address)
            .finish()
    }
}
