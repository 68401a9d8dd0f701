#!/usr/bin/env bash
# The README demo: a live swell cluster on 127.0.0.1. Five swell-agent processes join,
# one is killed with SIGKILL and declared failed (with the evidence), it is restarted
# from its data directory and rejoins, then everything this script started is stopped.
#   scripts/cluster-demo.sh [path/to/swell-agent]
set -euo pipefail
agent=${1:-build/lib/agent/swell-agent}
[ -x "$agent" ] || { echo "cluster-demo: no swell-agent at $agent (build first: ./setup.sh demo)" >&2; exit 2; }
work=$(mktemp -d /tmp/swell-demo.XXXXXX)
declare -A pid
swim_port() { echo $((27100 + $1)); }
http_port() { echo $((27200 + $1)); }

cleanup() {
  for n in "${!pid[@]}"; do kill -TERM "${pid[$n]}" 2>/dev/null || true; done
  for n in "${!pid[@]}"; do wait "${pid[$n]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

start() {  # start N: agent-N, joining through agent-1 (except agent-1 itself)
  local n=$1 join=()
  [ "$n" -ne 1 ] && join=(--join "127.0.0.1:$(swim_port 1)")
  "$agent" run --id "agent-$n" --node-type "$([ "$n" -le 2 ] && echo proxy || echo backend)" \
    --bind "127.0.0.1:$(swim_port "$n")" --http "127.0.0.1:$(http_port "$n")" \
    --data-dir "$work/agent-$n" --preset local --tag "zone=z$(( n % 2 ))" "${join[@]}" \
    --events-file "$work/agent-$n.events" 2>>"$work/agent-$n.log" &
  pid[$n]=$!
}

members() { "$agent" members --http "127.0.0.1:$(http_port 1)" "$@"; }
count() { members --json --state "$1" 2>/dev/null | grep -c '"state"' || true; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { echo "cluster-demo: gave up waiting for $what" >&2; tail -n 5 "$work"/agent-*.log >&2; exit 1; }
    sleep 0.2
  done
}
alive_is() { [ "$(count alive)" -eq "$1" ]; }
agent3_is() { members --json 2>/dev/null | python3 -c '
import json, sys
print("ok" if any(m.get("name") == "agent-3" and m["state"] == sys.argv[1] for m in json.load(sys.stdin)) else "")' "$1" | grep -q ok; }

begin=$SECONDS
echo "== starting 5 agents on 127.0.0.1 (swim ports $(swim_port 1)-$(swim_port 5), HTTP $(http_port 1)-$(http_port 5))"
for n in 1 2 3 4 5; do start "$n"; done
wait_for 30 "5 alive members" alive_is 5
echo "== converged after $((SECONDS - begin)) s; agent-1's view (swell-agent members):"
members

echo
echo "== kill -9 agent-3 (pid ${pid[3]})"
kill -KILL "${pid[3]}"; wait "${pid[3]}" 2>/dev/null || true; unset 'pid[3]'
killed=$SECONDS
wait_for 30 "agent-3's failure verdict" agent3_is dead
echo "== agent-1 declared agent-3 failed after $((SECONDS - killed)) s; its log line and event:"
grep "failed agent-3" "$work/agent-1.log" | head -n 1
members --json > "$work/members.json"
grep '"kind":"failed"' "$work/agent-1.events" | head -n 1 | python3 -c '
import json, sys
names = {m["id"]: m.get("name", "?") for m in json.load(open(sys.argv[1]))}
e = json.loads(sys.stdin.readline()); ev = e.get("evidence", {})
name = lambda i: names.get(i, i[:8])
print("   evidence: first suspected by %s, confirmed by %s, %d nack(s), agent-1'"'"'s own probe failed: %s, declared by %s"
      % (name(ev.get("first_suspected_by", "")), ", ".join(name(c) for c in ev.get("confirmations", [])) or "nobody",
         ev.get("nacks_seen", 0), "yes" if ev.get("probed_by_us") else "no", name(ev.get("declared_by", ""))))' "$work/members.json"

echo
echo "== restarting agent-3 from its data directory"
start 3
restarted=$SECONDS
wait_for 30 "agent-3 to rejoin" agent3_is alive
echo "== agent-3 is alive again after $((SECONDS - restarted)) s:"
members

echo
echo "== stopping every agent (SIGTERM: each leaves gracefully)"
for n in "${!pid[@]}"; do kill -TERM "${pid[$n]}"; done
for n in "${!pid[@]}"; do wait "${pid[$n]}" || echo "agent-$n exited with $?"; done
pid=()
echo "== done in $((SECONDS - begin)) s; nothing left running"
