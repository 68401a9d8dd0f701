#!/usr/bin/env python3
"""swell-agent run as operators run it: real processes on 127.0.0.1, each with its
own data directory and HTTP API (port 0, read back from the agent's log line). Checks,
each by a condition with a deadline:
  1. config errors: exit code 2 and a message naming the key;
  2. `members` (table, --json, --state, --node-type) and `info` against a running agent;
  3. an event handler gets the event on stdin and SWELL_* in its environment, and a
     hanging one is killed at its timeout without delaying membership;
  4. SIGHUP reloads the tags and the others see them;
  5. SIGTERM: the others see the member left, not failed, and it exits 0;
  6. a restart from the data directory with every configured seed down rejoins
     through the remembered members;
  7. kill -9 of a member, then `force-leave`: every other member holds it left;
  8. `join` merges a lone agent into the cluster.
Usage: daemon_test.py SWELL_AGENT"""
import json
import os
import signal
import subprocess
import sys

import agent_process
from agent_process import Run, run_main

RUN = Run(sys.argv[1], "swell-daemon-")
AGENT = RUN.agent
WORK = RUN.work
check = RUN.check
wait_for = RUN.wait_for


def Agent(name, *extra, **kwargs):
    return agent_process.Agent(RUN, name, *extra, **kwargs)


def config_errors():
    bad = os.path.join(WORK, "bad.toml")
    cases = [('[peer]\nnode_type = "router"\n', "peer.node_type"),
             ('bind = "nowhere"\n', "bind"),
             ('colour = "blue"\n', "colour")]
    for text, key in cases:
        with open(bad, "w") as f:
            f.write(text)
        got = subprocess.run([AGENT, "run", "--config", bad, "--data-dir", os.path.join(WORK, "never")],
                             capture_output=True, text=True, timeout=20)
        check(got.returncode == 2 and key in got.stderr, f"config error names {key!r}: exit {got.returncode}, {got.stderr.strip()}")
    got = subprocess.run([AGENT, "run", "--id", "x", "--bind", "127.0.0.1:0"], capture_output=True, text=True, timeout=20)
    check(got.returncode == 2 and "--data-dir" in got.stderr, f"no key and no data dir: exit {got.returncode}, {got.stderr.strip()}")
    key = os.path.join(WORK, "open.key")
    subprocess.run([AGENT, "keygen", key], check=True, capture_output=True)
    os.chmod(key, 0o644)
    got = subprocess.run([AGENT, "run", "--key-file", key, "--bind", "127.0.0.1:0", "--http", ""],
                         capture_output=True, text=True, timeout=20)
    check(got.returncode == 2 and "chmod" in got.stderr, f"world-readable key refused: exit {got.returncode}, {got.stderr.strip()}")


def main():
    config_errors()
    handler_out = os.path.join(WORK, "handler")
    os.mkdir(handler_out)
    hook = f"cat > {handler_out}/$SWELL_MEMBER_NAME.json; env | grep ^SWELL_ > {handler_out}/$SWELL_MEMBER_NAME.env"
    conf = os.path.join(WORK, "a3.toml")
    with open(conf, "w") as f:
        f.write('[tags]\nzone = "z1"\n')
    a1_conf = os.path.join(WORK, "a1.toml")
    with open(a1_conf, "w") as f:
        f.write("[event_handlers]\ntimeout_ms = 1000\n")
    a1 = Agent("a1", "--event-handler", f"joined={hook}", "--event-handler", "joined=sleep 60", node_type="proxy",
               config=a1_conf)
    seed = ["--join", a1.swim]
    a2 = Agent("a2", *seed)
    a3 = Agent("a3", *seed, config=conf)
    a4 = Agent("a4", *seed)
    agents = [a1, a2, a3, a4]
    wait_for("4 agents converged, with a hanging handler on every join at a1",
             lambda: all(len(a.members("--state", "alive")) == 4 for a in agents))

    # 2. members and info.
    table = a1.cli("members")
    check(table.returncode == 0 and all(a.name in table.stdout for a in agents) and "STATE" in table.stdout,
          "members prints a table of every member")
    backends = a1.members("--state", "alive", "--node-type", "backend")
    check(sorted(m["name"] for m in backends) == ["a2", "a3", "a4"], f"--state alive --node-type backend: {[m['name'] for m in backends]}")
    info = a1.cli("info")
    check(info.returncode == 0 and "a1" in info.stdout, "info prints the agent")
    info_json = json.loads(a1.cli("info", "--json").stdout)
    check(isinstance(info_json, dict), "info --json is an object")

    # 3. the handler's stdin and environment; the hanging one killed at its timeout.
    wait_for("the joined handler wrote a2's event and environment",
             lambda: os.path.exists(f"{handler_out}/a2.env") and os.path.getsize(f"{handler_out}/a2.env") > 0)
    event = json.load(open(f"{handler_out}/a2.json"))
    env = dict(line.split("=", 1) for line in open(f"{handler_out}/a2.env").read().splitlines() if "=" in line)
    check(event["kind"] == "joined" and event["member"]["name"] == "a2", f"handler stdin is the event: {event['kind']} {event['member'].get('name')}")
    check(env.get("SWELL_EVENT") == "joined" and env.get("SWELL_MEMBER_NAME") == "a2" and
          env.get("SWELL_MEMBER_SWIM_ADDRESS") == a2.swim and env.get("SWELL_NODE_TYPE") == "backend",
          f"handler environment: {sorted(env)}")
    wait_for("the hanging handler was killed at its timeout (1 s) and counted",
             lambda: "timed out" in open(a1.log_path).read() and
             json.loads(a1.cli("info", "--json").stdout)["daemon"]["handler_timeouts"] >= 1, 20)

    # 4. SIGHUP: new tags announced to all.
    with open(conf, "w") as f:
        f.write('[tags]\nzone = "z2"\ngpu = "h100"\n')
    a3.proc.send_signal(signal.SIGHUP)
    wait_for("SIGHUP reload: every member sees a3's new tags",
             lambda: all((a.member("a3") or {}).get("tags") == {"zone": "z2", "gpu": "h100"} for a in agents))

    # 5. SIGTERM: left, not failed; exit 0.
    a4.proc.send_signal(signal.SIGTERM)
    code = a4.proc.wait(timeout=20)
    check(code == 0, f"SIGTERM: a4 exited {code}")
    wait_for("the others hold a4 left", lambda: all(a.state_of("a4") == "left" for a in (a1, a2, a3)))
    check(all('"kind":"failed"' not in open(a.events_path).read() for a in (a1, a2, a3)),
          "nobody declared a4 failed")

    # 6. restart from the data directory with every configured seed down.
    a2.proc.send_signal(signal.SIGTERM)
    a2.proc.wait(timeout=20)
    a1.proc.send_signal(signal.SIGKILL)
    a1.proc.wait()
    a2.start()
    wait_for("a2 restarted with its only seed (a1) down rejoined through a3",
             lambda: a2.state_of("a3") == "alive" and a3.state_of("a2") == "alive")

    # 7. kill -9, then force-leave.
    wait_for("a1 (killed) is held failed", lambda: a3.state_of("a1") == "dead" and a2.state_of("a1") == "dead")
    fl = a3.cli("force-leave", "a1")
    check(fl.returncode == 0, f"force-leave a1: exit {fl.returncode} {fl.stderr.strip()}")
    wait_for("after force-leave every member holds a1 left",
             lambda: a3.state_of("a1") == "left" and a2.state_of("a1") == "left")
    fl = a3.cli("force-leave", "a2")
    check(fl.returncode != 0, f"force-leave of a live member refused: {fl.stderr.strip()}")

    # 8. join: a lone agent merges.
    a5 = Agent("a5")
    got = a5.cli("join", a3.swim)
    check(got.returncode == 0, f"join: exit {got.returncode} {got.stderr.strip()}")
    wait_for("a5 joined through `join`", lambda: a5.state_of("a3") == "alive" and a3.state_of("a5") == "alive"
             and a2.state_of("a5") == "alive")
    # PUT /v1/leave through the CLI: the agent leaves and exits 0.
    got = a5.cli("leave")
    check(got.returncode == 0 and a5.proc.wait(timeout=20) == 0, "leave: a5 left and exited 0")


if __name__ == "__main__":
    run_main(RUN, main)
