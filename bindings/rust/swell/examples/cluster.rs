// A proxy that keeps a live list of backends with swell, from Rust.
use std::process::ExitCode;
use std::thread::sleep;
use std::time::{Duration, Instant};

use swell::{Agent, AgentOptions, EventKind, MemberState, NodeType, Preset};

// Starts one member on 127.0.0.1 (port 0: the kernel picks it; it is then advertised).
fn start_member(name: &str, node_type: NodeType, seeds: &[&str]) -> Result<Agent, swell::Error> {
    Agent::start(
        AgentOptions::new(name)
            // A real agent keeps its key: .key_file("/var/lib/swell/node.key") (swell-agent keygen).
            .generate_identity()
            .preset(Preset::Local) // one host; Preset::Lan on a network
            .address("127.0.0.1:3000") // where this member serves its application
            .node_type(node_type)
            .bind_address("127.0.0.1:0")
            .seeds(seeds.iter().copied()),
    )
}

// Waits until done() holds, or gives up at the deadline: no fixed sleeps.
fn wait_for(mut done: impl FnMut() -> bool, limit: Duration) -> bool {
    let until = Instant::now() + limit;
    while !done() {
        if Instant::now() > until {
            return false;
        }
        sleep(Duration::from_millis(5)); // polling interval, not a decision
    }
    true
}

// What a load balancer does on every request: read the snapshot (lock-free), pick an alive backend.
fn pick_backend(proxy: &Agent, request: usize) -> Option<String> {
    let backends: Vec<_> = proxy
        .snapshot()
        .members()
        .filter(|m| m.state == MemberState::Alive && m.node_type == NodeType::Backend)
        .collect();
    if backends.is_empty() {
        return None;
    }
    Some(backends[request % backends.len()].name.clone())
}

fn run() -> Result<bool, swell::Error> {
    let proxy = start_member("proxy-1", NodeType::Proxy, &[])?;
    let events = proxy.events(); // every event since start; fed on the agent's loop thread
    let backends = [
        start_member("backend-1", NodeType::Backend, &[proxy.address()])?,
        start_member("backend-2", NodeType::Backend, &[proxy.address()])?,
    ];
    if !wait_for(
        || proxy.snapshot().count(MemberState::Alive) == 3,
        Duration::from_secs(10),
    ) {
        eprintln!("the cluster did not form within 10 s");
        return Ok(false);
    }
    println!("request 0 -> {:?}", pick_backend(&proxy, 0));
    println!("request 1 -> {:?}", pick_backend(&proxy, 1));

    // A backend announces its load; any thread may call this.
    let mut info = backends[0].local_info().expect("a member is in its own view");
    info.metadata = b"load=3".to_vec();
    backends[0].set_local_info(&info)?;
    let updated = wait_for(
        || {
            proxy
                .snapshot()
                .find(backends[0].id())
                .map_or(false, |m| m.metadata == info.metadata)
        },
        Duration::from_secs(10),
    );

    // backend-2 leaves gracefully: the others see it as left, not failed.
    backends[1].leave(Duration::from_secs(2))?;
    backends[1].stop()?;
    let left = wait_for(
        || {
            proxy
                .snapshot()
                .find(backends[1].id())
                .map_or(false, |m| m.state == MemberState::Left)
        },
        Duration::from_secs(10),
    );
    println!(
        "backend-2 {}; request 2 -> {:?}",
        if left { "left" } else { "did not leave" },
        pick_backend(&proxy, 2)
    );

    // The events the proxy saw, as owned values (no wait: they are already queued).
    for e in events.try_iter() {
        println!("proxy saw {} {}", e.member.name, e.kind);
        if e.kind == EventKind::Failed {
            println!("  evidence: {:?}", e.evidence);
        }
    }
    println!("metadata update {}", if updated { "arrived" } else { "missing" });
    Ok(updated && left) // dropping the agents stops and frees them
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{}", e);
            ExitCode::FAILURE
        }
    }
}
