"""Tests of swell.py (the ctypes bindings) against a built libswell and swell-agent.

    SWELL_LIBRARY=build/lib/libswell.so SWELL_AGENT=build/lib/agent/swell-agent \
    SWELL_ABI_LAYOUT=build/tests/bindings/abi_layout python3 bindings/python/test_swell.py

The cluster test: two `swell-agent run` processes form the running cluster, a Python
agent joins it and sees 3 members alive, its new metadata reaches a daemon, then one
daemon is killed with SIGKILL and the Python agent sees it fail, with evidence, through
both on_event and poll_event. Every wait is a condition with a deadline. Exits 77 (SKIP)
without SWELL_AGENT or on a sanitizer build of libswell.
"""
import ctypes
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

CONVERGE_S = 30
DETECT_S = 30  # Config::local detects a failure in about 4 s; margin for a loaded CI


def wait_until(what, limit_s, done):
    """Polls done() until it holds; fails the test naming what at the deadline."""
    until = time.monotonic() + limit_s
    while not done():
        if time.monotonic() > until:
            raise AssertionError(f"timed out after {limit_s} s waiting until {what}")
        time.sleep(0.02)  # polling interval, not a decision


class AgentProcess:
    """A `swell-agent run --preset local` child on 127.0.0.1; kill() or close() ends it."""

    def __init__(self, exe, name, seed=None):
        self.exe = exe
        self.data_dir = tempfile.mkdtemp(prefix=f"swell-py-{name}-")
        args = [exe, "run", "--id", name, "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0",
                "--data-dir", self.data_dir, "--preset", "local"]
        if seed:
            args += ["--join", seed]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        self.lines = []
        found = queue.Queue()

        def drain():  # for the whole run, so the child never blocks on a full pipe
            for line in self.proc.stderr:
                self.lines.append(line.rstrip("\n"))
                found.put(line)

        self.drainer = threading.Thread(target=drain, daemon=True)
        self.drainer.start()
        self.swim_address = self.http_address = None
        until = time.monotonic() + 20
        while self.swim_address is None or self.http_address is None:
            try:
                line = found.get(timeout=max(0.0, until - time.monotonic()))
            except queue.Empty:
                self.close()
                raise AssertionError(f"{exe} printed no 'running at' and 'HTTP API at' lines within 20 s:\n"
                                     + "\n".join(self.lines))
            if "running at " in line:
                self.swim_address = line.split("running at ", 1)[1].split(";", 1)[0]
            if "HTTP API at http://" in line:
                self.http_address = line.split("HTTP API at http://", 1)[1].split("/", 1)[0]

    def members(self):
        """`swell-agent members --json`; [] while it cannot answer."""
        out = subprocess.run([self.exe, "members", "--json", "--http", self.http_address],
                             capture_output=True, text=True)
        return json.loads(out.stdout) if out.returncode == 0 else []

    def kill(self):
        self.proc.kill()  # SIGKILL: no leave, no goodbye
        self.proc.wait()

    def close(self):
        if self.proc.poll() is None:
            self.kill()
        self.drainer.join(timeout=5)  # EOF once the child is gone
        self.proc.stderr.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class LayoutTest(unittest.TestCase):
    def test_structs_and_constants_match_the_c_header(self):
        program = os.environ.get("SWELL_ABI_LAYOUT")
        if not program:
            self.skipTest("set SWELL_ABI_LAYOUT to build/tests/bindings/abi_layout")
        import swell
        structs = {"swell_member": swell._Member, "swell_evidence": swell._Evidence,
                   "swell_event": swell._Event, "swell_agent_options": swell._AgentOptions}
        enums = {"NODE": swell.NodeType, "STATE": swell.MemberState, "EVENT": swell.EventKind,
                 "PRESET": swell.Preset}
        wrong = []
        out = subprocess.run([program], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            name, value = line.split(" ")
            value = int(value)
            what, _, rest = name.partition(".")
            if what == "sizeof" and rest in structs:
                got = ctypes.sizeof(structs[rest])
            elif what == "sizeof":
                got = ctypes.sizeof(ctypes.c_int if rest == "swell_status" else ctypes.c_uint)
            elif what == "offsetof":
                struct, field = rest.split(".")
                got = getattr(structs[struct], field).offset if hasattr(structs[struct], field) else None
            else:  # const.SWELL_X
                short = rest[len("SWELL_"):]
                prefix, _, member = short.partition("_")
                if prefix in enums:
                    got = int(enums[prefix][member]) if member in enums[prefix].__members__ else None
                else:
                    got = getattr(swell, short, None)
            if got != value:
                wrong.append(f"{name}: C {value}, swell.py {got}")
        self.assertEqual(wrong, [], "swell.py disagrees with swell.h")


class ErrorTest(unittest.TestCase):
    def test_errors_carry_the_code_and_message(self):
        import swell
        with self.assertRaises(swell.Error) as caught:
            swell.Agent.start(id="k", key_file="/nonexistent/swell/node.key", bind_address="127.0.0.1:0")
        self.assertEqual(caught.exception.code, swell.EKEY_MISSING)
        self.assertTrue(caught.exception.message)
        self.assertEqual(caught.exception.name, swell.strerror(swell.EKEY_MISSING))
        with self.assertRaises(swell.Error) as caught:
            swell.Agent.start(id="bad\0name", generate_identity=True)
        self.assertEqual(caught.exception.code, swell.EINVAL)
        with self.assertRaises(swell.Error) as caught:
            swell.Agent.start(id="p", generate_identity=True, preset="nearby")
        self.assertEqual(caught.exception.code, swell.EINVAL)
        with self.assertRaises(TypeError):
            swell.Agent.start(id="t", generate_identity=True, no_such_option=1)
        self.assertEqual(swell.abi_version(), swell.ABI_VERSION)
        self.assertTrue(swell.version())

    def test_a_labelled_encrypted_agent_starts_and_reads_its_counters(self):
        import swell
        with swell.Agent.start(id="labelled", generate_identity=True, preset="local",
                               bind_address="127.0.0.1:0", cluster_label="blue", encrypt=True) as agent:
            self.assertEqual(agent.counter("node.joins_refused"), 0)
            self.assertEqual(agent.counter("transport.send_errors"), 0)
            with self.assertRaises(swell.Error) as caught:
                agent.counter("node.no_such_counter")
            self.assertEqual(caught.exception.code, swell.EINVAL)
            self.assertIn("node.<name>", caught.exception.message)
        with self.assertRaises(swell.Error) as caught:
            swell.Agent.start(id="bad-label", generate_identity=True, cluster_label="tab\there")
        self.assertEqual(caught.exception.code, swell.ECONFIG)
        self.assertIn("cluster_label", caught.exception.message)


class LoneAgentTest(unittest.TestCase):
    def test_close_waits_for_calls_other_threads_have_in_flight(self):
        import swell
        agent = swell.Agent.start(id="alone", generate_identity=True, preset="local",
                                  bind_address="127.0.0.1:0", metadata=b"m\0with nul")
        me = [m for m in agent.snapshot() if m.id == agent.id]
        self.assertEqual([(m.name, m.metadata, m.swim_address) for m in me],
                         [("alone", b"m\0with nul", agent.address)])
        calls = [0] * 4
        endings = [None] * 4

        def reader(i):
            try:
                while True:
                    agent.snapshot()
                    agent.poll_event()
                    calls[i] += 1
            except swell.Error as e:
                endings[i] = e.code

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        wait_until("every reader has made 50 calls", 30, lambda: min(calls) >= 50)
        agent.close()
        for t in threads:
            t.join(timeout=30)
        self.assertEqual(endings, [swell.ENOT_RUNNING] * 4)
        agent.close()  # idempotent

    def test_two_lone_agents_merge_by_join_and_a_stopped_one_is_force_left(self):
        import swell
        with swell.Agent.start(id="lone-a", generate_identity=True, preset="local",
                               bind_address="127.0.0.1:0") as a, \
                swell.Agent.start(id="lone-b", generate_identity=True, preset="local",
                                  bind_address="127.0.0.1:0") as b:
            with self.assertRaises(swell.Error) as caught:
                b.join([])
            self.assertEqual(caught.exception.code, swell.EINVAL)
            b.join([a.address])
            def alive(agent):
                return sum(1 for m in agent.snapshot() if m.state == swell.MemberState.ALIVE)
            wait_until("both see 2 alive", 30, lambda: alive(a) == 2 and alive(b) == 2)
            with self.assertRaises(swell.Error) as caught:
                a.force_leave(b.id)  # alive here: only a failed member can be retired
            self.assertEqual(caught.exception.code, swell.EINVAL)
            b_id = b.id
            b.stop()
            def state_of_b():
                return next((m.state for m in a.snapshot() if m.id == b_id), None)
            wait_until("a holds b failed", 30, lambda: state_of_b() == swell.MemberState.DEAD)
            a.force_leave(b_id)
            wait_until("a holds b as left", 30, lambda: state_of_b() == swell.MemberState.LEFT)


class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.exe = os.environ.get("SWELL_AGENT")
        if not self.exe:
            self.skipTest("set SWELL_AGENT to build/lib/agent/swell-agent")
        self.processes = []

    def tearDown(self):
        for p in self.processes:
            p.close()

    def test_python_agent_joins_a_running_cluster_and_sees_a_kill(self):
        import swell
        began = time.monotonic()
        first = AgentProcess(self.exe, "ext-a")
        self.processes.append(first)
        second = AgentProcess(self.exe, "ext-b", seed=first.swim_address)
        self.processes.append(second)
        wait_until("the two daemons see each other", CONVERGE_S,
                   lambda: sum(m["state"] == "alive" for m in first.members()) == 2)

        events = queue.Queue()
        with swell.Agent.start(id="py", generate_identity=True, preset=swell.Preset.LOCAL,
                               node_type="proxy", bind_address="127.0.0.1:0",
                               seeds=[first.swim_address], on_event=events.put) as agent:
            alive = lambda: [m for m in agent.snapshot() if m.state == swell.MemberState.ALIVE]
            wait_until("the Python agent sees 3 members alive", CONVERGE_S, lambda: len(alive()) == 3)
            members = {m.name: m for m in agent.snapshot()}
            self.assertEqual(sorted(members), ["ext-a", "ext-b", "py"])
            self.assertEqual(members["ext-b"].swim_address, second.swim_address)
            self.assertEqual(members["py"].id, agent.id)
            self.assertEqual(members["py"].node_type, swell.NodeType.PROXY)
            self.assertEqual(len(members["ext-a"].id), 64)
            print(f"converged after {time.monotonic() - began:.1f} s")

            # PeerInfo from Python, in swell-agent's tag encoding, reaches a daemon.
            agent.set_local_info(metadata=b'{"zone":"py"}', metrics_port=9200)
            wait_until("ext-a shows the Python agent's tag zone=py", CONVERGE_S, lambda: any(
                m.get("name") == "py" and m.get("tags", {}).get("zone") == "py" and m.get("metrics_port") == 9200
                for m in first.members()))
            self.assertEqual([m.node_type for m in agent.snapshot() if m.id == agent.id], [swell.NodeType.PROXY])

            # kill -9 one daemon: the Python agent must declare it failed, and say why.
            victim = members["ext-b"].id
            killed_at = time.monotonic()
            second.kill()
            failed = None
            until = time.monotonic() + DETECT_S
            while failed is None:
                try:
                    e = events.get(timeout=max(0.0, until - time.monotonic()))
                except queue.Empty:
                    raise AssertionError(f"no failed event for ext-b within {DETECT_S} s")
                if e.kind == swell.EventKind.FAILED and e.member.id == victim:
                    failed = e
            self.assertIsNotNone(failed.evidence, "a failed event carries evidence")
            self.assertEqual(len(failed.evidence.declared_by), 64)
            self.assertEqual(len(failed.evidence.first_suspected_by), 64)
            self.assertEqual(failed.member.name, "ext-b")
            self.assertEqual(failed.member.state, swell.MemberState.DEAD)
            print(f"on_event: ext-b failed after {time.monotonic() - killed_at:.1f} s: {failed.evidence}")

            # The same event waits in libswell's queue for poll_event.
            polled = []
            wait_until("poll_event yields the failed event", 5, lambda: (
                polled.append(agent.poll_event()) or any(
                    p is not None and p.kind == swell.EventKind.FAILED and p.member.id == victim for p in polled)))
            polled_failed = next(p for p in polled if p is not None and p.kind == swell.EventKind.FAILED
                                 and p.member.id == victim)
            self.assertEqual(polled_failed.evidence, failed.evidence)
            self.assertEqual(len(alive()), 2)

            agent.leave(timeout=2.0)
            wait_until("ext-a lists the Python agent as left", CONVERGE_S, lambda: any(
                m.get("name") == "py" and m.get("state") == "left" for m in first.members()))
        with self.assertRaises(swell.Error) as caught:
            agent.snapshot()
        self.assertEqual(caught.exception.code, swell.ENOT_RUNNING)
        print(f"done after {time.monotonic() - began:.1f} s")


class ExampleTest(unittest.TestCase):
    def test_the_documented_example_runs(self):
        began = time.monotonic()
        out = subprocess.run([sys.executable, os.path.join(HERE, "example.py")], capture_output=True,
                             text=True, timeout=120)
        sys.stdout.write(out.stdout)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("backend-2 left", out.stdout)
        print(f"example.py took {time.monotonic() - began:.1f} s")


if __name__ == "__main__":
    if os.environ.get("SWELL_SANITIZE", "none") not in ("", "none"):
        print(f"SKIP: libswell is built with -fsanitize={os.environ['SWELL_SANITIZE']}; "
              "the Python bindings run in the plain build")
        sys.exit(77)
    if not os.environ.get("SWELL_AGENT"):
        print("SKIP: set SWELL_AGENT (and SWELL_LIBRARY) to a build's swell-agent and libswell.so")
        sys.exit(77)
    unittest.main(verbosity=2)
