"""swell: Python bindings to libswell (SWIM gossip membership) over its C ABI,
include/swell/swell.h, with ctypes: one file, no compiled extension.

    import swell
    with swell.Agent.start(id="backend-7", generate_identity=True, preset="local",
                           bind_address="127.0.0.1:0", seeds=["127.0.0.1:7946"]) as agent:
        for m in agent.snapshot():
            print(m.name, m.state.name, m.address)
        event = agent.poll_event()   # None when nothing is queued

The library is the file named by $SWELL_LIBRARY, else whatever
ctypes.util.find_library("swell") finds, else the soname libswell.so.0. Errors raise
swell.Error(code, message). Every method may be called from any thread; on_event runs on
the agent's loop thread and must be quick (it delays the protocol). docs/embedding.md
("Python") has a complete example (bindings/python/example.py).
"""
import atexit
import contextlib
import ctypes
import ctypes.util
import dataclasses
import enum
import os
import threading
import traceback
import weakref
from typing import Callable, List, Optional

ABI_VERSION = 2  # the SWELL_ABI_VERSION this module mirrors

# Status codes (swell_status): 0 is success, negative values are swell's ErrorCode negated.
OK = 0
EINVAL = -1
ECONFIG = -2
EIO = -3
EKEY_MISSING = -10
EKEY_PERMISSIONS = -11
EKEY_CORRUPT = -12
ECRYPTO = -13
EPEER_INFO = -20
ENOT_RUNNING = -60
EWRONG_STATE = -61
EUNKNOWN_MEMBER = -62
EAGAIN = -100
EINTERNAL = -101


class NodeType(enum.IntEnum):
    """A member's role, PeerInfo's node_type (swell_node_type)."""
    PROXY = 0
    BACKEND = 1
    GOVERNATOR = 2


class MemberState(enum.IntEnum):
    """A member's state in an agent's view (swell_member_state)."""
    ALIVE = 0
    SUSPECT = 1
    DEAD = 2
    LEFT = 3


class EventKind(enum.IntEnum):
    """What happened to a member (swell_event_kind)."""
    JOINED = 0
    UPDATED = 1
    SUSPECTED = 2
    FAILED = 3
    LEFT = 4
    RECOVERED = 5
    NAME_CONFLICT = 6
    ROTATED = 7  # moved to a new key: Event.previous names the old one


class Preset(enum.IntEnum):
    """Protocol presets (docs/protocol.md); LOCAL detects a failure in about 4 s."""
    LAN = 0
    WAN = 1
    LOCAL = 2


class Error(Exception):
    """A failed swell call: code (one of the E* constants) and libswell's message."""

    def __init__(self, code: int, message: str):
        super().__init__(code, message)
        self.code = code
        self.message = message

    @property
    def name(self) -> str:
        """The code's short stable name from swell_strerror ("invalid_argument", ...)."""
        return strerror(self.code)

    def __str__(self):
        return f"{self.name} ({self.code}): {self.message}"


# --- the C structs, field for field as in swell.h (test_swell.py checks the layout) ---

class _Member(ctypes.Structure):
    _fields_ = [
        ("node_id", ctypes.c_uint8 * 32),
        ("node_id_hex", ctypes.c_char * 65),
        ("state", ctypes.c_uint),
        ("incarnation", ctypes.c_uint64),
        ("id", ctypes.c_char_p),
        ("address", ctypes.c_char_p),
        ("swim_address", ctypes.c_char_p),
        ("metrics_port", ctypes.c_uint16),
        ("node_type", ctypes.c_uint),
        ("is_load_balancer", ctypes.c_int),
        ("last_updated_ms", ctypes.c_uint64),
        ("metadata", ctypes.c_void_p),
        ("metadata_len", ctypes.c_size_t),
    ]


class _Evidence(ctypes.Structure):
    _fields_ = [
        ("first_suspected_by_hex", ctypes.c_char * 65),
        ("confirmations", ctypes.c_size_t),
        ("nacks_seen", ctypes.c_int),
        ("probed_by_us", ctypes.c_int),
        ("declared_by_hex", ctypes.c_char * 65),
        ("timeout_s", ctypes.c_double),
        ("local_health", ctypes.c_int),
        ("flapping", ctypes.c_int),
        ("degraded", ctypes.c_int),
    ]


class _Event(ctypes.Structure):
    _fields_ = [
        ("kind", ctypes.c_uint),
        ("member", _Member),
        ("has_evidence", ctypes.c_int),
        ("evidence", _Evidence),
        ("previous_hex", ctypes.c_char * 65),
    ]


_EventCallback = ctypes.CFUNCTYPE(None, ctypes.POINTER(_Event), ctypes.c_void_p)


class _AgentOptions(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t),
        ("key_file", ctypes.c_char_p),
        ("generate_identity", ctypes.c_int),
        ("preset", ctypes.c_uint),
        ("id", ctypes.c_char_p),
        ("address", ctypes.c_char_p),
        ("metrics_port", ctypes.c_uint16),
        ("node_type", ctypes.c_uint),
        ("is_load_balancer", ctypes.c_int),
        ("metadata", ctypes.c_void_p),
        ("metadata_len", ctypes.c_size_t),
        ("bind_address", ctypes.c_char_p),
        ("advertise_address", ctypes.c_char_p),
        ("seeds", ctypes.POINTER(ctypes.c_char_p)),
        ("seed_count", ctypes.c_size_t),
        ("on_event", _EventCallback),
        ("on_event_user_data", ctypes.c_void_p),
        ("event_queue_capacity", ctypes.c_size_t),
        ("cluster_label", ctypes.c_char_p),
        ("encrypt", ctypes.c_int),
    ]


def _load_library():
    path = os.environ.get("SWELL_LIBRARY") or ctypes.util.find_library("swell") or "libswell.so.0"
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise OSError(f"cannot load libswell ({path}): {e}; set SWELL_LIBRARY to the path of "
                      "libswell.so (a build tree's build/lib/libswell.so) or install swell") from e
    p, c_int, c_size_t, c_char_p = ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t, ctypes.c_char_p
    signatures = {
        "swell_abi_version": (c_int, []),
        "swell_version": (c_char_p, []),
        "swell_strerror": (c_char_p, [c_int]),
        "swell_last_error_message": (c_char_p, []),
        "swell_agent_options_init": (None, [ctypes.POINTER(_AgentOptions)]),
        "swell_agent_start": (c_int, [ctypes.POINTER(_AgentOptions), ctypes.POINTER(p)]),
        "swell_agent_leave": (c_int, [p, ctypes.c_uint32]),
        "swell_agent_join": (c_int, [p, ctypes.POINTER(c_char_p), c_size_t]),
        "swell_agent_force_leave": (c_int, [p, c_char_p]),
        "swell_agent_stop": (c_int, [p]),
        "swell_agent_free": (None, [p]),
        "swell_agent_set_local_info": (c_int, [p, ctypes.POINTER(_AgentOptions)]),
        "swell_agent_id": (c_char_p, [p]),
        "swell_agent_address": (c_char_p, [p]),
        "swell_agent_poll_event": (c_int, [p, ctypes.POINTER(_Event)]),
        "swell_agent_snapshot": (p, [p]),
        "swell_snapshot_free": (None, [p]),
        "swell_snapshot_member_count": (c_size_t, [p]),
        "swell_snapshot_count": (c_size_t, [p, ctypes.c_uint]),
        "swell_snapshot_member": (c_int, [p, c_size_t, ctypes.POINTER(_Member)]),
        "swell_snapshot_local_health": (c_int, [p]),
        "swell_snapshot_counter": (c_int, [p, c_char_p, ctypes.POINTER(ctypes.c_uint64)]),
    }
    for name, (restype, argtypes) in signatures.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


_lib = _load_library()


def abi_version() -> int:
    """The C ABI version of the loaded libswell (this module speaks ABI_VERSION)."""
    return _lib.swell_abi_version()


def version() -> str:
    """libswell's version string, e.g. "0.1.0"."""
    return _text(_lib.swell_version())


def strerror(code: int) -> str:
    """A status code's short stable name ("ok", "invalid_argument", ...)."""
    return _text(_lib.swell_strerror(code))


def _text(raw: Optional[bytes]) -> str:
    return raw.decode("utf-8", "replace") if raw else ""


def _check(status: int) -> None:
    # The message is thread-local in libswell: read it on this thread, right away.
    if status != OK:
        raise Error(status, _text(_lib.swell_last_error_message()))


def _enum(cls, raw: int):
    """The enum member for raw, or the plain int when a newer libswell sent a new value."""
    try:
        return cls(raw)
    except ValueError:
        return raw


# --- owned values ---

@dataclasses.dataclass(frozen=True)
class Member:
    """One member, copied out of libswell (nothing in it points into the library)."""
    id: str                  # node id (Ed25519 public key), 64 lowercase hex characters
    node_id: bytes           # the same, 32 bytes
    name: str                # PeerInfo id
    address: str             # PeerInfo address: where it serves its application
    swim_address: str        # host:port where it speaks swell
    state: MemberState
    incarnation: int
    node_type: NodeType
    metrics_port: int
    is_load_balancer: bool
    last_updated_ms: int
    metadata: bytes

    @property
    def short_id(self) -> str:
        """The first 8 hex characters of the id, as swell-agent prints it."""
        return self.id[:8]

    @classmethod
    def _from_c(cls, m: _Member) -> "Member":
        return cls(
            id=m.node_id_hex.decode("ascii", "replace"),
            node_id=bytes(m.node_id),
            name=_text(m.id),
            address=_text(m.address),
            swim_address=_text(m.swim_address),
            state=_enum(MemberState, m.state),
            incarnation=m.incarnation,
            node_type=_enum(NodeType, m.node_type),
            metrics_port=m.metrics_port,
            is_load_balancer=bool(m.is_load_balancer),
            last_updated_ms=m.last_updated_ms,
            metadata=ctypes.string_at(m.metadata, m.metadata_len) if m.metadata and m.metadata_len else b"",
        )


@dataclasses.dataclass(frozen=True)
class Evidence:
    """Why a member was declared failed."""
    first_suspected_by: str  # node id (hex) of who raised the suspicion acted on
    confirmations: int       # distinct other members that also suspected it
    nacks_seen: int          # nacks our indirect probe got
    probed_by_us: bool       # our own probe failed too
    declared_by: str         # node id (hex) of who declared it failed
    timeout_s: float         # the suspicion timeout when it fired (0: someone else's verdict)
    local_health: int        # our Lifeguard health score then
    flapping: bool           # held down for refuting confirmed suspicions too often
    degraded: bool           # held down for answering too few of our direct pings

    @classmethod
    def _from_c(cls, e: _Evidence) -> "Evidence":
        return cls(
            first_suspected_by=e.first_suspected_by_hex.decode("ascii", "replace"),
            confirmations=e.confirmations,
            nacks_seen=e.nacks_seen,
            probed_by_us=bool(e.probed_by_us),
            declared_by=e.declared_by_hex.decode("ascii", "replace"),
            timeout_s=e.timeout_s,
            local_health=e.local_health,
            flapping=bool(e.flapping),
            degraded=bool(e.degraded),
        )


@dataclasses.dataclass(frozen=True)
class Event:
    """A membership event: what happened, to whom, and (failed) why."""
    kind: EventKind
    member: Member
    evidence: Optional[Evidence]
    previous: Optional[str] = None  # ROTATED: the node id (hex) the member moved from

    @classmethod
    def _from_c(cls, e: _Event) -> "Event":
        return cls(
            kind=_enum(EventKind, e.kind),
            member=Member._from_c(e.member),
            evidence=Evidence._from_c(e.evidence) if e.has_evidence else None,
            previous=e.previous_hex.decode("ascii", "replace") if e.kind == EventKind.ROTATED else None,
        )


# --- options ---

class _Options:
    """A filled _AgentOptions and every buffer its pointers point into."""

    def __init__(self):
        self.raw = _AgentOptions()
        _lib.swell_agent_options_init(ctypes.byref(self.raw))
        self._keep = []  # buffers that must outlive the call reading self.raw

    def text(self, field: str, value) -> None:
        if value is None:
            return
        data = os.fsencode(value) if isinstance(value, os.PathLike) else str(value).encode("utf-8")
        if b"\0" in data:
            raise Error(EINVAL, f"{field} contains a NUL byte; C strings cannot hold one")
        setattr(self.raw, field, data)  # ctypes keeps the bytes alive with the struct

    def metadata(self, value) -> None:
        data = bytes(value or b"")
        if data:
            buf = ctypes.create_string_buffer(data, len(data))
            self._keep.append(buf)
            self.raw.metadata = ctypes.cast(buf, ctypes.c_void_p)
        else:
            self.raw.metadata = None
        self.raw.metadata_len = len(data)

    def seeds(self, seeds) -> None:
        encoded = []
        for s in seeds:
            data = str(s).encode("utf-8")
            if b"\0" in data:
                raise Error(EINVAL, "a seed contains a NUL byte; C strings cannot hold one")
            encoded.append(data)
        if encoded:
            array = (ctypes.c_char_p * len(encoded))(*encoded)
            self._keep.append(array)
            self.raw.seeds = ctypes.cast(array, ctypes.POINTER(ctypes.c_char_p))
        self.raw.seed_count = len(encoded)

    def info(self, id, address, metrics_port, node_type, is_load_balancer, metadata) -> None:
        """The PeerInfo fields; None keeps what swell_agent_options_init set."""
        self.text("id", id)
        self.text("address", address)
        if metrics_port is not None:
            self.raw.metrics_port = int(metrics_port)
        if node_type is not None:
            self.raw.node_type = int(_as_enum(NodeType, node_type))
        if is_load_balancer is not None:
            self.raw.is_load_balancer = 1 if is_load_balancer else 0
        self.metadata(metadata)


def _as_enum(cls, value):
    """An enum member from itself, its int or its (case-insensitive) name."""
    if isinstance(value, str):
        try:
            return cls[value.upper()]
        except KeyError:
            raise Error(EINVAL, f"{value!r} is not a {cls.__name__}: one of "
                        f"{', '.join(m.name.lower() for m in cls)}") from None
    return int(value)  # a member, or a raw number a newer libswell may know


_live_agents = weakref.WeakSet()


@atexit.register
def _close_live_agents():
    # A loop thread that calls into Python while the interpreter finalises is killed in
    # the middle of a callback; stop every agent while the interpreter is whole.
    for agent in list(_live_agents):
        agent.close()


class Agent:
    """A running member: it binds, joins and runs the protocol on its own loop thread.
    close() (also on leaving a with block, at garbage collection and at exit) stops it
    without a leave, so the others detect it as failed: call leave() first to exit
    gracefully."""

    def __init__(self, handle, callback, on_event):
        self._handle = handle
        self._callback = callback    # the CFUNCTYPE object libswell calls: must outlive the agent
        self._on_event = on_event
        self._loop_thread = None     # ident of the loop thread, learnt at the first callback
        self._poll_lock = threading.Lock()  # one poller at a time (swell.h)
        # swell_agent_free must be the last call on an agent: close() waits for calls in flight.
        self._calls = threading.Condition()
        self._in_flight = 0
        self.id = _text(_lib.swell_agent_id(handle))          # node id, 64 hex characters
        self.address = _text(_lib.swell_agent_address(handle))  # advertised swim host:port
        _live_agents.add(self)

    @classmethod
    def start(cls, *, id: str, key_file=None, generate_identity: bool = False, preset=None,
              address: Optional[str] = None, metrics_port: Optional[int] = None, node_type=None,
              is_load_balancer: Optional[bool] = None, metadata: Optional[bytes] = None,
              bind_address: Optional[str] = None, advertise_address: Optional[str] = None,
              seeds=(), on_event: Optional[Callable[[Event], None]] = None,
              event_queue_capacity: Optional[int] = None, cluster_label: Optional[str] = None,
              encrypt: bool = False) -> "Agent":
        """Binds, starts the loop thread and joins through seeds. Options left as None keep
        libswell's defaults (preset LAN, node type backend, bind 0.0.0.0:7946, a queue of
        4096 events for poll_event). preset and node_type take the enum, its int or its
        name ("local", "backend"). on_event(event) runs on the loop thread for every event.
        cluster_label names the cluster and encrypt turns on encryption (docs/security.md);
        every member of a cluster must use the same values."""
        if abi_version() != ABI_VERSION:
            raise Error(EINVAL, f"libswell speaks C ABI version {abi_version()}, this module "
                        f"version {ABI_VERSION}: use the swell.py of the same swell")
        o = _Options()
        o.text("key_file", key_file)
        o.raw.generate_identity = 1 if generate_identity else 0
        if preset is not None:
            o.raw.preset = int(_as_enum(Preset, preset))
        o.info(id, address, metrics_port, node_type, is_load_balancer, metadata)
        o.text("bind_address", bind_address)
        o.text("advertise_address", advertise_address)
        o.seeds(seeds)
        if event_queue_capacity is not None:
            o.raw.event_queue_capacity = int(event_queue_capacity)
        o.text("cluster_label", cluster_label)
        o.raw.encrypt = 1 if encrypt else 0
        # The trampoline reaches the Agent through a cell filled after start returns;
        # events before that (the callback may run during start) go to on_event directly.
        cell = {"agent": None}

        def trampoline(event_ptr, _user_data):
            # Runs on the loop thread (ctypes takes the GIL). Nothing may propagate into
            # C: an exception in on_event is printed and the event dropped for it.
            try:
                agent = cell["agent"]
                if agent is not None and agent._loop_thread is None:
                    agent._loop_thread = threading.get_ident()
                if on_event is not None and event_ptr:
                    on_event(Event._from_c(event_ptr.contents))
            except BaseException:  # noqa: B036 - nothing may unwind into libswell
                traceback.print_exc()

        callback = _EventCallback(trampoline)
        o.raw.on_event = callback
        handle = ctypes.c_void_p()
        _check(_lib.swell_agent_start(ctypes.byref(o.raw), ctypes.byref(handle)))
        agent = cls(handle, callback, on_event)
        cell["agent"] = agent
        return agent

    @contextlib.contextmanager
    def _call(self):
        """The handle, for one call that close() will wait for."""
        with self._calls:
            if self._handle is None:
                raise Error(ENOT_RUNNING, "the agent is closed")
            self._in_flight += 1
        try:
            yield self._handle
        finally:
            with self._calls:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._calls.notify_all()

    def _not_on_loop_thread(self, what: str) -> None:
        if self._loop_thread == threading.get_ident():
            raise Error(EWRONG_STATE, f"{what} is not allowed from on_event (the agent's loop "
                        "thread): do it from another thread")

    def snapshot(self) -> List[Member]:
        """Every known member, sorted by node id, from the latest snapshot (lock-free)."""
        with self._call() as handle:
            snap = _lib.swell_agent_snapshot(handle)
        try:  # a snapshot is independent of the agent: it may outlive close()
            members = []
            member = _Member()
            for i in range(_lib.swell_snapshot_member_count(snap)):
                if _lib.swell_snapshot_member(snap, i, ctypes.byref(member)) == OK:
                    members.append(Member._from_c(member))  # copy while snap is held
            return members
        finally:
            _lib.swell_snapshot_free(snap)

    def local_health(self) -> int:
        """The agent's Lifeguard health score (0 = healthy)."""
        with self._call() as handle:
            snap = _lib.swell_agent_snapshot(handle)
        try:
            return _lib.swell_snapshot_local_health(snap)
        finally:
            _lib.swell_snapshot_free(snap)

    def counter(self, name: str) -> int:
        """A counter from the latest snapshot: "node.<name>" (the protocol core's, e.g.
        "node.joins_refused") or "transport.<name>" (the sockets'); docs/embedding.md lists them."""
        with self._call() as handle:
            snap = _lib.swell_agent_snapshot(handle)
        try:
            value = ctypes.c_uint64()
            _check(_lib.swell_snapshot_counter(snap, str(name).encode("utf-8"), ctypes.byref(value)))
            return value.value
        finally:
            _lib.swell_snapshot_free(snap)

    def poll_event(self) -> Optional[Event]:
        """The oldest event in libswell's bounded queue, or None when it is empty."""
        with self._poll_lock, self._call() as handle:  # the strings live until the next poll: copy first
            event = _Event()
            status = _lib.swell_agent_poll_event(handle, ctypes.byref(event))
            if status == EAGAIN:
                return None
            _check(status)
            return Event._from_c(event)

    def set_local_info(self, *, id: Optional[str] = None, address: Optional[str] = None,
                       metrics_port: Optional[int] = None, node_type=None,
                       is_load_balancer: Optional[bool] = None, metadata: Optional[bytes] = None) -> None:
        """Announces new PeerInfo at a higher incarnation; fields left None keep what this
        member announces now."""
        me = next((m for m in self.snapshot() if m.id == self.id), None)
        if me is not None:
            id = me.name if id is None else id
            address = me.address if address is None else address
            metrics_port = me.metrics_port if metrics_port is None else metrics_port
            node_type = me.node_type if node_type is None else node_type
            is_load_balancer = me.is_load_balancer if is_load_balancer is None else is_load_balancer
            metadata = me.metadata if metadata is None else metadata
        o = _Options()
        o.info(id, address, metrics_port, node_type, is_load_balancer, metadata)
        with self._call() as handle:
            _check(_lib.swell_agent_set_local_info(handle, ctypes.byref(o.raw)))

    def join(self, seeds) -> None:
        """Contacts more seeds (numeric "host:port"): tried while joining, exchanged with
        at once when joined (how two clusters are merged)."""
        self._not_on_loop_thread("join()")
        encoded = [str(seed).encode("utf-8") for seed in seeds]
        array = (ctypes.c_char_p * max(1, len(encoded)))(*encoded)
        with self._call() as handle:
            _check(_lib.swell_agent_join(handle, array, len(encoded)))

    def force_leave(self, node_id: str) -> None:
        """An operator's verdict on a failed member (its 64-hex node id, Member.id): held
        as left here and at every member that also holds it failed."""
        self._not_on_loop_thread("force_leave()")
        with self._call() as handle:
            _check(_lib.swell_agent_force_leave(handle, str(node_id).encode("utf-8")))

    def leave(self, timeout: float = 2.0) -> None:
        """Graceful leave: announces it and waits up to timeout seconds for it to spread.
        The agent keeps answering until stop() or close()."""
        self._not_on_loop_thread("leave()")
        timeout_ms = max(0, min(int(timeout * 1000), 2**32 - 1))
        with self._call() as handle:
            _check(_lib.swell_agent_leave(handle, timeout_ms))

    def stop(self) -> None:
        """Closes every socket and waits for the loop thread; idempotent."""
        self._not_on_loop_thread("stop()")
        with self._call() as handle:
            _check(_lib.swell_agent_stop(handle))

    def close(self) -> None:
        """Stops the agent if running and frees it, once the calls other threads have in
        flight on it return (a leave() waits out its timeout); idempotent."""
        self._not_on_loop_thread("close()")
        with self._calls:
            handle, self._handle = self._handle, None  # no call starts after this
            while self._in_flight:
                self._calls.wait()
        if handle is not None:
            _lib.swell_agent_free(handle)  # joins the loop thread: no callback after this
            self._callback = None
        _live_agents.discard(self)

    def __enter__(self) -> "Agent":
        return self

    def __exit__(self, *exc) -> bool:
        self.close()
        return False

    def __del__(self):
        if getattr(self, "_handle", None) is not None and getattr(self, "_loop_thread", None) != threading.get_ident():
            self.close()

    def __repr__(self):
        return f"swell.Agent(id={self.id[:8]}, address={self.address})"
