"""The multi-host test's world: network namespaces joined by veth pairs (addresses only inside them),
app hosts each running `liege --emperor`, a balancer namespace running nginx, the guide's readiness
check and a steady client load. Everything is removed again, whatever happened."""
import json
import os
import shutil
import signal
import subprocess
import time

from conftest import VENV
from docs_support import doc_block, substituted
from emperor_support import Emperor
from support import alive, wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUIDE = "several-hosts.md"
APP = '''import os
import time

VERSION = "{version}"


def application(environ, start_response):
    environ["wsgi.input"].read()
    time.sleep(0.03)      # a little work, so that connections sometimes queue on a host
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [("%s %s" % (os.environ["MULTIHOST_ID"], VERSION)).encode()]
'''


def run(*command, check=True):
    return subprocess.run(command, capture_output=True, text=True, check=check, timeout=60)


class Namespaces:
    """Network namespaces made by the test (names carry its pid, so parallel runs never meet)."""

    def __init__(self):
        self.prefix = f"liege{os.getpid()}"
        self.names = []

    def add(self, short):
        name = f"{self.prefix}-{short}"
        run("ip", "netns", "add", name)
        self.names.append(name)
        run("ip", "-n", name, "link", "set", "lo", "up")
        return name

    def link(self, left, left_if, left_address, right, right_if, right_address):
        """A veth pair created inside `left` with its peer inside `right`: it never exists outside them."""
        run("ip", "-n", left, "link", "add", left_if, "type", "veth", "peer", "name", right_if, "netns", right)
        for namespace, interface, address in ((left, left_if, left_address), (right, right_if, right_address)):
            run("ip", "-n", namespace, "addr", "add", address, "dev", interface)
            run("ip", "-n", namespace, "link", "set", interface, "up")

    @staticmethod
    def inside(namespace, *command):
        return ["ip", "netns", "exec", namespace, *map(str, command)]

    def remove(self):
        """Kills what is left inside (only this test ever started processes there), then deletes them."""
        for name in self.names:
            pids = run("ip", "netns", "pids", name, check=False).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            wait_until(lambda: not any(alive(int(p)) for p in pids), 20, message=f"processes in {name} gone")
            run("ip", "netns", "del", name, check=False)
        self.names = []


class Host:
    """One app host: its namespace, address 10.77.N.2, its own code and vassals directory, its emperor."""

    def __init__(self, net, balancer_namespace, index, base, binary):
        self.name = f"h{index}"
        self.net = net
        self.binary = binary
        self.namespace = net.add(self.name)
        self.address = f"10.77.{index}.2"
        net.link(balancer_namespace, self.name, f"10.77.{index}.1/24", self.namespace, "eth0", f"{self.address}/24")
        self.dir = base / "hosts" / self.address
        (self.dir / "app").mkdir(parents=True)
        (self.dir / "vassals").mkdir()
        (self.dir / "app" / "shop.py").write_text(APP.format(version="v1"))
        (self.dir / "vassals" / "shop.ini").write_text(substituted(
            doc_block(GUIDE, "shop.ini"),
            ("chdir = /srv/shop", f"chdir = {self.dir / 'app'}"),
            ("module = shop.wsgi:application", "module = shop"),
            ("virtualenv = /srv/shop/venv", f"virtualenv = {VENV}"),
            ("processes = 4", "processes = 2")))
        self.emperors = []

    @property
    def emperor(self):
        return self.emperors[-1]

    def start(self):
        """`liege --emperor` started inside the host's namespace (`ip netns exec` execs it in place)."""
        command = Namespaces.inside(self.namespace, self.binary, "--emperor", self.dir / "vassals")
        emperor = Emperor(command[0], command[1:], self.dir / f"emperor{len(self.emperors)}.log",
                          env={"MULTIHOST_ID": self.name, "PYTHONDONTWRITEBYTECODE": "1"})
        self.emperors.append(emperor)
        return emperor

    def kill(self):
        """SIGKILL to the emperor, then to every vassal master; waits until the workers left too."""
        everything = self.emperor.everything()
        masters = list(self.emperor.masters())
        os.kill(self.emperor.pid, signal.SIGKILL)
        for pid in masters:
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not any(alive(p) for p in everything + [self.emperor.pid]), 30,
                   message=f"{self.name}'s processes gone")

    def stop(self):
        for emperor in self.emperors:
            emperor.stop()


class Balancer:
    """The load balancer namespace: nginx with the guide's shop.conf, fed by the guide's readiness check."""

    def __init__(self, net, base):
        self.net = net
        self.namespace = net.add("lb")
        self.prefix = base / "nginx"
        (self.prefix / "logs").mkdir(parents=True)
        self.upstream = self.prefix / "liege-upstream.conf"
        self.processes = []
        self.nginx = None

    def inside(self, *command):
        return Namespaces.inside(self.namespace, *command)

    def get(self, url):
        """(HTTP status, body) of a GET made with curl from inside the balancer (0: no answer)."""
        result = run(*self.inside("curl", "-s", "--max-time", "3", "-w", "\n%{http_code}", url), check=False)
        body, _, code = result.stdout.rpartition("\n")
        return int(code or 0), body

    def start_check(self, hosts):
        script = self.prefix / "liege-upstream-check"
        script.write_text(doc_block(GUIDE, "liege-upstream-check"))
        script.chmod(0o755)
        env = dict(os.environ, HOSTS=" ".join(h.address for h in hosts), UPSTREAM_FILE=str(self.upstream),
                   RELOAD=f"{NGINX} -p {self.prefix} -c {self.prefix / 'nginx.conf'} -s reload")
        self._spawn(self.inside(script), "check.log", env)
        wait_until(lambda: self.upstream.exists() and self.upstream.read_text().count(":3031 max_fails") == len(hosts),
                   30, message="every host in the upstream file")

    def start_nginx(self, port):
        site = substituted(doc_block(GUIDE, "shop.conf"),
                           ("include /etc/nginx/liege-upstream.conf;", f"include {self.upstream};"),
                           ("listen 80;", f"listen 127.0.0.1:{port};"),
                           ("include uwsgi_params;", "include /etc/nginx/uwsgi_params;"))
        (self.prefix / "shop.conf").write_text(site)
        # Tests run as root: nginx's workers would drop to `nobody`, who cannot enter pytest's directories.
        (self.prefix / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
daemon off;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format upstream '$msec $request_method $status $upstream_addr $upstream_status';
    access_log {self.prefix}/logs/access.log upstream;
    client_body_temp_path {self.prefix}/body;
    uwsgi_temp_path {self.prefix}/uwsgi;
    include {self.prefix}/shop.conf;
}}
""")
        self.nginx = self._spawn(self.inside(NGINX, "-p", self.prefix, "-c", self.prefix / "nginx.conf"), "nginx.out")
        wait_until(lambda: self.get(f"http://127.0.0.1:{port}/")[0] == 200, 30, message="nginx serving")

    def start_load(self, port, output, stop):
        client = os.path.join(os.path.dirname(__file__), "multihost_client.py")
        return self._spawn(self.inside(VENV / "bin" / "python", client, "127.0.0.1", port, output, stop, 6),
                           "client.log")

    def _spawn(self, command, log_name, env=None):
        log = open(self.prefix / "logs" / log_name, "ab")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        self.processes.append(process)
        return process

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if process is self.nginx else signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


class Load:
    """The clients' requests as recorded by multihost_client.py, split into the test's phases."""

    def __init__(self, balancer, port, base):
        self.output = base / "requests.jsonl"
        self.stop_file = base / "stop-load"
        self.process = balancer.start_load(port, self.output, self.stop_file)
        self.phases = []
        self.finished = None

    def phase(self, name):
        self.phases.append((name, time.monotonic()))

    def records(self):
        if not self.output.exists():
            return []
        return [json.loads(line) for line in self.output.read_text().splitlines() if line.endswith("}")]

    def answered_by(self, host, since, version=None):
        return [r for r in self.records() if r["start"] >= since and r["status"] == 200
                and r["body"].split()[0] == host and (version is None or r["body"].endswith(version))]

    def finish(self):
        self.finished = time.monotonic()
        self.stop_file.touch()
        self.process.wait(timeout=60)

    def by_phase(self):
        """{phase: [records started in it]}, phases in order."""
        bounds = [start for _, start in self.phases[1:]] + [float("inf")]
        result = {name: [] for name, _ in self.phases}
        for record in self.records():
            for (name, start), end in zip(self.phases, bounds):
                if start <= record["start"] < end:
                    result[name].append(record)
        return result

    def table(self, hosts):
        """Per phase: its length, requests, failures by method, and the requests each host answered."""
        lines = [f"{'phase':<22} {'seconds':>7} {'requests':>8} {'failed GET':>10} {'failed POST':>11}  "
                 + "  ".join(f"{h:>5}" for h in hosts)]
        starts = [start for _, start in self.phases]
        ends = starts[1:] + [self.finished]
        for (name, records), start, end in zip(self.by_phase().items(), starts, ends):
            failed = [r for r in records if r["status"] != 200]
            shares = [sum(1 for r in records if r["status"] == 200 and r["body"].split()[0] == h) for h in hosts]
            lines.append(f"{name:<22} {end - start:>7.1f} {len(records):>8} {sum(r['method'] == 'GET' for r in failed):>10} "
                         f"{sum(r['method'] == 'POST' for r in failed):>11}  " + "  ".join(f"{s:>5}" for s in shares))
        return "\n".join(lines)
