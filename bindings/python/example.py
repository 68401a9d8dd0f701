"""A proxy that keeps a live list of backends with swell, from Python."""
import queue
import sys
import time

import swell


def start_member(name, node_type, seeds, on_event=None):
    """Starts one member on 127.0.0.1 (port 0: the kernel picks it; it is then advertised)."""
    return swell.Agent.start(
        id=name,
        # A real agent keeps its key: key_file="/var/lib/swell/node.key" (swell-agent keygen).
        generate_identity=True,
        preset="local",  # one host; "lan" on a network
        address="127.0.0.1:3000",  # where this member serves its application
        node_type=node_type,
        bind_address="127.0.0.1:0",
        seeds=seeds,
        on_event=on_event)


def wait_for(done, limit_s):
    """Waits until done() holds, or gives up at the deadline: no fixed sleeps."""
    until = time.monotonic() + limit_s
    while not done():
        if time.monotonic() > until:
            return False
        time.sleep(0.005)  # polling interval, not a decision
    return True


def pick_backend(proxy, request):
    """What a load balancer does on every request: read the snapshot, pick an alive backend."""
    backends = [m for m in proxy.snapshot()
                if m.state == swell.MemberState.ALIVE and m.node_type == swell.NodeType.BACKEND]
    return backends[request % len(backends)].name if backends else None


def main():
    seen = queue.Queue()  # on_event runs on the agent's loop thread: hand events over
    with start_member("proxy-1", "proxy", [], on_event=seen.put) as proxy, \
         start_member("backend-1", "backend", [proxy.address]) as b1, \
         start_member("backend-2", "backend", [proxy.address]) as b2:
        if not wait_for(lambda: sum(m.state == swell.MemberState.ALIVE for m in proxy.snapshot()) == 3, 10):
            print("the cluster did not form within 10 s", file=sys.stderr)
            return 1
        print("request 0 ->", pick_backend(proxy, 0))
        print("request 1 ->", pick_backend(proxy, 1))

        # A backend announces its load; any thread may call this.
        b1.set_local_info(metadata=b"load=3")
        updated = wait_for(lambda: any(m.id == b1.id and m.metadata == b"load=3" for m in proxy.snapshot()), 10)

        # backend-2 leaves gracefully: the others see it as left, not failed.
        b2.leave(timeout=2.0)
        b2.stop()
        left = wait_for(lambda: any(m.id == b2.id and m.state == swell.MemberState.LEFT
                                    for m in proxy.snapshot()), 10)
        print(f"backend-2 {'left' if left else 'did not leave'}; request 2 ->", pick_backend(proxy, 2))

        # The events the proxy saw: from the callback's queue, and from libswell's own
        # queue (poll_event), which holds the same events for whoever polls.
        while not seen.empty():
            e = seen.get()
            print(f"proxy saw {e.member.name} {e.kind.name.lower()}")
        polled = 0
        while proxy.poll_event() is not None:
            polled += 1
        print(f"proxy polled {polled} events; metadata update {'arrived' if updated else 'missing'}")
        return 0 if updated and left else 1  # leaving the with block stops and frees them


if __name__ == "__main__":
    sys.exit(main())
