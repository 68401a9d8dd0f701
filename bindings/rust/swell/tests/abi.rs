// src/ffi.rs against the C compiler: every struct size, field offset, enum size and
// constant that tests/bindings/abi_layout.c prints must match the Rust declaration.
// The suite passes that program's path in SWELL_ABI_LAYOUT; without it the check is
// skipped (say so, not silently).
use std::collections::BTreeMap;
use std::mem::{size_of, MaybeUninit};
use std::process::Command;

use swell::ffi::*;

/// Byte offset of a field; `offset_of!` arrived after Rust 1.63.
macro_rules! offset {
    ($t:ty, $f:ident) => {{
        let u = MaybeUninit::<$t>::uninit();
        let base = u.as_ptr();
        // SAFETY: addr_of! takes the field's address without reading or referencing it.
        let field = unsafe { std::ptr::addr_of!((*base).$f) };
        field as usize - base as usize
    }};
}

macro_rules! fields {
    ($map:ident, $t:ident { $($f:ident),* $(,)? }) => {
        $map.insert(format!("sizeof.{}", stringify!($t)), size_of::<$t>() as i64);
        $( $map.insert(format!("offsetof.{}.{}", stringify!($t), stringify!($f)), offset!($t, $f) as i64); )*
    };
}

macro_rules! consts {
    ($map:ident, $($c:ident),* $(,)?) => {
        $( $map.insert(format!("const.{}", stringify!($c)), $c as i64); )*
    };
}

#[rustfmt::skip]
fn rust_layout() -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    fields!(m, swell_member {
        node_id, node_id_hex, state, incarnation, id, address, swim_address, metrics_port,
        node_type, is_load_balancer, last_updated_ms, metadata, metadata_len,
    });
    fields!(m, swell_evidence {
        first_suspected_by_hex, confirmations, nacks_seen, probed_by_us, declared_by_hex,
        timeout_s, local_health, flapping, degraded,
    });
    fields!(m, swell_event { kind, member, has_evidence, evidence, previous_hex });
    fields!(m, swell_agent_options {
        size, key_file, generate_identity, preset, id, address, metrics_port, node_type,
        is_load_balancer, metadata, metadata_len, bind_address, advertise_address, seeds,
        seed_count, on_event, on_event_user_data, event_queue_capacity, cluster_label, encrypt,
    });
    for (name, size) in [
        ("swell_node_type", size_of::<swell_node_type>()),
        ("swell_member_state", size_of::<swell_member_state>()),
        ("swell_event_kind", size_of::<swell_event_kind>()),
        ("swell_preset", size_of::<swell_preset>()),
        ("swell_status", size_of::<swell_status>()),
    ] {
        m.insert(format!("sizeof.{}", name), size as i64);
    }
    consts!(m,
        SWELL_ABI_VERSION, SWELL_OK, SWELL_EINVAL, SWELL_ECONFIG, SWELL_EIO, SWELL_EKEY_MISSING,
        SWELL_EKEY_PERMISSIONS, SWELL_EKEY_CORRUPT, SWELL_ECRYPTO, SWELL_EPEER_INFO, SWELL_ENOT_RUNNING,
        SWELL_EWRONG_STATE, SWELL_EUNKNOWN_MEMBER, SWELL_EAGAIN, SWELL_EINTERNAL,
        SWELL_NODE_PROXY, SWELL_NODE_BACKEND, SWELL_NODE_GOVERNATOR,
        SWELL_STATE_ALIVE, SWELL_STATE_SUSPECT, SWELL_STATE_DEAD, SWELL_STATE_LEFT,
        SWELL_EVENT_JOINED, SWELL_EVENT_UPDATED, SWELL_EVENT_SUSPECTED, SWELL_EVENT_FAILED,
        SWELL_EVENT_LEFT, SWELL_EVENT_RECOVERED, SWELL_EVENT_NAME_CONFLICT, SWELL_EVENT_ROTATED,
        SWELL_PRESET_LAN, SWELL_PRESET_WAN, SWELL_PRESET_LOCAL,
    );
    m
}

#[test]
fn ffi_matches_the_c_header() {
    let program = match std::env::var("SWELL_ABI_LAYOUT") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("SKIPPED ffi_matches_the_c_header: set SWELL_ABI_LAYOUT to build/tests/bindings/abi_layout");
            return;
        }
    };
    let out = Command::new(&program)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {}", program, e));
    assert!(out.status.success(), "{} failed", program);
    let c: BTreeMap<String, i64> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| {
            let (name, value) = line.split_once(' ').expect("NAME VALUE");
            (name.to_string(), value.parse().expect("a number"))
        })
        .collect();
    let rust = rust_layout();
    let mut wrong = Vec::new();
    for (name, c_value) in &c {
        match rust.get(name) {
            Some(r) if r == c_value => {}
            Some(r) => wrong.push(format!("{}: C {} but Rust {}", name, c_value, r)),
            None => wrong.push(format!("{}: in the header, not in src/ffi.rs", name)),
        }
    }
    for name in rust.keys().filter(|n| !c.contains_key(*n)) {
        wrong.push(format!("{}: in src/ffi.rs, not printed by {}", name, program));
    }
    assert!(
        wrong.is_empty(),
        "src/ffi.rs disagrees with swell.h:\n  {}",
        wrong.join("\n  ")
    );
    println!("{} sizes, offsets and constants match", c.len());
}
