"""Where things are (paths, binaries), which CPUs serve and which load, and what Liege can do yet."""

import os
import shutil
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
APPS = os.path.join(BENCH, "apps")
HARNESS = os.path.join(BENCH, "harness")
WORK = os.path.join(ROOT, ".bench")
VENV = os.path.join(WORK, "venv")

PEER_LABELS = {"liege": "Liege", "uwsgi": "uWSGI", "gunicorn": "gunicorn", "nginx": "nginx", "granian": "granian",
               "uvicorn": "uvicorn", "daphne": "daphne"}


class Context:
    def __init__(self, args):
        self.args = args
        self.processes = 2
        self.rounds = args.rounds
        self.duration = args.duration
        self.warmup = args.warmup
        self.connections = args.connections
        self.idle_seconds = args.idle_seconds
        self.reload_timeout = args.reload_timeout
        self.settle = args.settle  # seconds of load kept on after the first new-worker answer
        self.liege = os.path.abspath(args.liege)
        self.uwsgi = os.path.join(VENV, "bin", "uwsgi")
        self.gunicorn = os.path.join(VENV, "bin", "gunicorn")
        self.granian = os.path.join(VENV, "bin", "granian")
        self.uvicorn = os.path.join(VENV, "bin", "uvicorn")
        self.daphne = os.path.join(VENV, "bin", "daphne")
        self.nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.wrk = shutil.which("wrk") or "/usr/bin/wrk"
        self.python = os.path.join(VENV, "bin", "python")
        self.peers = [p for p in args.peers.split(",") if p]
        self.logs = os.path.join(WORK, "logs")
        self.conf = os.path.join(WORK, "conf")
        for d in (self.logs, self.conf):
            os.makedirs(d, exist_ok=True)
        self.server_cpus, self.load_cpus = pick_cpus(args.server_cpus, args.load_cpus)
        self.commands = {}  # scenario group -> {peer: command line}
        self.notes = []
        self._features = {}

    def note(self, text):
        self.notes.append(text)

    def wants(self, peer):
        return peer in self.peers

    def record(self, group, peer, command):
        self.commands.setdefault(group, {})[peer] = command

    def taskset(self, cpus):
        return ["taskset", "-c", ",".join(str(c) for c in sorted(cpus))] if cpus else []

    def liege_has(self, feature):
        """Capability probe: does this liege binary know the option a feature needs? `liege --check-config`
        names unknown options (`unknown option "static-map"`); while it does, the feature has not landed
        and its scenario prints "not built yet". Any other answer counts as landed, and the scenario's
        own checks (right bytes back, no worker before the first request, ...) catch a half-built one."""
        if feature not in self._features:
            option, arguments = LIEGE_PROBES[feature]
            try:
                done = subprocess.run([self.liege, "--check-config"] + arguments, capture_output=True, text=True,
                                      timeout=20, cwd=WORK)
                unknown = 'unknown option "%s"' % option in done.stdout + done.stderr
                self._features[feature] = done.returncode == 0 or not unknown
            except (OSError, subprocess.TimeoutExpired):
                self._features[feature] = False
        return self._features[feature]


LIEGE_PROBES = {
    "static-map": ("static-map", ["--http-socket", "127.0.0.1:1", "--static-map", "/probe=/tmp"]),
    "cheap": ("cheap", ["--http-socket", "127.0.0.1:1", "--cheap"]),
    "emperor": ("emperor", ["--emperor", "/tmp"]),
    "disable-logging": ("disable-logging", ["--http-socket", "127.0.0.1:1", "--disable-logging"]),
    "asgi": ("asgi", ["--http-socket", "127.0.0.1:1", "--asgi", "probe"]),
}


def pick_cpus(server_spec, load_spec):
    """Default on a 2-core machine: the servers on CPU 1, the load generator (and this harness) on CPU 0.
    With more cores: load on CPU 0, servers on the rest. With one core: no pinning."""
    available = sorted(os.sched_getaffinity(0))
    if server_spec or load_spec:
        parse = lambda s: {int(x) for x in s.split(",") if x != ""}
        return parse(server_spec or ""), parse(load_spec or "")
    if len(available) < 2:
        return set(), set()
    return set(available[1:]), {available[0]}
