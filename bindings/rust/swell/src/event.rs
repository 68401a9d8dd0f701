//! `Event`: a membership event copied out of libswell, with its `EventKind` and, for a
//! failure, the `Evidence` behind the verdict.
use std::fmt;
use std::time::Duration;

use crate::ffi;
use crate::member::Member;
use crate::text::string_from_array;

/// What happened to a member (`swell_event_kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    Joined,
    /// New PeerInfo (metadata, address, ...).
    Updated,
    Suspected,
    /// Declared failed; the event carries `Evidence`.
    Failed,
    Left,
    /// Refuted a suspicion, or came back after failing.
    Recovered,
    /// Lost its PeerInfo id (name) to another key announcing it; still a member.
    NameConflict,
    /// Moved to a new key: `member` is under the new key, `Event::previous` names the old one.
    Rotated,
    /// A value this crate does not know (a newer libswell); carries the raw number.
    Other(u32),
}

impl EventKind {
    /// The kind for a raw `swell_event_kind`.
    pub fn from_raw(raw: ffi::swell_event_kind) -> EventKind {
        match raw {
            ffi::SWELL_EVENT_JOINED => EventKind::Joined,
            ffi::SWELL_EVENT_UPDATED => EventKind::Updated,
            ffi::SWELL_EVENT_SUSPECTED => EventKind::Suspected,
            ffi::SWELL_EVENT_FAILED => EventKind::Failed,
            ffi::SWELL_EVENT_LEFT => EventKind::Left,
            ffi::SWELL_EVENT_RECOVERED => EventKind::Recovered,
            ffi::SWELL_EVENT_NAME_CONFLICT => EventKind::NameConflict,
            ffi::SWELL_EVENT_ROTATED => EventKind::Rotated,
            other => EventKind::Other(other),
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventKind::Joined => f.write_str("joined"),
            EventKind::Updated => f.write_str("updated"),
            EventKind::Suspected => f.write_str("suspected"),
            EventKind::Failed => f.write_str("failed"),
            EventKind::Left => f.write_str("left"),
            EventKind::Recovered => f.write_str("recovered"),
            EventKind::NameConflict => f.write_str("name_conflict"),
            EventKind::Rotated => f.write_str("rotated"),
            EventKind::Other(raw) => write!(f, "event kind {}", raw),
        }
    }
}

/// Why a member was declared failed (`swell_evidence`).
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// Node id (hex) of who raised the suspicion acted on.
    pub first_suspected_by: String,
    /// Distinct other members that also suspected it.
    pub confirmations: usize,
    /// Nacks our indirect probe got.
    pub nacks_seen: i32,
    /// Whether our own probe failed too.
    pub probed_by_us: bool,
    /// Node id (hex) of who declared it failed.
    pub declared_by: String,
    /// The suspicion timeout when it fired; zero when the verdict was someone else's.
    pub timeout: Duration,
    /// Our Lifeguard health score then (0 = healthy).
    pub local_health: i32,
    /// Held down for refuting confirmed suspicions too often.
    pub flapping: bool,
    /// Held down for answering too few of our direct pings.
    pub degraded: bool,
}

impl Evidence {
    /// Copies a `swell_evidence` (it holds no pointers).
    pub fn from_raw(raw: &ffi::swell_evidence) -> Evidence {
        // from_secs_f64 panics on negative, NaN or huge values: this runs in the event
        // callback, which must never panic, so only a sane number becomes a Duration.
        let timeout = if raw.timeout_s.is_finite() && raw.timeout_s > 0.0 && raw.timeout_s < 1e9 {
            Duration::from_secs_f64(raw.timeout_s)
        } else {
            Duration::ZERO
        };
        Evidence {
            first_suspected_by: string_from_array(&raw.first_suspected_by_hex),
            confirmations: raw.confirmations,
            nacks_seen: raw.nacks_seen,
            probed_by_us: raw.probed_by_us != 0,
            declared_by: string_from_array(&raw.declared_by_hex),
            timeout,
            local_health: raw.local_health,
            flapping: raw.flapping != 0,
            degraded: raw.degraded != 0,
        }
    }
}

/// A membership event, owned.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// To whom, in the state the event leaves it.
    pub member: Member,
    /// Why it failed (set for `EventKind::Failed`).
    pub evidence: Option<Evidence>,
    /// The node id (hex) the member moved from (set for `EventKind::Rotated`).
    pub previous: Option<String>,
}

impl Event {
    /// Copies a `swell_event`.
    ///
    /// # Safety
    /// The member's pointers are NULL or valid (during the callback, or until the next poll).
    pub unsafe fn from_raw(raw: &ffi::swell_event) -> Event {
        Event {
            kind: EventKind::from_raw(raw.kind),
            member: Member::from_raw(&raw.member),
            evidence: if raw.has_evidence != 0 {
                Some(Evidence::from_raw(&raw.evidence))
            } else {
                None
            },
            previous: if raw.kind == ffi::SWELL_EVENT_ROTATED {
                Some(string_from_array(&raw.previous_hex))
            } else {
                None
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence_with_timeout(timeout_s: f64) -> ffi::swell_evidence {
        // SAFETY: swell_evidence is plain data; all-zero bytes are a valid value.
        let mut raw: ffi::swell_evidence = unsafe { std::mem::zeroed() };
        raw.timeout_s = timeout_s;
        raw
    }

    #[test]
    fn only_a_sane_timeout_becomes_a_duration() {
        assert_eq!(
            Evidence::from_raw(&evidence_with_timeout(2.5)).timeout,
            Duration::from_millis(2500)
        );
        for bad in [f64::NAN, -1.0, f64::INFINITY, 1e300, 0.0] {
            assert_eq!(Evidence::from_raw(&evidence_with_timeout(bad)).timeout, Duration::ZERO);
        }
    }

    #[test]
    fn unknown_raw_values_are_kept() {
        assert_eq!(EventKind::from_raw(99), EventKind::Other(99));
        assert_eq!(EventKind::from_raw(ffi::SWELL_EVENT_FAILED), EventKind::Failed);
    }
}
