#!/usr/bin/env python3
"""Multi-host test: 5 network namespaces joined by veth pairs to a bridge (in a sixth,
hub namespace, so the host's own network is never touched), one `swell-agent run`
process in each on its own address. Checks, each by condition with a deadline:
  1. convergence;
  2. 20% random inbound UDP loss at every host (nftables) for 60 s: no false dead;
  3. a 2/3 partition by nftables drop rules for 30 s: each side declares the other
     failed; after the rules go, full membership everywhere within 60 s, no operator;
  4. kill -9 of one agent: detected (dead) by all four others.
Needs root, `ip netns` and nft; otherwise prints SKIP and exits 77 (meson's skip code).
The namespaces are removed on every exit path.
Usage: multihost_test.py SWELL_AGENT [--short]   (--short: 15 s loss, 15 s partition)"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

AGENT = sys.argv[1]
SHORT = "--short" in sys.argv
TAG = f"sw{os.getpid() % 100000}"
HUB = f"{TAG}hub"
HOSTS = [f"{TAG}n{i}" for i in range(5)]
ADDR = [f"10.231.{os.getpid() % 200}.{10 + i}" for i in range(5)]
PORT = 7946
LOSS_S = 15 if SHORT else 60
SPLIT_S = 15 if SHORT else 30


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True)


def ns(host, *args, check=True):
    return sh("ip", "netns", "exec", host, *args, check=check)


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def cleanup(procs, workdir):
    for p in procs:
        if p and p.poll() is None:
            p.kill()
            p.wait()
    for name in HOSTS + [HUB]:
        sh("ip", "netns", "del", name, check=False)
    shutil.rmtree(workdir, ignore_errors=True)


def build_network():
    sh("ip", "netns", "add", HUB)
    ns(HUB, "ip", "link", "add", "br0", "type", "bridge")
    ns(HUB, "ip", "link", "set", "br0", "up")
    for i, host in enumerate(HOSTS):
        sh("ip", "netns", "add", host)
        sh("ip", "link", "add", f"{TAG}v{i}", "type", "veth", "peer", "name", "eth0", "netns", host)
        sh("ip", "link", "set", f"{TAG}v{i}", "netns", HUB)
        ns(HUB, "ip", "link", "set", f"{TAG}v{i}", "master", "br0")
        ns(HUB, "ip", "link", "set", f"{TAG}v{i}", "up")
        ns(host, "ip", "addr", "add", f"{ADDR[i]}/24", "dev", "eth0")
        ns(host, "ip", "link", "set", "eth0", "up")
        ns(host, "ip", "link", "set", "lo", "up")
        ns(host, "nft", "add", "table", "inet", "swell")
        ns(host, "nft", "add", "chain", "inet", "swell", "input", "{ type filter hook input priority 0 ; }")
        ns(host, "nft", "add", "chain", "inet", "swell", "output", "{ type filter hook output priority 0 ; }")


def start_agent(i, workdir):
    key = os.path.join(workdir, f"n{i}.key")
    if not os.path.exists(key):
        sh(AGENT, "keygen", key)
    # Each namespace has its own loopback, so every agent's HTTP API can use one port.
    args = ["ip", "netns", "exec", HOSTS[i], AGENT, "run", "--key-file", key, "--id", f"n{i}",
            "--bind", f"{ADDR[i]}:{PORT}", "--http", "127.0.0.1:7947", "--quiet"]
    if i > 0:
        args += ["--join", f"{ADDR[0]}:{PORT}"]
    log = open(os.path.join(workdir, f"n{i}.log"), "w")
    return subprocess.Popen(args, stdout=log, stderr=log)


def status(i, workdir):
    """Agent i's view through its HTTP API: {"alive": count, "members": [...]}, or None."""
    got = ns(HOSTS[i], AGENT, "members", "--json", "--http", "127.0.0.1:7947", check=False)
    if got.returncode != 0:
        return None
    try:
        members = json.loads(got.stdout)
    except ValueError:
        return None
    return {"alive": sum(m["state"] == "alive" for m in members), "members": members}


def state_of(st, name):
    for m in (st or {}).get("members", []):
        if m["name"] == name:
            return m["state"]
    return None


def wait_for(what, cond, limit_s):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        if cond():
            print(f"ok: {what} after {time.monotonic() - t0:.1f} s")
            return True
        time.sleep(0.2)  # polling interval; the outcome is the condition
    print(f"FAIL: {what} not within {limit_s} s")
    return False


def all_alive(workdir, hosts, n):
    return all((status(i, workdir) or {}).get("alive") == n for i in hosts)


def dead_seen(workdir, observers):
    """Names any observer has declared dead."""
    out = set()
    for i in observers:
        for m in (status(i, workdir) or {}).get("members", []):
            if m["state"] == "dead":
                out.add((i, m["name"]))
    return out


def main():
    if os.geteuid() != 0:
        skip("needs root for network namespaces")
    if shutil.which("nft") is None:
        skip("nft not installed (./setup.sh installs nftables)")
    probe = sh("ip", "netns", "add", f"{TAG}probe", check=False)
    if probe.returncode != 0:
        skip(f"network namespaces unavailable: {probe.stderr.strip()}")
    sh("ip", "netns", "del", f"{TAG}probe", check=False)

    workdir = tempfile.mkdtemp(prefix="swell-netns-")
    procs = [None] * 5
    ok = True
    try:
        build_network()
        for i in range(5):
            procs[i] = start_agent(i, workdir)
        ok &= wait_for("5 agents converged", lambda: all_alive(workdir, range(5), 5), 30)

        # 2. 20% random inbound UDP loss at every host: no false dead.
        for h in HOSTS:
            ns(h, "nft", "add", "rule", "inet", "swell", "input", "meta", "l4proto", "udp",
               "numgen", "random", "mod", "100", "<", "20", "drop")
        t0 = time.monotonic()
        false_dead = set()
        while time.monotonic() - t0 < LOSS_S:
            false_dead |= dead_seen(workdir, range(5))
            time.sleep(0.2)
        for h in HOSTS:
            ns(h, "nft", "flush", "chain", "inet", "swell", "input")
        print(f"{'ok' if not false_dead else 'FAIL'}: {LOSS_S} s of 20% inbound loss, false dead: {sorted(false_dead)}")
        ok &= not false_dead
        ok &= wait_for("membership intact after the loss", lambda: all_alive(workdir, range(5), 5), 30)

        # 3. 2/3 partition by drop rules, then heal with no operator.
        side_a, side_b = [0, 1], [2, 3, 4]
        for mine, other in ((side_a, side_b), (side_b, side_a)):
            for i in mine:
                for j in other:
                    ns(HOSTS[i], "nft", "add", "rule", "inet", "swell", "input", "ip", "saddr", ADDR[j], "drop")
                    ns(HOSTS[i], "nft", "add", "rule", "inet", "swell", "output", "ip", "daddr", ADDR[j], "drop")

        def split_seen():
            for mine, other in ((side_a, side_b), (side_b, side_a)):
                for i in mine:
                    st = status(i, workdir)
                    if any(state_of(st, f"n{j}") != "dead" for j in other):
                        return False
                    if any(state_of(st, f"n{j}") != "alive" for j in mine):
                        return False
            return True
        t0 = time.monotonic()
        ok &= wait_for("each side of the 2/3 partition declared the other failed", split_seen, SPLIT_S)
        while time.monotonic() - t0 < SPLIT_S:
            time.sleep(0.2)
        for h in HOSTS:
            ns(h, "nft", "flush", "chain", "inet", "swell", "input")
            ns(h, "nft", "flush", "chain", "inet", "swell", "output")
        ok &= wait_for("full membership everywhere after the partition healed",
                       lambda: all_alive(workdir, range(5), 5), 60)

        # 4. kill -9 one agent: every other declares it dead.
        procs[4].send_signal(signal.SIGKILL)
        procs[4].wait()
        ok &= wait_for("kill -9 of n4 detected by all four others",
                       lambda: all(state_of(status(i, workdir), "n4") == "dead" for i in range(4)), 30)
    except subprocess.CalledProcessError as e:
        print(f"FAIL: {' '.join(e.cmd)}: {e.stderr}")
        ok = False
    finally:
        if not ok:
            for i in range(5):
                path = os.path.join(workdir, f"n{i}.log")
                if os.path.exists(path):
                    print(f"--- n{i}.log ---\n" + open(path).read()[-2000:])
        cleanup(procs, workdir)
    leftover = [n for n in sh("ip", "netns", "list").stdout.split() if n.startswith(TAG)]
    if leftover:
        print(f"FAIL: namespaces left behind: {leftover}")
        ok = False
    print("PASS" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
