//! `Snapshot`: an immutable picture of an agent's view, and `Members`, the iterator that
//! copies its members out one by one.
use std::mem::MaybeUninit;
use std::ptr::NonNull;

use crate::error::{check, Error};
use crate::ffi;
use crate::text::c_string;
use crate::member::{Member, MemberState};

/// An immutable picture of an agent's view, taken without a lock; freed on drop.
pub struct Snapshot {
    raw: Option<NonNull<ffi::swell_snapshot>>,
}

// SAFETY: a swell_snapshot is immutable and every swell_snapshot_* function may be called
// from any thread (swell.h, "Threads"); it may be freed on any thread.
unsafe impl Send for Snapshot {}
unsafe impl Sync for Snapshot {}

impl Snapshot {
    /// Takes ownership of a snapshot from swell_agent_snapshot (NULL gives an empty one).
    pub(crate) fn from_raw(raw: *mut ffi::swell_snapshot) -> Snapshot {
        Snapshot { raw: NonNull::new(raw) }
    }

    /// How many members it holds (every known member, in any state).
    pub fn len(&self) -> usize {
        match self.raw {
            // SAFETY: a live snapshot we own.
            Some(p) => unsafe { ffi::swell_snapshot_member_count(p.as_ptr()) },
            None => 0,
        }
    }

    /// Whether it holds no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many members are in `state`.
    pub fn count(&self, state: MemberState) -> usize {
        match self.raw {
            // SAFETY: a live snapshot we own.
            Some(p) => unsafe { ffi::swell_snapshot_count(p.as_ptr(), state.to_raw()) },
            None => 0,
        }
    }

    /// The agent's Lifeguard health score when the snapshot was taken (0 = healthy).
    pub fn local_health(&self) -> i32 {
        match self.raw {
            // SAFETY: a live snapshot we own.
            Some(p) => unsafe { ffi::swell_snapshot_local_health(p.as_ptr()) },
            None => 0,
        }
    }

    /// A counter when the snapshot was taken: `node.<name>` (the protocol core's, e.g.
    /// `node.joins_refused`) or `transport.<name>` (the sockets'); docs/embedding.md lists them.
    pub fn counter(&self, name: &str) -> Result<u64, Error> {
        let p = self
            .raw
            .ok_or_else(|| Error::invalid_argument("the snapshot is empty: the agent published none"))?;
        let name = c_string("name", name)?;
        let mut value = 0u64;
        // SAFETY: a live snapshot, a NUL-terminated name and a valid out pointer.
        check(unsafe { ffi::swell_snapshot_counter(p.as_ptr(), name.as_ptr(), &mut value) })?;
        Ok(value)
    }

    /// A copy of member `index` (sorted by node id), or None past the end.
    pub fn member(&self, index: usize) -> Option<Member> {
        let p = self.raw?;
        let mut raw = MaybeUninit::<ffi::swell_member>::zeroed();
        // SAFETY: a live snapshot; on success *raw is filled, and its pointers stay valid
        // while the snapshot is held, which outlasts the copy below.
        unsafe {
            if ffi::swell_snapshot_member(p.as_ptr(), index, raw.as_mut_ptr()) != ffi::SWELL_OK {
                return None;
            }
            Some(Member::from_raw(&raw.assume_init()))
        }
    }

    /// Copies of every member, sorted by node id.
    pub fn members(&self) -> Members<'_> {
        Members {
            snapshot: self,
            next: 0,
            len: self.len(),
        }
    }

    /// The member whose node id (64 hex characters) is `id`.
    pub fn find(&self, id: &str) -> Option<Member> {
        self.members().find(|m| m.id == id)
    }

    /// The first member whose PeerInfo id (name) is `name`.
    pub fn find_by_name(&self, name: &str) -> Option<Member> {
        self.members().find(|m| m.name == name)
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        if let Some(p) = self.raw {
            // SAFETY: we own it and free it once.
            unsafe { ffi::swell_snapshot_free(p.as_ptr()) };
        }
    }
}

/// Iterator over a snapshot's members, each copied out (owned).
pub struct Members<'a> {
    snapshot: &'a Snapshot,
    next: usize,
    len: usize,
}

impl Iterator for Members<'_> {
    type Item = Member;

    fn next(&mut self) -> Option<Member> {
        if self.next >= self.len {
            return None;
        }
        let member = self.snapshot.member(self.next);
        self.next += 1;
        member
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Members<'_> {}
