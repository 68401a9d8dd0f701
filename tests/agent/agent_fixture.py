"""Runs status_page_fixture (a live in-process cluster with the HTTP API) for a test.

    with Fixture(path, members=5, fail=1, token="t") as port:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics")

The fixture prints "READY <port>" once its cluster is in the state asked for, and
serves until its stdin is closed.
"""
import selectors
import subprocess
import sys
import time


class Fixture:
    """The fixture process; entering waits (with a deadline) for its READY line."""

    def __init__(self, path, members=5, fail=0, token="", ready_within_s=90):
        self.args = [path, "--members", str(members), "--fail", str(fail)]
        if token:
            self.args += ["--token", token]
        self.ready_within_s = ready_within_s
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + self.ready_within_s
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("READY "):
                return int(line.split()[1])
        self.__exit__(None, None, None)
        sys.exit(f"FAIL: {self.args[0]} did not report READY within {self.ready_within_s} s "
                 f"(exit status {self.proc.returncode})")

    def __exit__(self, exc_type, *exc):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                if exc_type is None:
                    sys.exit(f"FAIL: {self.args[0]} did not stop within 20 s of its stdin closing")
        # A clean shutdown is part of the test (a sanitizer report exits non-zero).
        if exc_type is None and self.proc.returncode != 0:
            sys.exit(f"FAIL: {self.args[0]} exited with status {self.proc.returncode}")
        return False
