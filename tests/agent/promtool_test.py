"""GET /metrics of a live cluster (one member failed, so failure counters move) must pass
`promtool check metrics` (Prometheus' own linter of the text format). SKIP (77) only
when promtool is not installed.

    python3 promtool_test.py build/tests/agent/status_page_fixture
"""
import os
import shutil
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from agent_fixture import Fixture  # noqa: E402


def main():
    promtool = shutil.which("promtool")
    if promtool is None:
        print("SKIP: promtool not found (apt-get install prometheus)")
        return 77
    with Fixture(sys.argv[1], members=3, fail=1) as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
            content_type = r.headers["Content-Type"]
            text = r.read().decode()
    if "version=0.0.4" not in content_type:
        print(f"FAIL: Content-Type {content_type!r}")
        return 1
    check = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    print(check.stdout, check.stderr)
    if check.returncode != 0 or check.stdout.strip() or check.stderr.strip():
        print("FAIL: promtool check metrics found problems")
        print(text)
        return 1
    lines = text.splitlines()
    for want in ('swell_members{state="alive"} 2', 'swell_members{state="dead"} 1'):
        if want not in lines:
            print(f"FAIL: missing sample {want!r}")
            print(text)
            return 1
    families = sum(1 for line in lines if line.startswith("# TYPE "))
    print(f"OK: promtool accepts {families} metric families ({len(lines)} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
