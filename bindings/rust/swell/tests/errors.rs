// Errors come back as values with libswell's code and message; nothing here needs a peer.
use swell::{ffi, Agent, AgentOptions, Preset, Snapshot};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn agent_and_snapshot_are_send_and_sync() {
    assert_send_sync::<Agent>();
    assert_send_sync::<Snapshot>();
}

#[test]
fn the_library_is_the_abi_this_crate_mirrors() {
    assert_eq!(swell::abi_version(), ffi::SWELL_ABI_VERSION);
    assert!(!swell::version().is_empty());
}

#[test]
fn a_nul_byte_is_refused_before_libswell() {
    let e = Agent::start(AgentOptions::new("bad\0name").generate_identity()).unwrap_err();
    assert_eq!(e.code(), ffi::SWELL_EINVAL);
    assert!(e.message().contains("id"), "{}", e);
}

#[test]
fn a_missing_key_file_gives_its_code_and_message() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-dir/node.key");
    let e = Agent::start(AgentOptions::new("k").key_file(&path).bind_address("127.0.0.1:0")).unwrap_err();
    assert_eq!(e.code(), ffi::SWELL_EKEY_MISSING, "{}", e);
    assert!(!e.message().is_empty());
    assert_eq!(e.name(), swell::status_name(ffi::SWELL_EKEY_MISSING));
    println!("{}", e);
}

#[test]
fn a_bad_bind_address_is_an_error_not_a_crash() {
    let e = Agent::start(
        AgentOptions::new("b")
            .generate_identity()
            .preset(Preset::Local)
            .bind_address("not-an-address"),
    )
    .unwrap_err();
    assert!(e.code() < 0);
    assert!(!e.message().is_empty(), "{}", e);
    println!("{}", e);
}

#[test]
fn a_lone_agent_reports_itself_and_stops_twice() {
    let agent = Agent::start(
        AgentOptions::new("alone")
            .generate_identity()
            .preset(Preset::Local)
            .bind_address("127.0.0.1:0")
            .metadata(b"m".to_vec()),
    )
    .expect("start");
    assert_eq!(agent.id().len(), 64);
    assert!(agent.address().starts_with("127.0.0.1:"), "{}", agent.address());
    let me = agent.snapshot().find(agent.id()).expect("itself in its view");
    assert_eq!(me.name, "alone");
    assert_eq!(me.metadata, b"m");
    assert_eq!(me.swim_address, agent.address());
    while let Some(e) = agent.poll_event().expect("poll") {
        println!("{} {}", e.kind, e.member.name);
    }
    agent.stop().expect("stop");
    agent.stop().expect("stop is idempotent");
}

#[test]
fn a_labelled_encrypted_agent_starts_and_reads_its_counters() {
    let agent = Agent::start(
        AgentOptions::new("labelled")
            .generate_identity()
            .preset(Preset::Local)
            .bind_address("127.0.0.1:0")
            .cluster_label("blue")
            .encrypt(true),
    )
    .expect("start");
    let snapshot = agent.snapshot();
    assert_eq!(snapshot.counter("node.joins_refused").expect("a node counter"), 0);
    assert_eq!(snapshot.counter("transport.send_errors").expect("a transport counter"), 0);
    let e = snapshot.counter("node.no_such_counter").unwrap_err();
    assert_eq!(e.code(), ffi::SWELL_EINVAL);
    assert!(e.message().contains("node.<name>"), "{}", e);
    let e = Agent::start(AgentOptions::new("bad-label").generate_identity().cluster_label("tab\there")).unwrap_err();
    assert_eq!(e.code(), ffi::SWELL_ECONFIG, "{}", e);
    assert!(e.message().contains("cluster_label"), "{}", e);
}
