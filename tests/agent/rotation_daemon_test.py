#!/usr/bin/env python3
"""`swell-agent rotate-key` as operators run it: real agents on 127.0.0.1, port 0.
Checks, each by a condition with a deadline:
  1. open: r2 moves to a key made by `swell-agent keygen`; r1 holds r2 alive under the
     new id and never reports it failed, joined again or left; r2's key file holds the
     new key, and restarted r2 is the same member;
  2. ca: without the new key's certificate the rotation is refused and r2's files stay as
     they were; with one from `ca sign` it moves, and its certificate file is replaced.
Usage: rotation_daemon_test.py SWELL_AGENT"""
import json
import os
import sys

from agent_process import Agent, Run, run_main

RUN = Run(sys.argv[1], "swell-rotation-")


def keygen(path):
    got = RUN.cli("keygen", path)
    assert got.returncode == 0, got.stderr
    return got.stdout.strip()


def key_id(path):
    return RUN.cli("id", path).stdout.strip()


def new_data_dir(name):
    d = RUN.path(name)
    os.makedirs(d, mode=0o700)
    return d, keygen(os.path.join(d, "node.key"))


def events_about(agent, name):
    with open(agent.events_path) as f:
        return [e["kind"] for e in map(json.loads, filter(str.strip, f)) if e.get("member", {}).get("name") == name]


def id_at(agent, name):
    m = agent.member(name)
    return m["id"] if m and m.get("state") == "alive" else None


def rotate(agent, *args):
    return RUN.cli("rotate-key", *args, "--http", agent.http)


def open_mode():
    new_data_dir("r1")
    _, old_id = new_data_dir("r2")
    r1 = Agent(RUN, "r1")
    r2 = Agent(RUN, "r2", "--join", r1.swim)
    RUN.wait_for("r1 and r2 joined", lambda: id_at(r1, "r2") == old_id and id_at(r2, "r1") is not None)
    new_id = keygen(RUN.path("r2-new.key"))
    got = rotate(r2, RUN.path("r2-new.key"))
    RUN.check(got.returncode == 0 and new_id in got.stdout, f"rotate-key: {got.stdout.strip()} {got.stderr.strip()}")
    RUN.wait_for("r1 holds r2 alive under its new id", lambda: id_at(r1, "r2") == new_id)
    RUN.check(key_id(os.path.join(RUN.path("r2"), "node.key")) == new_id, "r2's key file holds the new key")
    RUN.wait_for("r1 reported the rotation", lambda: "rotated" in events_about(r1, "r2"), 10)
    kinds = events_about(r1, "r2")
    RUN.check(not {"failed", "left"} & set(kinds) and kinds.count("joined") == 1,
              f"r1's events about r2: {kinds} (one join, at the start)")
    again = rotate(r2, RUN.path("r2-new.key"))
    RUN.check(again.returncode != 0 and "current one" in again.stderr, f"the same key again: {again.stderr.strip()}")
    r2.stop()
    r2.start()
    RUN.wait_for("restarted, r2 is the same member under the new key", lambda: id_at(r1, "r2") == new_id
                 and r2.cli("info").returncode == 0 and new_id in r2.cli("info").stdout)
    r1.stop()
    r2.stop()


def ca_mode():
    ca_key = RUN.path("ca.key")
    ca_id = RUN.cli("ca", "init", ca_key).stdout.strip()
    certs = {}
    for name in ("c1", "c2"):
        _, node = new_data_dir(name)
        certs[name] = RUN.path(f"{name}.cert")
        got = RUN.cli("ca", "sign", "--ca", ca_key, "--node", node, "--expires", "1d", "--out", certs[name])
        assert got.returncode == 0, got.stderr
    flags = {n: ["--admission", "ca", "--trusted-ca", ca_id, "--certificate-file", certs[n]] for n in certs}
    c1 = Agent(RUN, "c1", *flags["c1"])
    c2 = Agent(RUN, "c2", "--join", c1.swim, *flags["c2"])
    RUN.wait_for("c1 and c2 joined with certificates", lambda: id_at(c1, "c2") is not None)
    old_cert = open(certs["c2"], "rb").read()
    new_id = keygen(RUN.path("c2-new.key"))
    refused = rotate(c2, RUN.path("c2-new.key"))
    RUN.check(refused.returncode != 0 and "certificate" in refused.stderr,
              f"without the new key's certificate: {refused.stderr.strip()}")
    RUN.check(key_id(os.path.join(RUN.path("c2"), "node.key")) != new_id, "a refused rotation leaves the key file")
    new_cert = RUN.path("c2-new.cert")
    RUN.cli("ca", "sign", "--ca", ca_key, "--node", new_id, "--expires", "1d", "--out", new_cert)
    got = rotate(c2, RUN.path("c2-new.key"), "--certificate", new_cert)
    RUN.check(got.returncode == 0, f"rotate-key with its certificate: {got.stderr.strip()}")
    RUN.wait_for("c1 holds c2 alive under its new id", lambda: id_at(c1, "c2") == new_id)
    RUN.check(open(certs["c2"], "rb").read() == open(new_cert, "rb").read() != old_cert,
              "c2's certificate file holds the new key's certificate")
    RUN.check("failed" not in events_about(c1, "c2"), "c1 never reported c2 failed")
    c1.stop()
    c2.stop()


def main():
    open_mode()
    ca_mode()


if __name__ == "__main__":
    run_main(RUN, main)
