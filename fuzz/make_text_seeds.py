#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_stream, fuzz_agent_config and fuzz_http_request.

Their inputs are record sequences (fuzz_stream.cpp) and text (the other two), which the
targets seal, sign or parse themselves, so no key or fixture is needed here. Regenerate
the committed files after a change of an input format with

    fuzz/make_text_seeds.py fuzz/seeds
"""
import pathlib
import struct
import sys

# fuzz_stream record types (tag % 6) and seal flags.
RAW, REQUEST, BUILT_REQUEST, RESPONSE, BUILT_RESPONSE, ADVANCE = range(6)
COMPACT, ZERO_TAG, OTHER_KIND, TWO_MESSAGES, SHORT_PREFIX = 1, 2, 4, 8, 16
# party bytes (live_cluster.h party_of): 0..3 are members 1..4, 4 is member 0, 5..7 outsiders.
M1, M2, M3, M4, SELF, O5, O6, O7 = range(8)
ALIVE, SUSPECT, DEAD, LEFT = range(4)


def sized(body):
    return struct.pack(">H", len(body)) + body


def state(flags=0, members=(), summary=(), wants=()):
    """A built push-pull: members are (party, status, incarnation, signer)."""
    out = bytes([flags, len(members)])
    for m in members:
        out += bytes(m)
    out += bytes([len(summary)])
    for s in summary:
        out += bytes(s)
    out += bytes([len(wants)]) + bytes(wants)
    return out


def stream_seeds():
    prefix = lambda n: struct.pack(">I", n)
    return {
        # A bare digest (first round): member 0 answers with its summary.
        "first-round": bytes([BUILT_REQUEST, M1, 0, 0]) + state(),
        # Same, its digest equal to member 0's last: nothing to exchange.
        "same-digest": bytes([ADVANCE, 200, BUILT_REQUEST, M2, 0, 7]) + state(flags=2),
        # A second round: records pushed, records asked for.
        "second-round": bytes([BUILT_REQUEST, M2, 0, 5]) + state(
            members=[(M2, ALIVE, 1, M2), (M3, SUSPECT, 0, M1)], wants=[M1, M4, SELF, 0x80 | 3]),
        # A join with an all-zero tag, from an outsider.
        "join-zero-tag": bytes([BUILT_REQUEST, O5, ZERO_TAG, 1]) + state(flags=1, members=[(O5, ALIVE, 1, O5)]),
        "join-member": bytes([BUILT_REQUEST, M3, 0, 0]) + state(flags=1, members=[(M3, ALIVE, 0, M3)]),
        # Verdicts carried by push-pull: a dead claim, a leave, a forged one.
        "verdicts": bytes([BUILT_REQUEST, M4, 0, 0]) + state(
            members=[(M4, DEAD, 2, M1), (M2, LEFT, 1, M2), (M1, LEFT, 1, M3), (SELF, SUSPECT, 0, M2)]),
        # Refused: compact sender name, response kind, two messages, prefix one short.
        "refused-compact": bytes([BUILT_REQUEST, M1, COMPACT, 0]) + state(),
        "refused-kind": bytes([BUILT_REQUEST, M1, OTHER_KIND, 0]) + state(),
        "refused-compound": bytes([BUILT_REQUEST, M1, TWO_MESSAGES, 0]) + state(),
        "short-prefix": bytes([BUILT_REQUEST, M1, SHORT_PREFIX, 3]) + state(),
        "zero-tag-not-join": bytes([BUILT_REQUEST, M1, ZERO_TAG, 0]) + state(),
        # Raw bytes off the connection: an empty frame, an oversized prefix, a torn one.
        "raw-empty-frame": bytes([RAW, 0]) + sized(prefix(0)),
        "raw-oversized": bytes([RAW, 1]) + sized(prefix(0xFFFFFFFF) + b"x"),
        "raw-torn": bytes([RAW, 2]) + sized(prefix(40) + b"\x93\x01"),
        "request-garbage-body": bytes([REQUEST, M1, 0, 0]) + sized(b"\x95\xc2\x90\xc4\x10" + bytes(16)),
        # Answers to member 0's own requests: a summary (reconcile), records, a wrong peer.
        "answer-summary": bytes([BUILT_RESPONSE, M1, 0, 0]) + state(
            summary=[(M1, 1, ALIVE), (M2, 0, ALIVE), (O6, 1, ALIVE), (M3, 3, DEAD)]),
        "answer-records": bytes([BUILT_RESPONSE, M2, 0, 9]) + state(members=[(M2, ALIVE, 1, M2), (M4, DEAD, 1, M2)]),
        "answer-wrong-peer": bytes([ADVANCE, 250, ADVANCE, 250, BUILT_RESPONSE, O7, 0, 0]) + state(),
        "answer-raw": bytes([RESPONSE, M3, 0, 0]) + sized(b"\x95\xc2\x90\xc4\x10" + bytes(16) + b"\xc4\x00\xc4\x00"),
        # Member 0's periodic rounds: wait for one, then answer it.
        "wait-then-answer": bytes([ADVANCE, 255] * 4 + [BUILT_RESPONSE, M1, 0, 0]) + state(
            summary=[(M1, 0, ALIVE), (M2, 0, ALIVE), (M3, 0, ALIVE), (M4, 0, ALIVE), (SELF, 0, ALIVE)]),
    }


EXAMPLE_CONFIG = pathlib.Path(__file__).resolve().parent.parent / "lib/agent/swell-agent.example.toml"

# fuzz_agent_config flag selectors (RunFlags fields, fuzz_agent_config.cpp kFlagKinds).
(F_BIND, F_ADVERTISE, F_HTTP, F_HTTP_TOKEN, F_DATA_DIR, F_KEY_FILE, F_ID, F_NODE_TYPE, F_PRESET, F_ADDRESS,
 F_EVENTS_FILE, F_METRICS_PORT, F_LOAD_BALANCER, F_SEED, F_TAG, F_EVENT_HANDLER, F_CREATE_KEY, F_QUIET) = range(18)


def flags(*records):
    return b"".join(b"\0" + bytes([k]) + v for k, v in records)


def config_seeds():
    example = EXAMPLE_CONFIG.read_bytes()
    minimal = b'id = "n1"\nbind = "127.0.0.1:7946"\ndata_dir = "/nonexistent/swell"\n'
    return {
        "example": example,
        "minimal": minimal,
        "minimal-flags": minimal + flags((F_BIND, b"[::1]:0"), (F_ADVERTISE, b"node-5.example:0"),
                                         (F_HTTP, b"0.0.0.0:7947"), (F_HTTP_TOKEN, b"0123456789abcdef0123"),
                                         (F_TAG, b"zone=eu-1"), (F_TAG, b"rack.id=r=7"), (F_SEED, b"10.0.0.9:7946"),
                                         (F_EVENT_HANDLER, b"failed,left=/bin/true"),
                                         (F_EVENT_HANDLER, b"FOO=1 cmd"), (F_METRICS_PORT, b"\x23\x82"),
                                         (F_PRESET, b"wan"), (F_NODE_TYPE, b"proxy"), (F_CREATE_KEY, b"")),
        "protocol": minimal + b"[protocol]\nprobe_interval_ms = 1500\nsuspicion_mult = 2.5\nmax_members = 8\n"
                              b"push_pull_interval_ms = 0\n[join]\nretry_initial_ms = 10\n",
        "wrong-type": b'bind = 7946\n[peer]\nmetrics_port = "9090"\n',
        "unknown-key": b'bnid = "127.0.0.1:1"\n',
        "syntax": b'seeds = ["10.0.0.1:7946",\n[tags\n',
        "handlers": minimal + b'[event_handlers]\nall = ["a", "b"]\nfailed = "c"\nmax_queued = 100000\n',
        "tags-too-big": minimal + b"[tags]\n" + b"".join(b"k%d = \"%s\"\n" % (i, b"v" * 60) for i in range(12)),
        "ipv6-http": minimal + b'http = "[::ffff:127.0.0.1]:0"\n',
        "key-file": b'id = "n2"\nbind = "127.0.0.1:7946"\nkey_file = "/dev/null"\n',
    }


def http_seeds():
    token = b"fuzz-token-0123456789abcdef"
    auth = b"Authorization: Bearer " + token + b"\n"
    TOKEN, NO_SNAPSHOT, NO_CALLBACKS, SEEDS = 1, 2, 4, 32

    def req(settings, line, headers=b"", body=b""):
        return bytes([settings]) + line + b"\n" + headers + b"\n" + body

    return {
        "members": req(0, b"GET /v1/members HTTP/1.1", b"Host: x\n"),
        "members-filter": req(TOKEN, b"GET /v1/members?state=alive,suspect&node_type=backend HTTP/1.1", auth),
        "members-bad-filter": req(0, b"GET /v1/members?state=gone&colour=red HTTP/1.1"),
        "member-full-id": req(0, b"GET /v1/members/9f1c04ab" + b"0" * 54 + b"01 HTTP/1.1"),
        "member-short-ambiguous": req(0, b"GET /v1/members/9f1c04ab HTTP/1.1"),
        "member-name-twin": req(0, b"GET /v1/members/twin HTTP/1.1"),
        "member-name-like-id": req(0, b"GET /v1/members/deadbeef%C3 HTTP/1.1"),
        "member-bare": req(0, b"GET /v1/members/4d5e6f70 HTTP/1.1"),
        "self": req(TOKEN, b"GET /v1/self HTTP/1.1", b"authorization: bearer " + token + b"\n"),
        "health": req(SEEDS, b"GET /v1/health HTTP/1.1"),
        "health-no-snapshot": req(NO_SNAPSHOT | SEEDS, b"GET /v1/health HTTP/1.1"),
        "events": req(0, b"GET /v1/events HTTP/1.1"),
        "metrics": req(TOKEN, b"GET /metrics HTTP/1.1", auth),
        "page-token-param": req(TOKEN, b"GET /?token=" + token + b" HTTP/1.1"),
        "head-page": req(0, b"HEAD / HTTP/1.1"),
        "leave": req(0, b"PUT /v1/leave HTTP/1.1"),
        "leave-refused": req(16, b"PUT /v1/leave HTTP/1.1"),
        "join": req(0, b"POST /v1/join HTTP/1.1", b"Content-Type: application/json\n",
                    b'{"seeds":["10.0.0.1:7946","node-2.example:7946"]}'),
        "join-bad": req(8, b"POST /v1/join HTTP/1.1", b"", b'{"seeds":[1,""],"x":2}'),
        "join-no-callbacks": req(NO_CALLBACKS, b"POST /v1/join HTTP/1.1", b"", b'{"seeds":["a:1"]}'),
        "force-leave": req(0, b"POST /v1/force-leave/backend-7 HTTP/1.1"),
        "force-leave-self": req(0, b"POST /v1/force-leave/5e1f0001 HTTP/1.1"),
        "wrong-method": req(0, b"DELETE /v1/members HTTP/1.1"),
        "unknown-path": req(TOKEN, b"GET /v2/../v1/members HTTP/1.1", auth),
        "wrong-token": req(TOKEN, b"GET /v1/self HTTP/1.1", b"Authorization: Bearer fuzz-token-0123456789abcdeg\n"),
        "no-token": req(TOKEN, b"GET /v1/members HTTP/1.1"),
        "basic-scheme": req(TOKEN, b"GET /v1/members HTTP/1.1", b"Authorization: Basic Zm9vOmJhcg==\n"),
        "encoded-path": req(0, b"GET /v1/mem%62ers/%74win?x=%zz&&=&a HTTP/1.1"),
        "options": req(0, b"OPTIONS * HTTP/1.1"),
    }


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_text_seeds.py DIR (e.g. fuzz/seeds)")
    root = pathlib.Path(sys.argv[1])
    for target, seeds in (("stream", stream_seeds()), ("agent_config", config_seeds()), ("http_request", http_seeds())):
        (root / target).mkdir(parents=True, exist_ok=True)
        for name, data in seeds.items():
            (root / target / name).write_bytes(data)
        print(f"{root / target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
