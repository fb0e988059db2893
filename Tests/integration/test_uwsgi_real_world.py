"""The most common real-world uWSGI config shape (issue 16: master, processes, module, chdir, socket,
vacuum, uid/gid, threads, enable-threads, chmod-socket, die-on-term, env, static-map, harakiri,
wsgi-file, http, buffer-size, virtualenv, max-requests, pidfile, plugins, logto, touch-reload,
lazy-apps, stats, post-buffering, logger, mount), taken from docs/migrating.md as printed there and run
unchanged under an emperor, as root dropping to nobody."""
import grp
import hashlib
import os
import pathlib
import pwd
import shutil
import socket
import stat
import struct
import subprocess
import tempfile

import pytest

from docs_support import doc_block, substituted
from emperor_support import Emperor, stats
from support import alive, children_of, free_port, http_request, wait_until

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="uid/gid need root")

SHOP_WSGI = '''import hashlib
import os


def application(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        import time
        time.sleep(30)
    body = environ["wsgi.input"].read()
    facts = {
        "app": "shop",
        "pid": os.getpid(),
        "uid": os.getuid(),
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE"),
        "script": environ["SCRIPT_NAME"],
        "path": environ["PATH_INFO"],
        "length": len(body),
        "sha": hashlib.sha256(body).hexdigest(),
        "header": len(environ.get("HTTP_X_BIG", "")),
        "prefix": __import__("sys").prefix,
    }
    out = repr(facts).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(out)))])
    return [out]
'''

STATUS_APP = '''def application(environ, start_response):
    out = ("status script=%s path=%s" % (environ["SCRIPT_NAME"], environ["PATH_INFO"])).encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [out]
'''


def facts(raw):
    import ast
    return ast.literal_eval(raw.decode())


def uwsgi_over_unix(path, uri):
    pairs = {"REQUEST_METHOD": "GET", "REQUEST_URI": uri, "PATH_INFO": uri, "QUERY_STRING": "",
             "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost", "SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    packet = b"".join(struct.pack("<H", len(k)) + k.encode() + struct.pack("<H", len(v)) + v.encode()
                      for k, v in pairs.items())
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(10)
        conn.connect(str(path))
        conn.sendall(struct.pack("<BHB", 0, len(packet), 0) + packet)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def shop_site():
    """/srv/shop of the guide: a world-readable directory (the workers run as nobody) with the app,
    a mounted status app, static files, a virtualenv made by the system Python, run/ and log/."""
    base = pathlib.Path(tempfile.mkdtemp(prefix="liege-shop-"))
    try:
        base.chmod(0o755)
        (base / "shop").mkdir()
        (base / "shop" / "__init__.py").write_text("")
        (base / "shop" / "wsgi.py").write_text(SHOP_WSGI)
        (base / "status.py").write_text(STATUS_APP)
        (base / "static").mkdir()
        (base / "static" / "site.css").write_text("body { color: teal }\n")
        nobody = pwd.getpwnam("nobody")
        for sub in ("run", "log"):
            (base / sub).mkdir()
            os.chown(base / sub, nobody.pw_uid, nobody.pw_gid)
        subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(base / "venv")], check=True)
        for path in base.rglob("*"):
            if path.is_file() and not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o044)
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def shop_ini(base, http_port, stats_port, main_app="module = shop.wsgi:application"):
    group = grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
    text = substituted(doc_block("migrating.md", "shop.ini"),
                       ("http = :8000", f"http = 127.0.0.1:{http_port}"),
                       ("stats = 127.0.0.1:9191", f"stats = 127.0.0.1:{stats_port}"),
                       ("uid = www-data", "uid = nobody"),
                       ("gid = www-data", f"gid = {group}"),
                       ("harakiri = 30", "harakiri = 2"),
                       ("module = shop.wsgi:application", main_app))
    return text.replace("/srv/shop", str(base))


def start_emperor(liege_bin, tmp_path, base, ini_text, name="shop"):
    """The vassals directory lives in `base` too: a reload re-reads the config as nobody."""
    vassals = base / "vassals"
    vassals.mkdir(mode=0o755)
    (vassals / f"{name}.ini").write_text(ini_text)
    return Emperor(liege_bin, ["--emperor", str(vassals)], tmp_path / "emperor.log"), vassals


def workers_of(master):
    return sorted(p for p in children_of(master) if alive(p))


def test_the_common_uwsgi_shape_serves_under_the_emperor_as_uwsgi_does(liege_bin, tmp_path, shop_site):
    base = shop_site
    http_port, stats_port = free_port(), free_port()
    emperor, vassals = start_emperor(liege_bin, tmp_path, base, shop_ini(base, http_port, stats_port))
    try:
        status, _, body, _ = wait_until(lambda: _get(http_port, "/"), 60, message="the vassal serves")
        shop = facts(body)
        nobody = pwd.getpwnam("nobody")
        assert shop["settings"] == "shop.settings"                      # env
        assert shop["uid"] == nobody.pw_uid                             # uid/gid: workers run as nobody
        assert shop["script"] == "" and shop["path"] == "/"
        assert shop["prefix"] == str(base / "venv")                     # virtualenv
        master = emperor.master_of("shop")
        assert master
        assert (base / "run" / "uwsgi.pid").read_text().strip() == str(master)   # pidfile

        # mount + manage-script-name: the status app under /status
        status, _, body, _ = http_request(http_port, path="/status/db")
        assert (status, body) == (200, b"status script=/status path=/db")

        # static-map, served without the app
        status, _, body, _ = http_request(http_port, path="/static/site.css")
        assert (status, body) == (200, b"body { color: teal }\n")

        # post-buffering: a 300 KB body (past 8 KiB, so through a temporary file) arrives whole
        payload = os.urandom(300_000)
        status, _, body, _ = http_request(http_port, method="POST", path="/upload", body=payload,
                                          headers={"Content-Type": "application/octet-stream"})
        assert status == 200
        assert facts(body)["length"] == len(payload)
        assert facts(body)["sha"] == hashlib.sha256(payload).hexdigest()

        # buffer-size = 32768: a 20 KB header is read (uWSGI's default 4096 would refuse it)
        status, _, body, _ = http_request(http_port, path="/", headers={"X-Big": "b" * 20_000})
        assert status == 200 and facts(body)["header"] == 20_000

        # socket (uwsgi protocol for nginx) with chmod-socket = 660
        sock = base / "run" / "uwsgi.sock"
        assert stat.S_IMODE(sock.stat().st_mode) == 0o660
        raw = uwsgi_over_unix(sock, "/status/x")
        assert raw.startswith(b"HTTP/1.1 200") and raw.endswith(b"status script=/status path=/x")

        # stats: two workers (processes = 2), each with two threads
        report = stats(stats_port)
        assert len(report["workers"]) == 2

        # harakiri: the slow request gets 504 and its worker is replaced; the site keeps serving
        before = workers_of(master)
        status, _, _, _ = http_request(http_port, path="/slow", timeout=30)
        assert status == 504
        wait_until(lambda: len(workers_of(master)) == 2 and workers_of(master) != before, 30,
                   message="the harakiri'd worker is replaced")
        assert _get(http_port, "/")[0] == 200

        # touch-reload: new workers, same master, the sockets stay open
        before = workers_of(master)
        (base / "reload").touch()
        wait_until(lambda: len(workers_of(master)) == 2 and not set(workers_of(master)) & set(before), 60,
                   message="touch-reload replaced every worker")
        assert emperor.master_of("shop") == master
        assert _get(http_port, "/")[0] == 200

        # logto and logger = file: both get the log, requests included
        for name in ("uwsgi.log", "all.log"):
            text = (base / "log" / name).read_text()
            assert "GET /static/site.css" in text and "POST /upload" in text, name
            assert "HARAKIRI" in text, name

        # removing the vassal stops it; vacuum removes the socket file and the pidfile
        (vassals / "shop.ini").unlink()
        wait_until(lambda: not alive(master), 30, message="the vassal stopped")
        assert not sock.exists() and not (base / "run" / "uwsgi.pid").exists()
    except AssertionError as failure:
        log = base / "log" / "uwsgi.log"
        raise AssertionError(f"{failure}\n--- {log}:\n{log.read_text() if log.exists() else '(none)'}") from failure
    finally:
        emperor.stop()


def test_the_common_shape_with_wsgi_file_instead_of_module(liege_bin, tmp_path, shop_site):
    base = shop_site
    http_port, stats_port = free_port(), free_port()
    ini = shop_ini(base, http_port, stats_port, main_app="wsgi-file = shop/wsgi.py")
    (tmp_path / "check.ini").write_text(ini)
    check = subprocess.run([liege_bin, "--check-config", "--ini", str(tmp_path / "check.ini")], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    emperor, _ = start_emperor(liege_bin, tmp_path, base, ini)
    try:
        status, _, body, _ = wait_until(lambda: _get(http_port, "/shop/item"), 60, message="the vassal serves")
        assert facts(body)["app"] == "shop" and facts(body)["path"] == "/shop/item"
        status, _, body, _ = http_request(http_port, path="/status/")
        assert (status, body) == (200, b"status script=/status path=/")
    finally:
        emperor.stop()


def _get(port, path):
    try:
        result = http_request(port, path=path, timeout=10)
    except OSError:
        return None
    return result if result[0] == 200 else None


def test_a_reload_that_cannot_reread_the_config_as_the_dropped_user_says_why(liege_bin, tmp_path, shop_site):
    """pytest's tmp_path is 0700: the master, now nobody, cannot re-read its config there. The reload is
    refused with the reason, and the running workers keep serving."""
    base = shop_site
    http_port, stats_port = free_port(), free_port()
    vassals = tmp_path / "private-vassals"
    vassals.mkdir()
    (vassals / "shop.ini").write_text(shop_ini(base, http_port, stats_port))
    emperor = Emperor(liege_bin, ["--emperor", str(vassals)], tmp_path / "emperor.log")
    try:
        wait_until(lambda: _get(http_port, "/"), 60, message="the vassal serves")
        (base / "reload").touch()
        log = base / "log" / "uwsgi.log"
        uid = pwd.getpwnam("nobody").pw_uid
        wait_until(lambda: f"permission denied for uid {uid}" in log.read_text(), 30, message="the reason in the log")
        assert "reload aborted" in log.read_text()
        assert _get(http_port, "/")[0] == 200
    finally:
        emperor.stop()
