#!/usr/bin/env python3
"""swell-agent's admission as operators run it: real agents on 127.0.0.1, port 0.
Checks, each by a condition with a deadline:
  1. allowlist: an unlisted agent cannot join, and the refusals show in /metrics;
     SIGHUP with its key added lets it in; a bad allow-list on SIGHUP keeps the old one;
  2. ca: agents with certificates from `swell-agent ca sign` join; an agent whose
     certificate expired (or is another node's) does not start; one whose certificate
     expires while it waits to join is refused by the cluster;
  3. `ca revoke` handed to one agent with `swell-agent revoke` removes the member at
     every agent, and after every agent restarts it stays out (revoked-keys.txt).
Usage: admission_daemon_test.py SWELL_AGENT"""
import datetime
import os
import re
import signal
import sys

from agent_process import Agent, Run, run_main

RUN = Run(sys.argv[1], "swell-admission-")


def new_key(name):
    """A data directory holding a fresh node key; the key's public hex."""
    d = RUN.path(name)
    os.makedirs(d, mode=0o700)
    got = RUN.cli("keygen", os.path.join(d, "node.key"))
    assert got.returncode == 0, got.stderr
    return got.stdout.strip()


def config(name, text):
    """A config file; joins retry at least every second, so a refusal lifted shows soon."""
    path = RUN.path(f"{name}.toml")
    with open(path, "w") as f:
        f.write("[join]\nretry_max_ms = 1000\n" + text)
    return path


def refused(agent, reason):
    return agent.metric("swell_admission_refused_total", f'reason="{reason}"')


def allowlist():
    keys = {n: new_key(n) for n in ("l1", "l2", "l3")}
    listed = RUN.path("allow.txt")
    with open(listed, "w") as f:
        f.write(f"# the cluster\n{keys['l1']}  # l1\n{keys['l2']}\n")
    everyone = RUN.path("allow-all.txt")
    with open(everyone, "w") as f:
        f.write("".join(k + "\n" for k in keys.values()))
    closed = config("l", f'[admission]\nmode = "allowlist"\nallowlist_file = "{listed}"\n')
    l1 = Agent(RUN, "l1", config=closed)
    RUN.check("admission: allowlist, 2 key(s)" in l1.log_since_start(), "l1 logs its admission mode")
    l2 = Agent(RUN, "l2", "--join", l1.swim, config=closed)
    RUN.wait_for("l1 and l2 (listed) joined", lambda: l1.state_of("l2") == "alive" and l2.state_of("l1") == "alive")
    l3 = Agent(RUN, "l3", "--join", l1.swim,
               config=config("l3", f'[admission]\nmode = "allowlist"\nallowlist_file = "{everyone}"\n'))
    RUN.wait_for("l1 refuses l3 (not listed) and counts it in /metrics",
                 lambda: refused(l1, "not_listed") >= 2 and l1.metric("swell_joins_refused_total") >= 1)
    RUN.check(l1.state_of("l3") is None and l2.state_of("l3") is None and l3.state_of("l1") is None,
              "l3 is no member at l1 or l2, and learnt none")
    print(f"  l1: dropped_not_admitted={l1.metric('swell_dropped_not_admitted_total')}", flush=True)

    with open(listed, "a") as f:
        f.write(f"{keys['l3']}  # l3, added\n")
    for a in (l1, l2):
        a.proc.send_signal(signal.SIGHUP)
    RUN.wait_for("SIGHUP with l3's key added: every member holds l3 alive",
                 lambda: l1.state_of("l3") == "alive" and l2.state_of("l3") == "alive"
                 and l3.state_of("l2") == "alive", 60)
    RUN.check(l1.metric("swell_allowlist_reloads_total") == 1, "the reload is counted")

    with open(listed, "a") as f:
        f.write("not-a-key\n")
    l2.proc.send_signal(signal.SIGHUP)
    RUN.wait_for("a bad allow-list on SIGHUP is refused and counted",
                 lambda: l2.metric("swell_allowlist_reload_failures_total") == 1)
    log = l2.log_since_start()
    RUN.check(re.search(r"allow\.txt:5: .*not-a-key", log) is not None and "keeping the running settings" in log,
              "the log names the file, the line and that the old list stays")
    RUN.check(l2.state_of("l3") == "alive", "l3 is still a member at l2 after the bad reload")
    for a in (l1, l2, l3):
        a.stop()


def sign(ca_key, name, node_key, expires):
    out = RUN.path(f"{name}.cert")
    got = RUN.cli("ca", "sign", "--ca", ca_key, "--node", node_key, "--expires", expires, "--out", out, "--force")
    assert got.returncode == 0, got.stderr
    until = re.search(r"until (\S+Z)", got.stdout).group(1)
    return out, datetime.datetime.strptime(until, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def ca_flags(ca_id, cert):
    return ["--admission", "ca", "--trusted-ca", ca_id, "--certificate-file", cert]


def ca_mode():
    ca_key = RUN.path("ca.key")
    got = RUN.cli("ca", "init", ca_key)
    RUN.check(got.returncode == 0 and oct(os.stat(ca_key).st_mode & 0o777) == "0o600", "ca init: a 0600 key")
    ca_id = got.stdout.strip()
    again = RUN.cli("ca", "init", ca_key)
    RUN.check(again.returncode == 2 and "already exists" in again.stderr, "ca init never replaces a CA key")
    keys = {n: new_key(n) for n in ("c1", "c2", "c3", "c4")}
    certs = {n: sign(ca_key, n, keys[n], "1d")[0] for n in ("c1", "c2", "c3")}
    join_fast = config("c", "")
    c1 = Agent(RUN, "c1", *ca_flags(ca_id, certs["c1"]), config=join_fast)
    c2 = Agent(RUN, "c2", "--join", c1.swim, *ca_flags(ca_id, certs["c2"]), config=join_fast)
    c3 = Agent(RUN, "c3", "--join", c1.swim, *ca_flags(ca_id, certs["c3"]), config=join_fast)
    agents = [c1, c2, c3]
    RUN.wait_for("three agents with certificates from `ca sign` joined",
                 lambda: all(len(a.members("--state", "alive")) == 3 for a in agents))

    # Refused at start: an expired certificate, and another node's.
    old, _ = sign(ca_key, "c4-old", keys["c4"], "2020-01-01")
    got = RUN.cli("run", "--data-dir", RUN.path("c4"), "--bind", "127.0.0.1:0", "--http", "", *ca_flags(ca_id, old))
    RUN.check(got.returncode == 2 and "expired at 2020-01-01" in got.stderr, f"an expired certificate: {got.stderr.strip()}")
    got = RUN.cli("run", "--data-dir", RUN.path("c4"), "--bind", "127.0.0.1:0", "--http", "",
                  *ca_flags(ca_id, certs["c1"]))
    RUN.check(got.returncode == 2 and "not this node's key" in got.stderr, f"another node's certificate: {got.stderr.strip()}")

    # Refused by the cluster: a certificate that expires while its agent waits to join.
    c4 = None
    for _ in range(5):  # a start slower than the certificate's life is retried with a new one
        short, expires = sign(ca_key, "c4", keys["c4"], "4s")
        try:
            c4 = Agent(RUN, "c4", *ca_flags(ca_id, short), config=join_fast)
            break
        except RuntimeError as e:
            print(f"  c4 did not start in time, again: {e}", flush=True)
    if RUN.check(c4 is not None, "c4 started with a 4 s certificate"):
        RUN.wait_for("c4's certificate has expired", lambda: datetime.datetime.now(datetime.timezone.utc) > expires
                     + datetime.timedelta(seconds=1), 15)
        RUN.check(c4.cli("join", c1.swim).returncode == 0, "c4 asked to join c1")
        RUN.wait_for("c1 refuses c4's expired certificate", lambda: refused(c1, "expired") >= 1)
        RUN.check(c1.state_of("c4") is None and c4.state_of("c1") is None, "c4 is no member")
        c4.stop()
    return ca_key, certs, agents, keys["c3"]


def revocation(ca_key, certs, agents, c3_key):
    c1, c2, c3 = agents
    rev = RUN.path("c3.revocation")
    got = RUN.cli("ca", "revoke", "--ca", ca_key, "--key", c3_key, "--out", rev)
    RUN.check(got.returncode == 0, f"ca revoke: {got.stderr.strip()}")
    bad = c1.cli("revoke", certs["c1"])
    RUN.check(bad.returncode == 1 and "not a revocation" in bad.stderr, f"revoke with a certificate file: {bad.stderr.strip()}")
    got = c2.cli("revoke", rev)
    RUN.check(got.returncode == 0 and c3_key in got.stdout, f"swell-agent revoke at c2: {got.stdout.strip()} {got.stderr.strip()}")
    RUN.wait_for("the revoked member is removed at every other agent",
                 lambda: all(a.state_of("c3") not in ("alive", "suspect") for a in (c1, c2)))
    RUN.wait_for("both keep it in revoked-keys.txt",
                 lambda: all(c3_key in open(os.path.join(a.dir, "revoked-keys.txt")).read() for a in (c1, c2)))
    RUN.check(c1.metric("swell_revocations_applied_total") == 1, "c1 applied it (learnt by gossip)")

    for a in agents:
        a.stop()
    c1.start()
    RUN.check("1 revoked key(s)" in c1.log_since_start(), "restarted c1 loads the revoked key")
    c2.args += ["--join", c1.swim]
    c2.start()
    RUN.wait_for("c1 and c2 restarted", lambda: c1.state_of("c2") == "alive" and c2.state_of("c1") == "alive")
    c3.args += ["--join", c1.swim]
    c3.start()
    RUN.wait_for("restarted c3 (revoked) is refused", lambda: refused(c1, "revoked") >= 1)
    RUN.check(c1.state_of("c3") not in ("alive", "suspect") and c2.state_of("c3") not in ("alive", "suspect"),
              "after the restarts the revoked member stays out")


def main():
    allowlist()
    revocation(*ca_mode())


if __name__ == "__main__":
    run_main(RUN, main)
