#include "agent/status_page.h"

namespace swell::agent {
namespace {

constexpr const char* kHead = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>swell agent</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2330; background: #f7f8fa; }
h1 { font-size: 1.4em; margin: 0 0 .2em; }
h2 { font-size: 1.1em; margin: 1.4em 0 .4em; }
#self { color: #4a5263; }
#self b { color: #1d2330; }
#error { display: none; background: #fde2e1; color: #8a1c17; padding: .5em .8em; border-radius: 4px; margin: .6em 0; }
table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid #e6e8ee; white-space: nowrap; }
th { background: #eef0f5; font-weight: 600; }
td.id, td.address, td.swim_address, .mono { font-family: ui-monospace, monospace; font-size: .92em; }
.state { font-weight: 600; border-radius: 3px; padding: .1em .45em; }
.state-alive { color: #136c2e; background: #dcf5e3; }
.state-suspect { color: #7a4b00; background: #fdefc8; }
.state-dead { color: #8a1c17; background: #fde2e1; }
.state-left { color: #4a5263; background: #e6e8ee; }
#counts span { margin-right: 1em; }
#events { list-style: none; padding: 0; margin: 0; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
#events li { padding: .4em .7em; border-bottom: 1px solid #e6e8ee; }
.kind { font-weight: 600; display: inline-block; min-width: 6em; }
.kind-failed { color: #8a1c17; }
.kind-suspected { color: #7a4b00; }
.kind-joined, .kind-recovered { color: #136c2e; }
.time { color: #6b7385; margin-right: .8em; font-family: ui-monospace, monospace; }
.evidence { margin: .25em 0 0 6.8em; color: #4a5263; }
.evidence span { margin-right: 1.2em; }
#stats { color: #4a5263; }
#stats span { margin-right: 1.2em; }
</style>
</head>
)HTML";

constexpr const char* kBody = R"HTML(<body>
<h1>swell agent <span id="self-name"></span></h1>
<div id="self"></div>
<div id="counts"></div>
<div id="error"></div>
<h2>Members</h2>
<table id="members">
<thead><tr><th>name</th><th>id</th><th>state</th><th>node_type</th><th>address</th><th>swim_address</th>
<th>incarnation</th><th>tags</th></tr></thead>
<tbody></tbody>
</table>
<h2>Recent events</h2>
<ol id="events"></ol>
<h2>Counters</h2>
<div id="stats"></div>
)HTML";

// Everything a peer announces is untrusted: the script only ever sets textContent.
constexpr const char* kScriptSetup = R"HTML(<script>
"use strict";
const token = new URLSearchParams(location.search).get("token");
const headers = token ? { "Authorization": "Bearer " + token } : {};
const names = new Map();

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

async function get(path) {
  const r = await fetch(path, { headers, cache: "no-store" });
  if (!r.ok) {
    let msg = r.status + " " + r.statusText;
    try { msg += ": " + (await r.json()).error; } catch (e) {}
    throw new Error(path + ": " + msg);
  }
  return r.json();
}

function nameOf(id) { return names.get(id) || id.slice(0, 8); }

function tagText(m) {
  if (m.tags) return Object.entries(m.tags).map(([k, v]) => k + "=" + v).join(", ");
  return m.metadata_hex ? "metadata " + m.metadata_hex : "";
}
)HTML";

constexpr const char* kScriptRender = R"HTML(
function renderSelf(self) {
  const m = self.member || {};
  document.getElementById("self-name").textContent = m.name || "";
  const s = document.getElementById("self");
  s.replaceChildren(
    el("span", {}, "id ", el("b", { class: "mono" }, self.id.slice(0, 8)), "  swim ",
       el("b", { class: "mono" }, self.swim_address), "  incarnation ", el("b", {}, self.incarnation),
       "  health score ", el("b", { id: "health-score" }, self.health_score),
       self.leaving ? "  (leaving)" : ""));
  const c = document.getElementById("counts");
  c.replaceChildren(...["alive", "suspect", "dead", "left"].map(k =>
    el("span", { class: "count", "data-state": k }, el("span", { class: "state state-" + k }, k),
       " " + self.counts[k])));
  const n = self.node, t = self.transport, d = self.daemon;
  document.getElementById("stats").replaceChildren(
    el("span", {}, "probes " + n.probes), el("span", {}, "indirect " + n.indirect_probes),
    el("span", {}, "suspicions " + n.suspicions), el("span", {}, "failed verdicts " + n.failed_verdicts),
    el("span", {}, "refutations " + n.refutations),
    el("span", {}, "datagrams out/in " + t.datagrams_sent + "/" + t.datagrams_received),
    el("span", {}, "handler runs " + d.handler_runs + " (failed " + d.handler_failures + ")"));
}

function renderMembers(members) {
  for (const m of members) if (m.name) names.set(m.id, m.name);
  members.sort((a, b) => (a.name || "").localeCompare(b.name || "") || a.id.localeCompare(b.id));
  const rows = members.map(m => el("tr", { class: "member", "data-id": m.id, "data-name": m.name || "",
                                           "data-state": m.state },
    el("td", { class: "name" }, m.name || ""), el("td", { class: "id" }, m.id.slice(0, 8)),
    el("td", {}, el("span", { class: "state state-" + m.state }, m.state)),
    el("td", { class: "node_type" }, m.node_type || ""), el("td", { class: "address" }, m.address || ""),
    el("td", { class: "swim_address" }, m.swim_address || ""),
    el("td", { class: "incarnation" }, m.incarnation), el("td", { class: "tags" }, tagText(m))));
  document.querySelector("#members tbody").replaceChildren(...rows);
}
)HTML";

constexpr const char* kScriptEvents = R"HTML(
function evidenceOf(ev) {
  const x = ev.evidence;
  const parts = [
    el("span", { class: "suspected-by" }, "suspected by " + nameOf(x.first_suspected_by)),
    el("span", { class: "confirmations", "data-count": x.confirmations.length },
       x.confirmations.length + " confirmation" + (x.confirmations.length === 1 ? "" : "s") +
       (x.confirmations.length ? " (" + x.confirmations.map(nameOf).join(", ") + ")" : "")),
    el("span", { class: "declared-by" }, "declared by " + nameOf(x.declared_by)),
    // A zero timeout means this node accepted another member's verdict instead of timing out.
    el("span", { class: "timeout", "data-seconds": x.timeout_s },
       x.timeout_s > 0 ? "timeout " + x.timeout_s.toFixed(2) + " s" : "no timeout of ours: verdict accepted"),
    el("span", { class: "probed" }, x.probed_by_us ? "our probe failed too" : "not probed by us"),
    el("span", { class: "nacks" }, x.nacks_seen + " nacks"),
    el("span", { class: "health" }, "our health " + x.local_health)];
  if (x.flapping) parts.push(el("span", { class: "flapping" }, "held down: flapping"));
  if (x.degraded) parts.push(el("span", { class: "degraded" }, "held down: degraded"));
  return el("div", { class: "evidence" }, ...parts);
}

function renderEvents(events) {
  const items = events.map(ev => {
    const who = ev.member.name || ev.member.id.slice(0, 8);
    const li = el("li", { class: "event", "data-kind": ev.kind, "data-member": ev.member.id },
      el("span", { class: "time" }, new Date(ev.time_ms).toISOString().slice(11, 23)),
      el("span", { class: "kind kind-" + ev.kind }, ev.kind), " ", el("span", { class: "who" }, who),
      " incarnation " + ev.member.incarnation);
    if (ev.evidence) li.append(evidenceOf(ev));
    return li;
  });
  document.getElementById("events").replaceChildren(...items);
}

async function refresh() {
  const err = document.getElementById("error");
  try {
    const [self, members, events] = await Promise.all([get("/v1/self"), get("/v1/members"), get("/v1/events")]);
    renderSelf(self);
    renderMembers(members);
    renderEvents(events);
    err.style.display = "none";
    document.body.dataset.loaded = "1";
    document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
  } catch (e) {
    err.textContent = String(e.message || e);
    err.style.display = "block";
  }
}

refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
)HTML";

}  // namespace

std::string status_page_html() {
  std::string page;
  for (const char* part : {kHead, kBody, kScriptSetup, kScriptRender, kScriptEvents}) page += part;
  return page;
}

}  // namespace swell::agent
