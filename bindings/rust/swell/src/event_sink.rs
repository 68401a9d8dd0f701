//! `EventSink`: where the C event callback delivers, on the agent's loop thread, and the
//! `extern "C"` trampoline that libswell calls.
use std::os::raw::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Mutex, MutexGuard};

use crate::event::Event;
use crate::ffi;

/// The receivers handed out by `Agent::events`; the callback copies each event into an
/// owned `Event` and offers it to every one of them without waiting.
pub(crate) struct EventSink {
    subscribers: Mutex<Vec<SyncSender<Event>>>,
    /// The receiver made at start, so the first `events()` caller misses nothing.
    first: Mutex<Option<Receiver<Event>>>,
    capacity: usize,
    dropped: AtomicU64,
}

impl EventSink {
    /// A sink whose receivers each hold up to `capacity` events (at least 1).
    pub(crate) fn new(capacity: usize) -> EventSink {
        let capacity = capacity.max(1);
        let (tx, rx) = sync_channel(capacity);
        EventSink {
            subscribers: Mutex::new(vec![tx]),
            first: Mutex::new(Some(rx)),
            capacity,
            dropped: AtomicU64::new(0),
        }
    }

    /// The start-time receiver on the first call, a new one (events from now on) after.
    pub(crate) fn subscribe(&self) -> Receiver<Event> {
        if let Some(rx) = lock(&self.first).take() {
            return rx;
        }
        let (tx, rx) = sync_channel(self.capacity);
        lock(&self.subscribers).push(tx);
        rx
    }

    /// Events dropped because a receiver was full.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Offers `event` to every receiver: a full one loses it (counted), a dropped
    /// receiver is forgotten. Never blocks the loop thread.
    fn deliver(&self, event: Event) {
        let mut subscribers = lock(&self.subscribers);
        subscribers.retain(|tx| match tx.try_send(event.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
    }
}

/// Locks, ignoring poison: a panic elsewhere must not stop event delivery or drop().
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The `swell_event_callback` every `Agent` registers; `user_data` is its `EventSink`.
/// Runs on the loop thread: copies, sends, returns. A panic must not unwind into C
/// (undefined behaviour), so it is caught here and the event is lost.
pub(crate) unsafe extern "C" fn on_event(event: *const ffi::swell_event, user_data: *mut c_void) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if event.is_null() || user_data.is_null() {
            return;
        }
        // SAFETY: user_data is the EventSink the Agent owns; it is freed only after
        // swell_agent_free has joined the loop thread. The event is valid during the call.
        let sink = &*(user_data as *const EventSink);
        sink.deliver(Event::from_raw(&*event));
    }));
}
