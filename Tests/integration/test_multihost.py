"""Three hosts behind nginx, built from network namespaces (docs/several-hosts.md, "How this is tested"):
a rolling deploy, a host killed with SIGKILL, its restart, and a graceful stop with drain-delay, under a
steady load of GETs and POSTs through nginx. Prints the counts per phase and per host."""
import os
import shutil
import signal
import subprocess
import time

import pytest

from docs_support import doc_block
from multihost_support import APP, GUIDE, NGINX, Balancer, Host, Load, Namespaces
from support import wait_until

PORT = 8080     # nginx, on the balancer namespace's own loopback


@pytest.fixture
def pool(liege_bin, tmp_path):
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("network namespaces need root and iproute2 (make test runs as root)")
    assert os.access(NGINX, os.X_OK), "nginx is not installed (make test-deps installs it)"
    net = Namespaces()
    balancer = hosts = None
    try:
        balancer = Balancer(net, tmp_path)
        hosts = [Host(net, balancer.namespace, index, tmp_path, liege_bin) for index in (1, 2, 3)]
        for host in hosts:
            host.start()
        for host in hosts:
            wait_until(lambda h=host: balancer.get(f"http://{h.address}:9100/ready")[0] == 200, 60,
                       message=f"{host.name} ready")
        balancer.start_check(hosts)
        balancer.start_nginx(PORT)
        yield balancer, hosts
    finally:
        if balancer:
            balancer.stop()
        for host in hosts or []:
            host.stop()
        net.remove()


def failures(records, method=None):
    return [r for r in records if r["status"] != 200 and method in (None, r["method"])]


def test_rolling_deploy_crash_restart_and_drain_behind_nginx(pool, tmp_path, capsys):
    balancer, hosts = pool
    h1, h2, h3 = hosts
    load = Load(balancer, PORT, tmp_path)
    try:
        load.phase("steady")
        begun = time.monotonic()
        for host in hosts:
            wait_until(lambda h=host: load.answered_by(h.name, begun), 30, message=f"{host.name} takes requests")
        time.sleep(1)

        load.phase("rolling deploy")
        release = tmp_path / "release"
        release.mkdir()
        (release / "shop.py").write_text(APP.format(version="v2"))
        script = tmp_path / "liege-rolling-deploy"
        script.write_text(doc_block(GUIDE, "liege-rolling-deploy"))
        script.chmod(0o755)
        step = f"cp {release}/shop.py {tmp_path}/hosts/{{}}/app/shop.py && touch {tmp_path}/hosts/{{}}/vassals/shop.ini"
        deploy = subprocess.run(balancer.inside(script, *(h.address for h in hosts)), capture_output=True, text=True,
                                timeout=180, env=dict(os.environ, STEP=step, TIMEOUT="60"))
        assert deploy.returncode == 0, deploy.stdout + deploy.stderr
        assert [line.split(":")[0] for line in deploy.stdout.splitlines()] == [h.address for h in hosts], deploy.stdout
        deployed = time.monotonic()
        for host in hosts:
            wait_until(lambda h=host: load.answered_by(h.name, deployed, "v2"), 30, message=f"{host.name} on v2")

        load.phase("SIGKILL host 2")
        h2.kill()
        killed = time.monotonic()
        wait_until(lambda: "10.77.2.2:3031 down" in balancer.upstream.read_text(), 30, message="host 2 marked down")
        time.sleep(2)

        load.phase("host 2 restarted")
        h2.start()
        restarted = time.monotonic()
        wait_until(lambda: load.answered_by("h2", restarted), 60, message="host 2 takes requests again")
        time.sleep(1)

        load.phase("graceful stop host 3")
        h3.emperor.signal(signal.SIGTERM)           # what `systemctl stop liege-emperor` sends
        # Readiness takes host 3 out of nginx while it still serves (drain-delay), before its stop begins.
        wait_until(lambda: "10.77.3.2:3031 down" in balancer.upstream.read_text(), 30, message="host 3 marked down")
        assert h3.emperor.process.poll() is None, "host 3 was out of nginx only after it stopped"
        assert h3.emperor.exit_code(timeout=60) == 0
        assert "drain-delay over: graceful shutdown" in h3.emperor.log()
        time.sleep(1)
    finally:
        load.finish()

    phases = load.by_phase()
    with capsys.disabled():
        print(f"\nmulti-host: {sum(map(len, phases.values()))} requests through nginx\n" + load.table(["h1", "h2", "h3"]))
    every = [r for records in phases.values() for r in records]
    assert not failures(phases["steady"]) and not failures(phases["rolling deploy"]), failures(every)[:5]
    assert all(r["body"].endswith("v2") for r in phases["rolling deploy"] if r["start"] >= deployed)
    # A crash loses only what nginx may not retry: POSTs in flight on host 2. No GET fails.
    assert not failures(phases["SIGKILL host 2"], "GET"), failures(phases["SIGKILL host 2"])[:5]
    assert not [r for r in phases["SIGKILL host 2"] if r["start"] > killed + 1 and r["body"].startswith("h2")]
    assert not failures(phases["host 2 restarted"]), failures(phases["host 2 restarted"])[:5]
    assert not failures(phases["graceful stop host 3"]), failures(phases["graceful stop host 3"])[:5]
    assert load.answered_by("h2", restarted)
