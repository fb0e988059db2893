"""Raw-socket clients for what wrk cannot tell: how many of many keep-alive connections get answers,
and how long a normal request takes while slow clients hold connections. They run in the harness
process, which is pinned to the load CPUs."""

import errno
import re
import selectors
import socket
import time

_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.I)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[ \t]*chunked", re.I)


def _request(port, keepalive):
    version = "HTTP/1.1" if keepalive else "HTTP/1.0"
    return ("GET / %s\r\nHost: 127.0.0.1:%d\r\nUser-Agent: bench\r\n\r\n" % (version, port)).encode()


def take_responses(buffer):
    """Complete responses at the start of `buffer` (a bytearray, consumed): their count. Bodies framed
    by Content-Length or chunked coding; a response without either ends with the connection (the
    caller counts it at EOF)."""
    count = 0
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            return count
        head = bytes(buffer[:end + 2])
        length = _LENGTH.search(head)
        if length:
            total = end + 4 + int(length.group(1))
        elif _CHUNKED.search(head):
            last = buffer.find(b"\r\n0\r\n\r\n", end)
            if last < 0:
                return count
            total = last + 7
        else:
            return count
        if len(buffer) < total:
            return count
        del buffer[:total]
        count += 1


def receive(sock, size=65536):
    """One non-blocking recv: the bytes, b"" when the connection ended (EOF, reset), None when nothing
    is there yet."""
    try:
        return sock.recv(size)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""


def _connect(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    code = sock.connect_ex(("127.0.0.1", port))
    if code not in (0, errno.EINPROGRESS):
        sock.close()
        raise OSError(code, "connect")
    return sock


class _Slot:
    def __init__(self, index):
        self.index = index
        self.sock = None
        self.buffer = bytearray()
        self.answers = 0
        self.connected = False


def count_answered(port, clients=64, seconds=3.0):
    """`clients` keep-alive clients, each sending GET / again as soon as its answer is complete (and
    reconnecting when the server closes). Returns (clients with at least one answer, total answers)."""
    request = _request(port, keepalive=True)
    selector = selectors.DefaultSelector()
    slots = [_Slot(i) for i in range(clients)]

    def open_slot(slot):
        slot.buffer = bytearray()
        slot.connected = False
        try:
            slot.sock = _connect(port)
        except OSError:  # refused: this client stays without answers
            slot.sock = None
            return
        selector.register(slot.sock, selectors.EVENT_WRITE, slot)

    def close_slot(slot):
        selector.unregister(slot.sock)
        slot.sock.close()
        slot.sock = None

    def send(slot):
        try:
            slot.sock.send(request)
        except OSError:  # reset: the next read sees the end of the connection
            pass

    try:
        for slot in slots:
            open_slot(slot)
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for key, _events in selector.select(min(left, 0.2)):
                slot = key.data
                if not slot.connected:  # connect finished (or failed): send the first request
                    if slot.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                        close_slot(slot)  # refused: this client stays without answers
                        continue
                    slot.connected = True
                    selector.modify(slot.sock, selectors.EVENT_READ, slot)
                    send(slot)
                    continue
                data = receive(slot.sock)
                if data is None:
                    continue
                if not data:  # closed by the server: what it sent counts, then a new connection
                    if slot.buffer.find(b"\r\n\r\n") >= 0:
                        slot.answers += 1
                    close_slot(slot)
                    open_slot(slot)
                    continue
                slot.buffer += data
                done = take_responses(slot.buffer)
                if done:
                    slot.answers += done
                    send(slot)
    finally:
        for slot in slots:
            if slot.sock is not None:
                try:
                    selector.unregister(slot.sock)
                except (KeyError, ValueError):
                    pass
                slot.sock.close()
        selector.close()
    return sum(1 for s in slots if s.answers > 0), sum(s.answers for s in slots)


class SlowClients:
    """`count` connections that each send half a request head and then hold it, sending nothing more."""

    HALF_HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-client\r\nX-Waiting: "

    def __init__(self, port, count=200, connect_timeout=1.0):
        self.port = port
        self.count = count
        self.connect_timeout = connect_timeout
        self.socks = []
        self.holding = 0

    def __enter__(self):
        """Connects all at once (the backlog may refuse some for a while: no waiting past
        connect_timeout), then sends the half head on each connection that got through."""
        pending = []
        for _ in range(self.count):
            try:
                pending.append(_connect(self.port))
            except OSError:
                pass
        self.socks = list(pending)
        selector = selectors.DefaultSelector()
        for sock in pending:
            selector.register(sock, selectors.EVENT_WRITE)
        deadline = time.monotonic() + self.connect_timeout
        while selector.get_map() and time.monotonic() < deadline:
            for key, _events in selector.select(max(0.0, deadline - time.monotonic())):
                sock = key.fileobj
                selector.unregister(sock)
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    try:
                        sock.send(self.HALF_HEAD)
                        self.holding += 1
                    except OSError:
                        pass
        selector.close()
        return self

    def __exit__(self, *_exc):
        for sock in self.socks:
            sock.close()
        self.socks = []


def normal_requests(port, seconds, timeout):
    """GET / with connection close, one after the other, for `seconds`. Returns (latencies in ms, timed
    out): it stops at the first request that gets no complete answer within `timeout` seconds."""
    request = _request(port, keepalive=False)
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
                sock.settimeout(max(0.01, timeout - (time.monotonic() - start)))
                sock.sendall(request)
                raw = bytearray()
                while True:
                    data = sock.recv(65536)
                    if not data:
                        break
                    raw += data
                    if take_responses(bytearray(raw)):
                        break
        except socket.timeout:
            return latencies, True
        except OSError:
            time.sleep(0.01)  # refused or reset: try again, the time counts against the run
            continue
        if not raw.startswith(b"HTTP/1.") or time.monotonic() - start > timeout:
            return latencies, True
        latencies.append((time.monotonic() - start) * 1000)
    return latencies, False


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
