"""The runnable parts of the deployment guides (quickstart, several hosts, Kubernetes, container) that
the multi-host and packaging tests do not already run: each config is checked or run as printed."""
import json
import os
import re
import shutil
import signal
import subprocess

import pytest

from conftest import APPS, ROOT, VENV
from docs_support import doc_block, substituted
from emperor_support import Emperor
from multihost_support import Namespaces
from packaging_support import DEB_NAME, release_binary
from support import children_of, wait_until



def check_config(liege_bin, path):
    result = subprocess.run([liege_bin, "--check-config", "--ini", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def kubernetes_documents():
    """docs/kubernetes.md's manifests, parsed by Debian's PyYAML (python3-yaml, make test-deps)."""
    parse = "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))"
    result = subprocess.run(["/usr/bin/python3", "-c", parse], input=doc_block("kubernetes.md", "kubernetes.yaml"),
                            capture_output=True, text=True)
    assert result.returncode == 0, f"python3-yaml missing (make test-deps) or bad YAML: {result.stderr}"
    return {document["kind"]: document for document in json.loads(result.stdout)}


def option(ini, name):
    return re.search(rf"^{re.escape(name)} = (.*)$", ini, re.M).group(1).strip()


def test_the_guides_name_the_package_make_deb_writes():
    makefile = subprocess.run(["make", "-s", "-C", str(ROOT), "-n", "-o", "release", "deb"], capture_output=True,
                              text=True, check=True).stdout
    assert f".build/deb/{DEB_NAME}" in makefile
    for guide in ("quickstart.md", "several-hosts.md", "systemd.md"):
        assert f"sudo apt install ./{DEB_NAME}" in (ROOT / "docs" / guide).read_text(), guide
    assert f"make deb        # writes .build/deb/{DEB_NAME}" in (ROOT / "docs/quickstart.md").read_text()


def test_the_quickstart_config_is_valid(liege_bin, tmp_path):
    (tmp_path / "mysite.ini").write_text(doc_block("quickstart.md", "mysite.ini"))
    check_config(liege_bin, tmp_path / "mysite.ini")


def test_the_several_hosts_vassal_is_valid_and_its_limits_nest(liege_bin, tmp_path):
    ini = doc_block("several-hosts.md", "shop.ini")
    (tmp_path / "shop.ini").write_text(ini)
    check_config(liege_bin, tmp_path / "shop.ini")
    assert int(option(ini, "drain-delay")) + int(option(ini, "worker-reload-mercy")) < 30   # curse tolerance


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_the_readiness_check_unit_is_valid(tmp_path):
    script = tmp_path / "liege-upstream-check"
    script.write_text(doc_block("several-hosts.md", "liege-upstream-check"))
    script.chmod(0o755)
    unit = tmp_path / "liege-upstream-check.service"
    unit.write_text(substituted(doc_block("several-hosts.md", "liege-upstream-check.service"),
                                ("/usr/local/bin/liege-upstream-check", str(script))))
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    assert subprocess.run(["sh", "-n", "-c", doc_block("several-hosts.md", "liege-rolling-deploy")]).returncode == 0


def test_the_kubernetes_manifests_fit_together():
    docs = kubernetes_documents()
    assert set(docs) == {"ConfigMap", "Deployment", "Service", "PodMonitor", "HorizontalPodAutoscaler"}
    ini = docs["ConfigMap"]["data"]["shop.ini"]
    pod = docs["Deployment"]["spec"]["template"]
    container, = pod["spec"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports["metrics"] == int(option(ini, "metrics").lstrip(":"))
    assert ports["http"] == int(option(ini, "http-socket").lstrip(":"))
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "metrics"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/metrics", "port": "metrics"}
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(ports["metrics"])
    assert docs["PodMonitor"]["spec"]["podMetricsEndpoints"][0]["port"] == "metrics"
    assert docs["Service"]["spec"]["ports"][0]["targetPort"] in ports
    assert pod["spec"]["volumes"][0]["configMap"]["name"] == docs["ConfigMap"]["metadata"]["name"]
    assert docs["Deployment"]["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    # drain-delay + worker-reload-mercy < emperor-curse-tolerance < terminationGracePeriodSeconds
    args = container["args"]
    curse = int(args[args.index("--emperor-curse-tolerance") + 1])
    assert int(option(ini, "drain-delay")) + int(option(ini, "worker-reload-mercy")) < curse
    assert curse < pod["spec"]["terminationGracePeriodSeconds"]
    # The HPA's metric is what observability.md's prometheus-adapter rule exports.
    metric = docs["HorizontalPodAutoscaler"]["spec"]["metrics"][0]["pods"]["metric"]["name"]
    assert f'as: "{metric}"' in (ROOT / "docs/observability.md").read_text()
    # The image's entrypoint with its default arguments is what the pod runs, plus the curse tolerance.
    entrypoint, command = dockerfile_instruction("ENTRYPOINT"), dockerfile_instruction("CMD")
    assert entrypoint == ["liege"] and args[:len(command)] == command


def test_the_pod_serves_and_drains_as_the_kubelet_probes_it(tmp_path):
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("a network namespace for the pod needs root and iproute2 (make test runs as root)")
    docs = kubernetes_documents()
    container, = docs["Deployment"]["spec"]["template"]["spec"]["containers"]
    vassals = tmp_path / "vassals"
    vassals.mkdir()
    ini = substituted(docs["ConfigMap"]["data"]["shop.ini"], ("chdir = /srv/shop", f"chdir = {APPS}"),
                      ("module = shop.wsgi:application", "module = observe"),
                      ("virtualenv = /srv/shop/venv", f"virtualenv = {VENV}"), ("processes = 4", "processes = 2"))
    (vassals / "shop.ini").write_text(ini)
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    net = Namespaces()
    emperor = None
    try:
        pod = net.add("pod")

        def probe(name):   # what the kubelet does for httpGet: the status code
            get = container[name]["httpGet"]
            return probe_url(pod, f"http://127.0.0.1:{ports[get['port']]}{get['path']}")

        def app():
            return probe_url(pod, f"http://127.0.0.1:{ports['http']}/")

        args = [str(vassals) if arg == "/etc/liege/vassals" else arg for arg in container["args"]]
        # As in a container: the entrypoint is PID 1 of its own PID namespace (with its own /proc), and
        # the signals come from outside it, as the container runtime sends them.
        command = Namespaces.inside(pod, "unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
                                    release_binary(), *args)
        emperor = Emperor(command[0], command[1:], tmp_path / "pod.log")
        pid1 = wait_until(lambda: children_of(emperor.pid), 30, message="the pod's first process")[0]
        namespace_pids = open(f"/proc/{pid1}/status").read().split("NSpid:")[1].split("\n")[0].split()
        assert namespace_pids[-1] == "1", f"the pod's first process is PID {namespace_pids[-1]} in its namespace"
        wait_until(lambda: probe("readinessProbe") == 200, 60, message="the pod ready")
        assert probe("livenessProbe") == 200 and app() == 200
        os.kill(pid1, signal.SIGTERM)                        # the kubelet deleting the pod
        wait_until(lambda: probe("readinessProbe") == 503, 10, message="readiness failing after SIGTERM")
        assert app() == 200                                  # drain-delay: late arrivals are still served
        assert probe("livenessProbe") == 200                 # and the pod is not killed for draining
        os.kill(pid1, signal.SIGINT)                         # no need to wait out the drain here
        assert emperor.exit_code(timeout=30) == 0
    finally:
        if emperor:
            emperor.stop()
        net.remove()


def probe_url(namespace, url):
    result = subprocess.run(Namespaces.inside(namespace, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                              "--max-time", "3", url), capture_output=True, text=True)
    return int(result.stdout or 0)


def dockerfile_instruction(name):
    """The JSON (exec form) argument of the last `name` instruction of docs/container.md's Dockerfile."""
    lines = [line for line in doc_block("container.md", "Dockerfile").splitlines() if line.startswith(name + " ")]
    return json.loads(lines[-1][len(name) + 1:])


def test_the_dockerfile_builds_the_package_and_installs_it_on_debian_slim():
    text = doc_block("container.md", "Dockerfile")
    stages = re.findall(r"^FROM (\S+)(?: AS (\S+))?$", text, re.M)
    assert stages == [("swift:6.3-bookworm", "liege"), ("debian:bookworm-slim", "")]
    assert open("/etc/debian_version").read().startswith("12"), "the package's Depends are Debian 12's"
    build, final = re.split(r"^FROM debian:bookworm-slim$", text, flags=re.M)
    # The build stage installs what `make deps` needs and runs `make deb`.
    makefile = (ROOT / "Makefile").read_text()
    apt_packages = re.search(r"^APT_PACKAGES := (.*)$", makefile, re.M).group(1).split()
    assert re.search(r"apt-get install -y --no-install-recommends " + " ".join(apt_packages), build)
    assert "RUN make deb" in build
    # The final stage installs the package from where `make deb` wrote it, and packages Debian 12 has.
    assert "COPY --from=liege /src/.build/deb/ /tmp/liege/" in final
    installs = re.search(r"apt-get install -y --no-install-recommends (.*?) \\", final).group(1).split()
    assert installs[0] == "/tmp/liege/liege_*.deb"
    for package in installs[1:]:
        assert subprocess.run(["apt-cache", "show", package], capture_output=True).returncode == 0, package
    assert "/usr/bin/python3 -m venv /srv/shop/venv" in final       # Debian's Python: the libpython Liege links
    assert dockerfile_instruction("ENTRYPOINT") == ["liege"]
    assert dockerfile_instruction("CMD") == ["--emperor", "/etc/liege/vassals"]
