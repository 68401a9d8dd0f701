"""swell-agent run as a real process for the process tests (daemon_test.py,
admission_daemon_test.py): each agent on 127.0.0.1 port 0 with its own data directory
and HTTP API, both read back from its log. Conditions are waited on with deadlines.

    run = Run(sys.argv[1], "swell-daemon-")
    a1 = Agent(run, "a1")
    a2 = Agent(run, "a2", "--join", a1.swim)
    run.wait_for("both alive", lambda: len(a1.members("--state", "alive")) == 2)
    sys.exit(run.finish())
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request


class Run:
    """One test's agents, work directory and failures."""

    def __init__(self, agent_path, prefix):
        self.agent = agent_path
        self.work = tempfile.mkdtemp(prefix=prefix)
        self.procs = {}
        self.failures = []

    def path(self, name):
        return os.path.join(self.work, name)

    def check(self, ok, what):
        print(("ok: " if ok else "FAIL: ") + what, flush=True)
        if not ok:
            self.failures.append(what)
        return ok

    def wait_for(self, what, cond, limit_s=30):
        t0 = time.monotonic()
        while time.monotonic() - t0 < limit_s:
            try:
                if cond():
                    return self.check(True, f"{what} ({time.monotonic() - t0:.1f} s)")
            except (ValueError, KeyError, OSError):
                pass
            time.sleep(0.1)  # polling interval; the outcome is the condition
        return self.check(False, f"{what} within {limit_s} s")

    def cli(self, *args):
        return subprocess.run([self.agent, *args], capture_output=True, text=True, timeout=20)

    def finish(self):
        """Kills what still runs, prints the logs on failure, cleans up; the exit code."""
        for p in self.procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
        if self.failures:
            for name in sorted(os.listdir(self.work)):
                if name.endswith(".log"):
                    print(f"--- {name} ---\n" + open(self.path(name)).read()[-3000:])
        shutil.rmtree(self.work, ignore_errors=True)
        print(f"{len(self.failures)} failure(s)")
        return 1 if self.failures else 0


def run_main(run, main):
    """Runs main(); a crash is a failure with its cause, not a hang. Exits with run's code."""
    try:
        main()
    except Exception as e:
        run.failures.append(repr(e))
        print(f"FAIL: {e!r}")
    finally:
        sys.exit(run.finish())


class Agent:
    """One `swell-agent run`; started at construction."""

    def __init__(self, run, name, *extra, node_type="backend", config=None):
        self.run = run
        self.name = name
        self.dir = run.path(name)
        self.log_path = run.path(f"{name}.log")
        self.events_path = run.path(f"{name}.events")
        self.args = [run.agent, "run", "--id", name, "--node-type", node_type, "--bind", "127.0.0.1:0",
                     "--http", "127.0.0.1:0", "--data-dir", self.dir, "--preset", "local",
                     "--events-file", self.events_path, *extra]
        if config:
            self.args += ["--config", config]
        self.start()

    def start(self):
        offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        self.log_offset = offset
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=self.log)
        self.run.procs[self.name] = self.proc
        self.http = self.swim = None
        t0 = time.monotonic()
        while time.monotonic() - t0 < 15 and self.http is None:
            text = self.log_since_start()
            runs = re.findall(r"running at (\S+?);", text)
            urls = re.findall(r"HTTP API at http://(\S+?)/", text)
            if runs and urls:
                self.swim, self.http = runs[-1], urls[-1]
            elif self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.proc.returncode}: {text[-1500:]}")
            time.sleep(0.05)
        if self.http is None:
            raise RuntimeError(f"{self.name} did not start: {open(self.log_path).read()[-1500:]}")

    def log_since_start(self):
        with open(self.log_path) as f:
            f.seek(self.log_offset)
            return f.read()  # this start's lines only

    def stop(self):
        """SIGTERM and wait; the exit code."""
        self.proc.terminate()
        return self.proc.wait(timeout=20)

    def cli(self, *args):
        return subprocess.run([self.run.agent, *args, "--http", self.http], capture_output=True, text=True,
                              timeout=20)

    def members(self, *filters):
        got = self.cli("members", "--json", *filters)
        return json.loads(got.stdout) if got.returncode == 0 else []

    def state_of(self, name):
        return next((m["state"] for m in self.members() if m.get("name") == name), None)

    def member(self, name):
        return next((m for m in self.members() if m.get("name") == name), None)

    def metric(self, name, labels=""):
        """One sample of GET /metrics, e.g. metric("swell_admission_refused_total", 'reason="revoked"')."""
        with urllib.request.urlopen(f"http://{self.http}/metrics", timeout=10) as r:
            text = r.read().decode()
        key = f"{name}{{{labels}}}" if labels else name
        for line in text.splitlines():
            if line.startswith(key + " "):
                return int(line.split()[-1])
        raise KeyError(key)
