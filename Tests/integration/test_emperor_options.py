"""Emperor options through the real binary: tyrant, on demand, sd_notify, stats, vassal-set, pidfile, scale."""
import os
import pathlib
import pwd
import shutil
import signal
import socket
import stat
import tempfile

import pytest

from emperor_support import (Emperor, alive, body_of, free_port, port_closed, stats, time, vassal_ini, wait_until,
                             worker_pid, write_app)


def uid_of(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    return None


@pytest.mark.skipif(os.geteuid() != 0, reason="tyrant mode needs root")
def test_tyrant_runs_each_vassal_as_its_file_owner(emperor):
    nobody = pwd.getpwnam("nobody")
    base = tempfile.mkdtemp(prefix="liege-tyrant-")
    try:
        os.chmod(base, 0o755)
        vassals = pathlib.Path(base)
        port, root_port = free_port(), free_port()
        write_app(vassals, "tyrantapp", "tyrant")
        (vassals / "mine.ini").write_text(vassal_ini(port, "tyrantapp"))
        os.chown(vassals / "mine.ini", nobody.pw_uid, nobody.pw_gid)
        (vassals / "rooted.ini").write_text(vassal_ini(root_port, "tyrantapp"))
        server, _ = emperor("--emperor-tyrant", directory=vassals)
        body = wait_until(lambda: body_of(port), 60, message="tyrant vassal serves")
        master = server.master_of("mine")
        assert uid_of(master) == nobody.pw_uid
        assert uid_of(worker_pid(body)) == nobody.pw_uid
        server.wait_log("owned by root: refused in tyrant mode")
        assert server.master_of("rooted") is None and body_of(root_port) is None

        # a new owner: the vassal is stopped and started again as that user
        daemon = pwd.getpwnam("daemon")
        os.chown(vassals / "mine.ini", daemon.pw_uid, daemon.pw_gid)
        wait_until(lambda: (m := server.master_of("mine")) and m != master and uid_of(m) == daemon.pw_uid, 60,
                   message="vassal restarted as its new owner")
        wait_until(lambda: not alive(master), 30, message="the old master is gone")
        # owned by root now: stopped and refused
        os.chown(vassals / "mine.ini", 0, 0)
        wait_until(lambda: server.master_of("mine") is None, 60, message="root-owned vassal stopped")
        server.wait_log("owned by root: refused in tyrant mode", count=2)
    finally:
        shutil.rmtree(base)


def unix_get(path):
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(30)
        conn.connect(path)
        conn.sendall(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def test_on_demand_directory_starts_the_vassal_on_its_first_connection(emperor, tmp_path):
    sockets = tmp_path / "ondemand"
    sockets.mkdir()
    server, vassals = emperor("--emperor-on-demand-directory", str(sockets))
    write_app(vassals, "lazyapp", "lazy")
    (vassals / "lazy.ini").write_text("[uwsgi]\nprotocol = http\nchdir = %d\nmodule = lazyapp\nprocesses = 1\n")
    server.wait_log("vassal lazy waits on demand")
    path = str(sockets / "lazy.socket")
    assert stat.S_ISSOCK(os.stat(path).st_mode)
    time.sleep(1)
    assert server.master_of("lazy") is None          # nothing runs before the first connection

    response = unix_get(path)
    assert response.startswith("HTTP/1.") and " 200 " in response.split("\r\n")[0] and "lazy pid=" in response
    assert server.master_of("lazy") is not None
    assert "first connection" in server.log()


def tcp_vassal_waiting_on_demand(emperor):
    """An emperor with vassal `tcp` waiting on demand on a TCP port (from its `.socket` file)."""
    server, vassals = emperor("--emperor-on-demand-extension", ".socket")
    port = free_port()
    write_app(vassals, "tcpapp", "tcp")
    (vassals / "tcp.ini").write_text("[uwsgi]\nprotocol = http\nchdir = %d\nmodule = tcpapp\n")
    (vassals / "tcp.ini.socket").write_text(f"127.0.0.1:{port}\n")
    server.wait_log("vassal tcp waits on demand")
    return server, vassals, port


def test_on_demand_extension_tcp_address(emperor):
    server, _, port = tcp_vassal_waiting_on_demand(emperor)
    assert server.master_of("tcp") is None
    assert body_of(port).startswith("tcp ")
    assert server.master_of("tcp") is not None


def test_on_demand_vassal_changed_while_waiting_binds_its_tcp_address_again(emperor):
    # The old socket must be closed before the new bind, though a watched one is closed by its read
    # source's cancel handler: a bind in the same turn of the emperor's loop would find the port taken.
    server, vassals, port = tcp_vassal_waiting_on_demand(emperor)
    (vassals / "tcp.ini").write_text("[uwsgi]\nprotocol = http\nchdir = %d\nmodule = tcpapp\nenv = V=2\n")
    server.wait_log("vassal tcp waits on demand", count=2)
    assert "cannot bind" not in server.log()
    assert body_of(port).startswith("tcp ")
    assert server.master_of("tcp") is not None


def test_on_demand_socket_declared_again_is_an_error(emperor, tmp_path):
    sockets = tmp_path / "od"
    sockets.mkdir()
    server, vassals = emperor("--emperor-on-demand-directory", str(sockets))
    (vassals / "twice.ini").write_text(f"[uwsgi]\nsocket = {sockets}/twice.socket\nmodule = x\n")
    server.wait_log("declared again")
    assert "not started" in server.log()


def test_sd_notify_messages(emperor, tmp_path):
    path = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    listener.settimeout(60)
    try:
        vassals = tmp_path / "vassals"
        vassals.mkdir()
        write_app(vassals, "notifyapp", "notify")
        port = free_port()
        (vassals / "n.ini").write_text(vassal_ini(port, "notifyapp"))
        server, _ = emperor(env={"NOTIFY_SOCKET": path})
        messages = []

        def receive_until(token):
            while not any(token in m for m in messages):
                messages.append(listener.recv(4096).decode())
            return True

        receive_until("READY=1")
        ready = next(m for m in messages if "READY=1" in m)
        assert "STATUS=governing 1 vassals (1 ready)" in ready
        assert body_of(port) is not None                 # READY=1 came after the vassal was ready
        server.process.send_signal(signal.SIGHUP)
        receive_until("RELOADING=1")
        server.process.send_signal(signal.SIGTERM)
        receive_until("STOPPING=1")
        assert server.process.wait(timeout=60) == 0
    finally:
        listener.close()


def test_stats_pidfile_and_vassal_set(emperor, tmp_path):
    stats_port = free_port()
    pidfile = tmp_path / "emperor.pid"
    server, vassals = emperor("--emperor-stats", f"127.0.0.1:{stats_port}", "--emperor-pidfile", str(pidfile),
                              "--vassal-set", "processes=2", "--emperor-throttle", "5000")
    write_app(vassals, "statsapp", "stats")
    port = free_port()
    (vassals / "good.ini").write_text(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nchdir = %d\nmodule = statsapp\n")
    (vassals / "bad.ini").write_text("[uwsgi]\nhttp-socket = 127.0.0.1:1\nnot-an-option = 1\n")
    wait_until(lambda: body_of(port), 60, message="vassal serves")
    assert pidfile.read_text().strip() == str(server.pid)
    master = server.master_of("good")
    wait_until(lambda: len([p for p in server.everything() if p != master]) >= 2, 30, message="two workers (vassal-set)")

    document = wait_until(lambda: (d := stats(stats_port)) and any(v["state"] == "running" for v in d["vassals"]) and d,
                          30, message="stats with a running vassal")
    for key in ("version", "pid", "uid", "gid", "cwd", "emperor", "emperor_tyrant", "throttle_level", "vassals", "blacklist"):
        assert key in document
    assert document["pid"] == server.pid
    by_id = {v["id"]: v for v in document["vassals"]}
    good, bad = by_id["good.ini"], by_id["bad.ini"]
    for key in ("id", "pid", "born", "last_mod", "loyal", "ready", "accepting", "cursed", "on_demand", "uid", "gid",
                "monitor", "respawns", "state", "error", "name", "file", "spawns", "last_exit", "last_reload"):
        assert key in good
    assert good["pid"] == master and good["state"] == "running" and good["ready"] == 1 and good["error"] == ""
    assert good["name"] == "good" and good["file"] == str(vassals / "good.ini")
    assert bad["state"] == "invalid" and "not-an-option" in bad["error"] and bad["pid"] == 0

    server.process.send_signal(signal.SIGUSR1)
    server.wait_log("status: vassal good")
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=60) == 0
    assert not pidfile.exists()


def test_thirty_vassals_at_once(emperor, tmp_path):
    staging = tmp_path / "staging"
    staging.mkdir()
    server, vassals = emperor()
    write_app(vassals, "manyapp", "many")
    ports = [free_port() for _ in range(30)]
    for index, port in enumerate(ports):
        (staging / f"v{index:02}.ini").write_text(vassal_ini(port, "manyapp"))
    for entry in staging.iterdir():
        os.rename(entry, vassals / entry.name)          # all appear at once
    wait_until(lambda: all(body_of(p) for p in ports), 240, interval=0.5, message="30 vassals serve")
    assert len(server.masters()) == 30


def test_on_demand_exec_address(emperor, tmp_path):
    port = free_port()
    script = tmp_path / "address.sh"
    script.write_text(f'case "$1" in */viaexec.ini) echo 127.0.0.1:{port};; esac\n')
    server, vassals = emperor("--emperor-on-demand-exec", f"sh {script}")
    write_app(vassals, "execapp", "exec")
    (vassals / "viaexec.ini").write_text("[uwsgi]\nprotocol = http\nchdir = %d\nmodule = execapp\n")
    server.wait_log("vassal viaexec waits on demand on 127.0.0.1:%d" % port)
    assert server.master_of("viaexec") is None
    assert body_of(port).startswith("exec ")


def test_emperor_options_from_an_ini_file(liege_bin, tmp_path):
    vassals = tmp_path / "vassals"
    vassals.mkdir()
    write_app(vassals, "fromini", "fromini")
    port = free_port()
    (vassals / "app.ini").write_text(vassal_ini(port, "fromini"))
    (tmp_path / "emperor.ini").write_text(f"[uwsgi]\nemperor = %dvassals\nemperor-pidfile = %demperor.pid\n")
    server = Emperor(liege_bin, ["--ini", str(tmp_path / "emperor.ini")], tmp_path / "emperor.log")
    try:
        wait_until(lambda: body_of(port), 60, message="vassal of an ini-configured emperor serves")
        assert (tmp_path / "emperor.pid").read_text().strip() == str(server.pid)
        with open(f"/proc/{server.pid}/cmdline", "rb") as handle:
            assert handle.read().split(b"\0")[0].strip() == b"liege emperor"
    finally:
        server.stop()


def test_emperor_metrics_follow_the_vassals(emperor, tmp_path):
    from prometheus_client.parser import text_string_to_metric_families
    from support import http_request

    metrics_port, app_port = free_port(), free_port()
    server, vassals = emperor("--metrics", f"127.0.0.1:{metrics_port}")
    write_app(vassals, "metricsapp", b"metrics")
    (vassals / "good.ini").write_text(vassal_ini(app_port, "metricsapp"))
    (vassals / "bad.ini").write_text("[uwsgi]\nnot-an-option = 1\n")

    def families():
        status, headers, body, _ = http_request(metrics_port, path="/metrics")
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        return {family.name: family for family in text_string_to_metric_families(body.decode())}

    def by_state():
        family = families()["liege_emperor_vassals"]
        return {sample.labels["state"]: sample.value for sample in family.samples}

    counts = wait_until(lambda: (c := by_state()).get("running") == 1 and c.get("invalid") == 1 and c, 30,
                        message="one running and one invalid vassal in /metrics")
    assert counts["backoff"] == 0
    (vassals / "good.ini").unlink()
    wait_until(lambda: by_state().get("running") == 0, 30, message="the removed vassal leaves the running count")
    status, _, _, _ = http_request(metrics_port, path="/other")
    assert status == 404


def test_emperor_stats_follow_add_touch_backoff_and_removal(emperor, tmp_path):
    stats_port, app_port, broken_port = free_port(), free_port(), free_port()
    server, vassals = emperor("--emperor-stats", f"127.0.0.1:{stats_port}")

    def vassal(name):
        document = stats(stats_port) or {"vassals": []}
        return next((v for v in document["vassals"] if v["name"] == name), None)

    write_app(vassals, "statsapp", b"stats")
    (vassals / "shop.ini").write_text(vassal_ini(app_port, "statsapp"))
    shop = wait_until(lambda: (v := vassal("shop")) and v["state"] == "running" and v, 30, message="shop running")
    assert shop["pid"] == server.master_of("shop") and shop["spawns"] == 1

    time.sleep(1.1)  # a later second, so last_reload visibly moves
    (vassals / "shop.ini").touch()
    reloaded = wait_until(lambda: (v := vassal("shop")) and v["last_reload"] > shop["last_reload"]
                          and v["state"] == "running" and v, 30, message="touch recorded as a reload")
    assert reloaded["pid"] == shop["pid"]  # reloaded in place, not respawned

    (vassals / "crash.ini").write_text(vassal_ini(broken_port, "no_such_module_anywhere"))
    crashed = wait_until(lambda: (v := vassal("crash")) and v["state"] == "backoff" and v, 60,
                         message="a vassal whose app cannot load is in back-off")
    assert crashed["pid"] == 0 and crashed["last_exit"]

    (vassals / "shop.ini").unlink()
    wait_until(lambda: vassal("shop") is None, 60, message="the removed vassal leaves emperor-stats")
