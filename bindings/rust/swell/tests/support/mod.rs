//! What the integration tests share: waiting on conditions with deadlines, a
//! `swell-agent run` child process, and a small JSON reader for its `--json` output.
#![allow(dead_code)]

pub mod agent_process;
pub mod json;

use std::time::{Duration, Instant};

/// Polls `done` until it holds; panics naming `what` at the deadline. The pause between
/// polls is a polling interval, never what decides the outcome.
pub fn wait_until<F: FnMut() -> bool>(what: &str, limit: Duration, mut done: F) {
    let until = Instant::now() + limit;
    while !done() {
        if Instant::now() > until {
            panic!("timed out after {:?} waiting until {}", limit, what);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A fresh directory under cargo's per-test tmp dir, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    /// Creates `CARGO_TARGET_TMPDIR/<name>-<pid>`, emptied first.
    pub fn new(name: &str) -> TempDir {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{}-{}", name, std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
