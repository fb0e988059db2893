"""Load generators: wrk for throughput and latency, a small threaded client for reload-under-load."""

import os
import re
import socket
import subprocess
import threading
import time

HTTP10 = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lua", "http10.lua")
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * _UNITS[m.group(2)] if m else None


def wrk(ctx, port, path="/", seconds=None, keepalive=True, connections=None):
    """Run wrk pinned to the load CPUs. Returns a dict: rps, p99_ms, p50_ms, requests, errors, non2xx."""
    seconds = seconds or ctx.duration
    argv = ctx.taskset(ctx.load_cpus) + [ctx.wrk, "-t1", "-c%d" % (connections or ctx.connections),
                                         "-d%ds" % max(1, round(seconds)), "--timeout", "10s", "--latency"]
    if not keepalive:
        argv += ["-s", HTTP10]
    argv.append("http://127.0.0.1:%d%s" % (port, path))
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30)
    return parse_wrk(done.stdout), argv


def wrk_command(ctx, path, keepalive, connections=None):
    parts = ctx.taskset(ctx.load_cpus) + ["wrk", "-t1", "-c%d" % (connections or ctx.connections),
                                          "-d%ds" % ctx.duration, "--timeout", "10s", "--latency"]
    if not keepalive:
        parts += ["-s", "bench/lua/http10.lua"]
    return " ".join(parts + ["http://127.0.0.1:PORT" + path])


def parse_wrk(out):
    result = {"rps": None, "p99_ms": None, "p50_ms": None, "requests": 0, "errors": 0, "non2xx": 0}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        result["rps"] = float(m.group(1))
    for pct, key in (("99", "p99_ms"), ("50", "p50_ms")):
        m = re.search(r"^\s+%s%%\s+(\S+)" % pct, out, re.M)
        if m:
            result[key] = _ms(m.group(1))
    m = re.search(r"(\d+) requests in", out)
    if m:
        result["requests"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        result["errors"] = sum(int(x) for x in m.groups())
        result["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), (int(x) for x in m.groups())))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        result["non2xx"] = int(m.group(1))
    return result


class ReloadClient:
    """`clients` threads, each sending GET / with Connection: close back to back. Each answer's body
    names the app generation that served it. Records (start, end, status or error, body)."""

    def __init__(self, port, clients=4, timeout=15.0):
        self.port = port
        self.clients = clients
        self.timeout = timeout
        self.records = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []

    def start(self):
        for _ in range(self.clients):
            t = threading.Thread(target=self._run, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(self.timeout + 5)

    def first_response_of(self, generation, after):
        with self._lock:
            ends = [end for start, end, status, body in self.records
                    if status == 200 and body == generation and end >= after]
        return min(ends) if ends else None

    def summary(self):
        """(requests, the failed ones, the longest request in ms)"""
        with self._lock:
            records = list(self.records)
        failed = [r for r in records if r[2] != 200]
        longest = max(((end - start) * 1000 for start, end, _s, _b in records), default=0.0)
        return len(records), failed, longest

    def _run(self):
        request = ("GET / HTTP/1.0\r\nHost: 127.0.0.1:%d\r\n\r\n" % self.port).encode()
        while not self._stop.is_set():
            start = time.monotonic()
            status, body = None, b""
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout) as s:
                    s.sendall(request)
                    chunks = []
                    while True:
                        data = s.recv(65536)
                        if not data:
                            break
                        chunks.append(data)
                raw = b"".join(chunks)
                head, _, body = raw.partition(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.") else "garbled"
            except (OSError, ValueError, IndexError) as error:
                status = type(error).__name__
            with self._lock:
                self.records.append((start, time.monotonic(), status, body.decode(errors="replace").strip()))
            if status != 200:
                time.sleep(0.01)  # a refused or reset connection must not spin
