"""Starting, probing and stopping the servers under test, and reading their /proc facts.

Every server is started in its own session (so its whole tree can be found and ended), pinned to the
server CPUs, with its output in a log file under .bench/logs. Only processes started here are ever
signalled, always by PID (or by the process group this module created).
"""

import os
import signal
import socket
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
_STARTED = []


def stop_all():
    """Stop every server this run started that is still up (on the way out, whatever happened)."""
    for server in list(_STARTED):
        if server.alive() or descendants(server.pid):
            server.stop(grace=3.0)


class Server:
    """One running server process tree (a master, an emperor, nginx, ...)."""

    def __init__(self, name, argv, cwd, log_path, cpus, env=None):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        env_all = dict(os.environ)
        env_all.update(env or {})
        self.log = open(log_path, "ab")
        self.log.write(("\n==== %s: %s\n" % (time.strftime("%H:%M:%S"), " ".join(argv))).encode())
        self.log.flush()

        def pin():
            if cpus:
                os.sched_setaffinity(0, cpus)

        self.proc = subprocess.Popen(argv, cwd=cwd, env=env_all, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=pin)
        self.pid = self.proc.pid
        _STARTED.append(self)

    def alive(self):
        return self.proc.poll() is None

    def tree(self):
        return [self.pid] + descendants(self.pid)

    def children(self):
        return children_of(self.pid)

    def send(self, sig):
        if self.alive():
            os.kill(self.pid, sig)

    def stop(self, sig=signal.SIGINT, grace=8.0):
        """Ask the leader to stop (SIGINT = immediate stop for Liege, uWSGI, gunicorn and nginx), then
        SIGKILL whatever of its tree is left."""
        members = self.tree()
        try:
            self.send(sig)
            self.proc.wait(timeout=grace)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            pass
        leftovers = [p for p in members + descendants(self.pid) if pid_alive(p)]
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        if not self.log.closed:
            self.log.close()
        if self in _STARTED:
            _STARTED.remove(self)

    def log_tail(self, lines=15):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""


# ---------------------------------------------------------------- /proc

def _stat_fields(pid):
    with open("/proc/%d/stat" % pid, "rb") as f:
        raw = f.read().decode(errors="replace")
    # the command name may hold spaces and parentheses: split after the last ')'
    rest = raw[raw.rindex(")") + 2:].split()
    return rest  # rest[0] = state (field 3), rest[1] = ppid, rest[11] = utime, rest[12] = stime


def all_parents():
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = _stat_fields(int(entry))
            except (OSError, ValueError):
                continue
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
    return parents


def children_of(pid, parents=None):
    parents = parents if parents is not None else all_parents()
    return sorted(p for p, pp in parents.items() if pp == pid)


def descendants(pid):
    parents = all_parents()
    found, frontier = [], [pid]
    while frontier:
        kids = [p for p, pp in parents.items() if pp in frontier]
        found += kids
        frontier = kids
    return found


def cmdline(pid):
    """The process's command line as ps shows it ("" when it is gone)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def pid_alive(pid):
    try:
        return _stat_fields(pid)[0] != "Z"
    except (OSError, ValueError):
        return False


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def pss_kib(pid):
    """Proportional set size: shared pages divided among their sharers (smaps_rollup)."""
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_sample(pids):
    """CPU time used so far by each live thread of these processes: {(pid, tid): seconds}, from
    /proc/PID/task/TID/schedstat (nanoseconds), or {(pid, None): utime + stime} in clock ticks where
    schedstat is missing."""
    sample = {}
    for pid in pids:
        try:
            for task in os.listdir("/proc/%d/task" % pid):
                with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                    sample[(pid, int(task))] = int(f.read().split()[0]) / 1e9
            continue
        except (OSError, ValueError, IndexError):
            pass
        try:
            fields = _stat_fields(pid)
            sample[(pid, None)] = (int(fields[11]) + int(fields[12])) / CLK_TCK
        except (OSError, ValueError, IndexError):
            pass
    return sample


def cpu_used(before, after):
    """CPU seconds used between two `cpu_sample`s: each thread's growth (a thread born in between counts
    from zero). A thread that ended in between is left out: summing whole samples instead would count
    its past as negative time (idle runtimes retire their spare threads)."""
    return sum(seconds - before.get(key, 0.0) for key, seconds in after.items())


def listening_ports():
    """TCP ports in LISTEN state on this host (read from /proc/net/tcp, without connecting)."""
    ports = set()
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[3] == "0A":
                        ports.add(int(parts[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return ports


# ---------------------------------------------------------------- network

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path="/", timeout=5.0, keep_body=True):
    """One HTTP/1.0 GET. Reads the answer up to its Content-Length (or to EOF without one), so a server
    that keeps the connection open anyway does not stall it. Returns (status, body or body length);
    raises OSError."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(("GET %s HTTP/1.0\r\nHost: 127.0.0.1:%d\r\n\r\n" % (path, port)).encode())
        raw = b""
        while b"\r\n\r\n" not in raw:
            data = s.recv(65536)
            if not data:
                break
            raw += data
        head, _, body = raw.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1."):
            raise OSError("not an HTTP response: %r" % raw[:40])
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        chunks, received = [body], len(body)
        while length is None or received < length:
            data = s.recv(1 << 20)
            if not data:
                break
            received += len(data)
            if keep_body:
                chunks.append(data)
    status = int(head.split(b" ", 2)[1])
    return status, (b"".join(chunks) if keep_body else received)


def wait_http(port, path="/", timeout=30.0, server=None, expect=200):
    """Poll until GET path answers `expect`. Returns seconds waited, or None on timeout / server death."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if server is not None and not server.alive():
            return None
        try:
            status, _ = http_get(port, path, timeout=2.0)
            if status == expect:
                return time.monotonic() - start
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    return None


def port_refuses(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
