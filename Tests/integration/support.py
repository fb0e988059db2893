"""Helpers for the integration tests: start/stop liege, raw HTTP, polling with deadlines."""
import http.client
import os
import select
import signal
import socket
import struct
import subprocess
import time


_HANDED_OUT = set()


def free_port():
    """A port nobody listens on, never handed out twice in this run, and below the kernel's
    ephemeral range, so a client connection made meanwhile cannot take it before the server
    binds it (port 0 would hand out an ephemeral port, which both races do)."""
    low, _ = (int(n) for n in open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
    candidates = list(range(max(low - 12000, 10000), low))
    offset = (os.getpid() * 7919) % len(candidates)
    for step in range(len(candidates)):
        port = candidates[(offset + step * 97) % len(candidates)]
        if port in _HANDED_OUT:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    raise RuntimeError("no free port below the ephemeral range")


def wait_until(predicate, timeout=20.0, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except (OSError, http.client.HTTPException) as error:
            last = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message} (last: {last!r})")


def children_of(pid):
    """Direct children of a process, from /proc."""
    result = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                result += [int(p) for p in handle.read().split()]
    except FileNotFoundError:
        pass
    return result


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except FileNotFoundError:
        return False


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode().strip()
    except FileNotFoundError:
        return ""


def descendants(pid):
    """Every process below `pid`, from /proc (children, grandchildren...)."""
    found, queue = [], [pid]
    while queue:
        for child in children_of(queue.pop()):
            found.append(child)
            queue.append(child)
    return found


class LoggedProcess:
    """A `liege` process started by a test; its log goes to a file the test can read. `stop()` sends
    SIGINT (SIGKILL after `stop_timeout` s), then waits for every process in `seen` (what `remember()`
    noted along the way) to be gone."""

    wait_log_timeout = 20.0
    stop_timeout = 10
    leftover_timeout = 10
    leftover_kind = "process"

    def __init__(self, binary, args, log_path, env=None):
        self.log_path = log_path
        self.log_file = open(log_path, "ab")
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.process = subprocess.Popen([binary, *args], stdout=self.log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=full_env)
        self.pid = self.process.pid
        self.seen = set()

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_log(self, text, timeout=None, count=1):
        wait_until(lambda: self.log().count(text) >= count, self.wait_log_timeout if timeout is None else timeout,
                   message=f"log line {text!r} x{count}")

    def signal(self, signum):
        os.kill(self.pid, signum)

    def exit_code(self, timeout=30.0):
        return self.process.wait(timeout=timeout)

    def remember(self):
        """Notes the processes that must be gone once the test stopped this one (in `seen`)."""

    def stop(self):
        self.remember()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_file.close()
        wait_until(lambda: not any(alive(p) for p in self.seen), self.leftover_timeout,
                   message=f"no leftover {self.leftover_kind} among {sorted(self.seen)}")


class Liege(LoggedProcess):
    """One master started by a test; `stop()` asserts that no worker it ever had is left running."""

    leftover_kind = "worker"

    def workers(self):
        pids = [p for p in children_of(self.pid) if "liege worker" in cmdline(p)]
        self.seen.update(pids)
        return pids

    def preloaders(self):
        """The master's preloader processes (lazy-apps = false)."""
        pids = [p for p in children_of(self.pid) if "liege preloader" in cmdline(p)]
        self.seen.update(pids)
        return pids

    def remember(self):
        self.workers()
        self.preloaders()

    def wait_ready(self, count=None, timeout=30.0):
        """Waits until the expected number of workers report ready in the log."""
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"liege exited with {self.process.returncode}:\n{self.log()}")
            return "ready" in self.log() and (count is None or len(self.workers()) >= count)
        wait_until(ready, timeout, message="liege ready")


def get(port, path="/", timeout=5):
    """GET over a new connection: (status, body text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def body_of(port, path="/"):
    """The body of GET `path` (None when the port does not answer or the status is not 200)."""
    try:
        status, body = get(port, path)
        return body if status == 200 else None
    except (OSError, http.client.HTTPException):
        return None


def port_closed(port):
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def http_request(port, method="GET", path="/", body=None, headers=None, host="127.0.0.1", timeout=30):
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read(), response
    finally:
        connection.close()


def raw_request(port, data, host="127.0.0.1", timeout=10, read_all=True):
    """Sends raw bytes and returns everything the server sent until it closed (or the timeout)."""
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(data)
        chunks = []
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if not read_all:
                    break
        except socket.timeout:
            pass
        return b"".join(chunks)


def uwsgi_request(port, variables, body=b"", host="127.0.0.1", timeout=10):
    """One request over the uwsgi protocol (values str or bytes, then `body`): everything the server sent until it closed."""
    pairs = ((k.encode(), v if isinstance(v, bytes) else v.encode("latin-1")) for k, v in variables.items())
    packet = b"".join(struct.pack("<H", len(k)) + k + struct.pack("<H", len(v)) + v for k, v in pairs)
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(struct.pack("<BHB", 0, len(packet), 0) + packet + body)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def status_of(raw):
    line = raw.split(b"\r\n", 1)[0]
    parts = line.split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


class Response:
    """One response read by `RawConnection.read_response`: status, headers (names lower-cased; a
    repeated one keeps its last value), the decoded body, and the raw head."""

    def __init__(self, status, headers, body, head):
        self.status, self.headers, self.body, self.head = status, headers, body, head

    def closes(self):
        """Whether the server said it closes the connection after this response."""
        return "close" in self.headers.get("connection", "").lower()

    def __repr__(self):
        return f"Response({self.status}, {self.headers!r}, {self.body[:80]!r})"


class RawConnection:
    """One client connection spoken in raw bytes: send anything, read responses one at a time
    (Content-Length, chunked or close-delimited bodies), and see when the server closes it."""

    def __init__(self, port, host="127.0.0.1", timeout=30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.timeout = timeout
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data)

    def request(self, method="GET", path="/", headers=(), body=b""):
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *headers]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError(f"the server closed the connection (unread: {self.buffer[:200]!r})")
        self.buffer += chunk

    def read_until(self, marker):
        """Everything up to and including `marker` (EOFError if the server closes first)."""
        while marker not in self.buffer:
            self._fill()
        end = self.buffer.index(marker) + len(marker)
        data, self.buffer = self.buffer[:end], self.buffer[end:]
        return data

    def read_exactly(self, count):
        while len(self.buffer) < count:
            self._fill()
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_to_eof(self):
        try:
            while True:
                self._fill()
        except (EOFError, ConnectionResetError):
            data, self.buffer = self.buffer, b""
            return data

    def read_response(self, head_only=False):
        """The next response; `head_only` for the answer to a HEAD request (no body follows)."""
        head = self.read_until(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if head_only or status < 200 or status in (204, 304):
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunked()
        elif "content-length" in headers:
            body = self.read_exactly(int(headers["content-length"]))
        else:
            body = self.read_to_eof()
        return Response(status, headers, body, head)

    def _read_chunked(self):
        body = b""
        while True:
            size = int(self.read_until(b"\r\n").split(b";")[0].strip(), 16)
            if size == 0:
                while self.read_until(b"\r\n") != b"\r\n":
                    pass  # trailer fields
                return body
            body += self.read_exactly(size)
            assert self.read_exactly(2) == b"\r\n", "chunk not followed by CRLF"

    def closed_by_server(self, timeout):
        """Waits up to `timeout` s for the server to close (EOF or reset): True if it did, False if
        the connection is still open then. Bytes that arrive meanwhile are kept in `buffer`."""
        deadline = time.monotonic() + timeout
        try:
            while (left := deadline - time.monotonic()) > 0:
                self.sock.settimeout(left)
                try:
                    chunk = self.sock.recv(65536)
                except socket.timeout:
                    return False
                if not chunk:
                    return True
                self.buffer += chunk
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
        finally:
            self.sock.settimeout(self.timeout)

    def has_data(self, timeout=0):
        """Whether anything (bytes or EOF) is waiting to be read, waiting at most `timeout` s."""
        if self.buffer:
            return True
        readable, _, _ = select.select([self.sock], [], [], timeout)
        return bool(readable)

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
