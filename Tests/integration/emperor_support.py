"""Helpers for the emperor tests: a vassals directory, vassal files, and the emperor process."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time

from support import alive, children_of, cmdline, free_port, wait_until

APP_TEMPLATE = '''import os


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [("%s pid=%%d" %% os.getpid()).encode()]
'''


def write_app(directory, module, body):
    """A tiny WSGI app answering `BODY pid=N` (N = the worker's pid)."""
    (directory / f"{module}.py").write_text(APP_TEMPLATE % body)


def vassal_ini(port, module, extra=""):
    return f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nchdir = %d\nmodule = {module}\nprocesses = 1\n{extra}"


def get(port, path="/", timeout=5):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def body_of(port):
    """The body of GET / (None when the port does not answer)."""
    try:
        status, body = get(port)
        return body if status == 200 else None
    except (OSError, http.client.HTTPException):
        return None


def port_closed(port):
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def descendants(pid):
    """Every process below `pid`, from /proc (children, grandchildren...)."""
    found, queue = [], [pid]
    while queue:
        for child in children_of(queue.pop()):
            found.append(child)
            queue.append(child)
    return found


def worker_pid(body):
    match = re.search(r"pid=(\d+)", body or "")
    return int(match.group(1)) if match else None


class Emperor:
    """One `liege --emperor` process started by a test (log in a file); remembers every vassal process it
    ever saw so the test can check that none is left behind."""

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

    def wait_log(self, text, timeout=30.0, count=1):
        wait_until(lambda: self.log().count(text) >= count, timeout, message=f"log line {text!r} x{count}")

    def masters(self):
        """pid -> cmdline of the vassal masters (direct children of the emperor)."""
        result = {p: cmdline(p) for p in children_of(self.pid) if alive(p)}
        self.seen.update(result)
        return result

    def master_of(self, name):
        for pid, command in self.masters().items():
            if f"liege master {name}" in command:
                return pid
        return None

    def everything(self):
        pids = [p for p in descendants(self.pid) if alive(p)]
        self.seen.update(pids)
        return pids

    def stop(self):
        self.everything()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_file.close()
        wait_until(lambda: not any(alive(p) for p in self.seen), 20,
                   message=f"no leftover vassal process among {sorted(self.seen)}")


def stats(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        chunks = []
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return json.loads(b"".join(chunks))


__all__ = ["write_app", "vassal_ini", "get", "body_of", "port_closed", "descendants", "worker_pid", "Emperor",
           "stats", "free_port", "wait_until", "alive", "time"]
