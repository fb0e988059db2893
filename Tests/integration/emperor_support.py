"""Helpers for the emperor tests: a vassals directory, vassal files, and the emperor process."""
import json
import re
import socket
import time

from support import (LoggedProcess, alive, body_of, children_of, cmdline, descendants, free_port, get, port_closed,
                     wait_until)

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


def worker_pid(body):
    match = re.search(r"pid=(\d+)", body or "")
    return int(match.group(1)) if match else None


class Emperor(LoggedProcess):
    """One `liege --emperor` process started by a test (log in a file); remembers every vassal process it
    ever saw so the test can check that none is left behind."""

    wait_log_timeout = 30.0
    stop_timeout = 15
    leftover_timeout = 20
    leftover_kind = "vassal process"

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

    def remember(self):
        self.everything()


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
