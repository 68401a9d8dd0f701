//! `AgentProcess`: a `swell-agent run` child (the C++ daemon) on 127.0.0.1, killed on drop.
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::json::{self, Json};
use super::TempDir;

/// A running `swell-agent run --preset local` with its HTTP API on a kernel-chosen port.
pub struct AgentProcess {
    exe: String,
    child: Child,
    /// The swim host:port from its "running at HOST:PORT;" line.
    pub swim_address: String,
    /// The HTTP API host:port from its "HTTP API at http://HOST:PORT/" line.
    pub http_address: String,
    log: Arc<Mutex<Vec<String>>>,
    _data_dir: TempDir,
}

impl AgentProcess {
    /// Starts `exe run --id ID ... --join SEED` and waits (deadline 20 s) for both lines.
    pub fn start(exe: &str, id: &str, seed: &str) -> AgentProcess {
        let data_dir = TempDir::new(&format!("swell-agent-{}", id));
        let mut child = Command::new(exe)
            .args([
                "run",
                "--id",
                id,
                "--bind",
                "127.0.0.1:0",
                "--http",
                "127.0.0.1:0",
                "--preset",
                "local",
            ])
            .arg("--data-dir")
            .arg(&data_dir.0)
            .args(["--join", seed])
            .stdin(Stdio::null())
            .stdout(Stdio::null()) // event JSON lines; the test reads the HTTP API instead
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {}", exe, e));
        // A thread drains stderr for the whole run, so the child never blocks on a full pipe.
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = channel();
        let log_writer = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                log_writer.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        });
        let (swim, http) = match read_addresses(&rx, Duration::from_secs(20)) {
            Some(found) => found,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{} printed no \"running at\" and \"HTTP API at\" lines within 20 s:\n{}",
                    exe,
                    log.lock().unwrap().join("\n")
                );
            }
        };
        AgentProcess {
            exe: exe.to_string(),
            child,
            swim_address: swim,
            http_address: http,
            log,
            _data_dir: data_dir,
        }
    }

    /// `swell-agent members --json --http ...`, parsed: one object per member.
    pub fn members(&self) -> Vec<Json> {
        let out = Command::new(&self.exe)
            .args(["members", "--json", "--http", &self.http_address])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {} members: {}", self.exe, e));
        if !out.status.success() {
            return Vec::new(); // not serving yet, or between states: the caller polls again
        }
        let text = String::from_utf8_lossy(&out.stdout);
        match json::parse(&text) {
            Ok(Json::Array(items)) => items,
            other => panic!("members --json printed no array ({:?}):\n{}", other.err(), text),
        }
    }

    /// Its stderr so far, for failure messages.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for AgentProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads lines until both addresses are seen or the deadline passes.
fn read_addresses(lines: &Receiver<String>, limit: Duration) -> Option<(String, String)> {
    let until = Instant::now() + limit;
    let (mut swim, mut http) = (None, None);
    while swim.is_none() || http.is_none() {
        let left = until.checked_duration_since(Instant::now())?;
        let line = lines.recv_timeout(left).ok()?;
        if let Some(rest) = line.split("running at ").nth(1) {
            swim = rest.split(';').next().map(str::to_string);
        }
        if let Some(rest) = line.split("HTTP API at http://").nth(1) {
            http = rest.split('/').next().map(str::to_string);
        }
    }
    Some((swim?, http?))
}
