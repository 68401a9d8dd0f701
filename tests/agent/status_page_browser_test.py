"""The status page rendered by headless Chromium against a live 5-member cluster in which
one member was stopped and declared failed (status_page_fixture waits for that, with a
deadline). The API has a token, so the page must take it from ?token= and send it as
the Authorization header. The rendered DOM must show 5 member rows, exactly one dead
(the stopped one) and 4 alive, and the failed member's event with its evidence. Then a
screenshot is written to the path given. SKIP (77) only when chromium is missing.

    python3 status_page_browser_test.py FIXTURE SCREENSHOT.png
    # refresh the committed picture:
    python3 tests/agent/status_page_browser_test.py build/tests/agent/status_page_fixture docs/images/status-page.png
"""
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from agent_fixture import Fixture  # noqa: E402

TOKEN = "page-test-token"


class Dom(html.parser.HTMLParser):
    """Collects member rows, events, and the text of each event's evidence spans."""

    def __init__(self):
        super().__init__()
        self.members = []       # attrs of <tr class="member">
        self.events = []        # {"attrs": ..., "evidence": {class: text}}
        self.body = {}
        self._span_class = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        if tag == "body":
            self.body = a
        elif tag == "tr" and cls == "member":
            self.members.append(a)
        elif tag == "li" and cls == "event":
            self.events.append({"attrs": a, "evidence": None})
        elif tag == "div" and cls == "evidence" and self.events:
            self.events[-1]["evidence"] = {}
        elif tag == "span" and self.events and self.events[-1]["evidence"] is not None:
            self._span_class = cls
            self.events[-1]["evidence"][cls] = a

    def handle_endtag(self, tag):
        if tag == "span":
            self._span_class = None

    def handle_data(self, data):
        if self._span_class and self.events and self.events[-1]["evidence"] is not None:
            ev = self.events[-1]["evidence"]
            ev[self._span_class] = dict(ev[self._span_class], text=ev[self._span_class].get("text", "") + data)


def chromium_args(chromium, profile):
    # Root in a container: no sandbox. A private profile keeps runs independent.
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}", "--virtual-time-budget=8000"]


def check_dom(dom):
    problems = []
    if dom.body.get("data-loaded") != "1":
        problems.append(f"the page never rendered a refresh (body {dom.body})")
    states = [m.get("data-state") for m in dom.members]
    if len(dom.members) != 5:
        problems.append(f"{len(dom.members)} member rows, want 5: {states}")
    dead = [m for m in dom.members if m.get("data-state") == "dead"]
    if len(dead) != 1 or states.count("alive") != 4:
        problems.append(f"want exactly one dead and four alive, got {states}")
        return problems
    victim = dead[0]["data-id"]
    failed = [e for e in dom.events if e["attrs"].get("data-kind") == "failed"
              and e["attrs"].get("data-member") == victim]
    if not failed:
        problems.append(f"no failed event for {victim}: {[e['attrs'] for e in dom.events]}")
        return problems
    evidence = failed[0]["evidence"]
    if not evidence:
        problems.append("the failed event shows no evidence")
        return problems
    for part in ("suspected-by", "confirmations", "declared-by", "timeout"):
        if part not in evidence or not evidence[part].get("text"):
            problems.append(f"evidence lacks {part}: {evidence}")
    if not evidence.get("suspected-by", {}).get("text", "").startswith("suspected by "):
        problems.append(f"suspected-by reads {evidence.get('suspected-by')}")
    return problems


def main():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("SKIP: chromium not found (apt-get install chromium)")
        return 77
    fixture, screenshot = sys.argv[1], os.path.abspath(sys.argv[2])
    with Fixture(fixture, members=5, fail=1, token=TOKEN) as port, tempfile.TemporaryDirectory() as profile:
        url = f"http://127.0.0.1:{port}/?token={TOKEN}"
        dump = subprocess.run(chromium_args(chromium, profile) + ["--dump-dom", url],
                              capture_output=True, text=True, timeout=120)
        dom = Dom()
        dom.feed(dump.stdout)
        problems = check_dom(dom)
        if problems:
            print("FAIL:\n  " + "\n  ".join(problems))
            print(dump.stdout[-4000:])
            print(dump.stderr[-2000:])
            return 1
        os.makedirs(os.path.dirname(screenshot), exist_ok=True)
        shot = subprocess.run(chromium_args(chromium, profile) +
                              [f"--screenshot={screenshot}", "--window-size=1200,800", url],
                              capture_output=True, text=True, timeout=120)
        if shot.returncode != 0 or not os.path.exists(screenshot):
            print(f"FAIL: no screenshot (exit {shot.returncode})\n{shot.stderr[-2000:]}")
            return 1
    print(f"OK: 5 member rows, one dead with evidence; screenshot {screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
