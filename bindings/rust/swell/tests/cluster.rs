// Three Rust agents and one `swell-agent run` process (the C++ daemon, path in
// SWELL_AGENT) form one cluster on 127.0.0.1 with the local preset; the test checks
// convergence, PeerInfo set from Rust reaching a Rust agent and the daemon, and a
// stopped Rust agent detected as failed, with evidence, by the others. Every wait is a
// condition with a deadline.
mod support;

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use support::agent_process::AgentProcess;
use support::json::Json;
use support::wait_until;
use swell::{Agent, AgentOptions, Event, EventKind, MemberState, NodeType, Preset};

const CONVERGE: Duration = Duration::from_secs(30);
// Config::local detects a failure in about 4 s; the margin absorbs a loaded 2-core CI.
const DETECT: Duration = Duration::from_secs(30);

fn start(name: &str, seeds: &[&str]) -> Agent {
    let options = AgentOptions::new(name)
        .generate_identity()
        .preset(Preset::Local)
        .node_type(NodeType::Backend)
        .bind_address("127.0.0.1:0")
        .seeds(seeds.iter().copied());
    Agent::start(options).unwrap_or_else(|e| panic!("start {}: {}", name, e))
}

/// Members the daemon lists in `state` ("alive", "dead", ...).
fn count_in(members: &[Json], state: &str) -> usize {
    members
        .iter()
        .filter(|m| m.get("state").and_then(Json::as_str) == Some(state))
        .count()
}

/// The daemon's entry for the member named `name`.
fn named<'a>(members: &'a [Json], name: &str) -> Option<&'a Json> {
    members
        .iter()
        .find(|m| m.get("name").and_then(Json::as_str) == Some(name))
}

/// Waits for a failed event about `id` that carries evidence; other events are skipped.
fn wait_for_failure(events: &Receiver<Event>, id: &str, limit: Duration) -> Event {
    let until = Instant::now() + limit;
    loop {
        let left = until
            .checked_duration_since(Instant::now())
            .unwrap_or_else(|| panic!("no failed event for {} within {:?}", id, limit));
        match events.recv_timeout(left) {
            Ok(e) if e.kind == EventKind::Failed && e.member.id == id => return e,
            Ok(_) => {}
            Err(e) => panic!("no failed event for {} within {:?} ({:?})", id, limit, e),
        }
    }
}

#[test]
fn three_rust_agents_and_a_swell_agent_process() {
    let exe = match std::env::var("SWELL_AGENT") {
        Ok(exe) => exe,
        Err(_) => {
            eprintln!(
                "SKIPPED three_rust_agents_and_a_swell_agent_process: set SWELL_AGENT to build/lib/agent/swell-agent"
            );
            return;
        }
    };
    let began = Instant::now();
    let a = start("rust-a", &[]);
    let a_events = a.events(); // the first receiver: every event since start
    let ext = AgentProcess::start(&exe, "ext", a.address());
    let b = start("rust-b", &[a.address()]);
    let b_events = b.events();
    let c = start("rust-c", &[&ext.swim_address]); // joins through the C++ daemon
    let c_id = c.id().to_string();

    for (name, agent) in [("rust-a", &a), ("rust-b", &b), ("rust-c", &c)] {
        wait_until(&format!("{} sees 4 members alive", name), CONVERGE, || {
            agent.snapshot().count(MemberState::Alive) == 4
        });
    }
    wait_until("the swell-agent process lists 4 members alive", CONVERGE, || {
        count_in(&ext.members(), "alive") == 4
    });
    let snap = a.snapshot();
    let mut names: Vec<String> = snap.members().map(|m| m.name).collect();
    names.sort();
    assert_eq!(names, ["ext", "rust-a", "rust-b", "rust-c"]);
    let ext_member = snap.find_by_name("ext").expect("ext in rust-a's view");
    assert_eq!(ext_member.swim_address, ext.swim_address);
    assert_eq!(ext_member.id.len(), 64);
    println!("converged after {:?}", began.elapsed());

    // PeerInfo from Rust: metadata in swell-agent's tag encoding (a JSON object of
    // strings), so the daemon shows it as tags.
    let mut info = b.local_info().expect("rust-b in its own view");
    assert_eq!(info.id, "rust-b");
    let before = b.snapshot().find(b.id()).expect("self").incarnation;
    info.metadata = br#"{"load":"3"}"#.to_vec();
    info.metrics_port = 9100;
    b.set_local_info(&info).expect("set_local_info");
    wait_until("rust-c sees rust-b's new metadata", CONVERGE, || {
        c.snapshot()
            .find(b.id())
            .map_or(false, |m| m.metadata == info.metadata && m.metrics_port == 9100)
    });
    assert!(c.snapshot().find(b.id()).unwrap().incarnation > before);
    wait_until("the swell-agent process shows rust-b's tag load=3", CONVERGE, || {
        named(&ext.members(), "rust-b")
            .and_then(|m| m.get("tags"))
            .and_then(|t| t.get("load"))
            .and_then(Json::as_str)
            == Some("3")
    });
    println!("metadata spread after {:?}", began.elapsed());

    // rust-c stops without leaving: the others must detect it and say why.
    let stopped_at = Instant::now();
    drop(c);
    for (name, events) in [("rust-a", &a_events), ("rust-b", &b_events)] {
        let e = wait_for_failure(events, &c_id, DETECT);
        let evidence = e
            .evidence
            .unwrap_or_else(|| panic!("{}: failed event without evidence", name));
        assert_eq!(evidence.declared_by.len(), 64, "{}: {:?}", name, evidence);
        assert_eq!(evidence.first_suspected_by.len(), 64, "{}: {:?}", name, evidence);
        assert_eq!(e.member.name, "rust-c");
        println!(
            "{} saw rust-c fail after {:?}: {:?}",
            name,
            stopped_at.elapsed(),
            evidence
        );
    }
    wait_until("the swell-agent process lists rust-c as dead", DETECT, || {
        named(&ext.members(), "rust-c")
            .and_then(|m| m.get("state"))
            .and_then(Json::as_str)
            == Some("dead")
    });
    assert_eq!(a.snapshot().count(MemberState::Alive), 3);

    // The operator retires it: force_leave spreads, and every member holds it as left.
    assert!(a.force_leave("not-a-node-id").is_err());
    a.force_leave(&c_id).expect("force_leave");
    wait_until("rust-a holds rust-c as left", CONVERGE, || {
        a.snapshot().find(&c_id).map_or(false, |m| m.state == MemberState::Left)
    });

    // A graceful leave is seen as left, not failed.
    let a_id = a.id().to_string();
    a.leave(Duration::from_secs(2)).expect("leave");
    wait_until("rust-b sees rust-a as left", CONVERGE, || {
        b.snapshot().find(&a_id).map_or(false, |m| m.state == MemberState::Left)
    });
    assert_eq!(a.dropped_events(), 0);
    println!("done after {:?}; swell-agent said:\n{}", began.elapsed(), ext.log());
}

#[test]
fn two_lone_agents_merge_by_join() {
    let a = start("lone-a", &[]);
    let b = start("lone-b", &[]);
    assert!(b.join(&["no-port"]).is_err());
    assert!(b.join::<&str>(&[]).is_err());
    b.join(&[a.address()]).expect("join");
    for (name, agent) in [("lone-a", &a), ("lone-b", &b)] {
        wait_until(&format!("{} sees 2 members alive", name), CONVERGE, || {
            agent.snapshot().count(MemberState::Alive) == 2
        });
    }
}
