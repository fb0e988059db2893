"""No request reads outside the mapped folders (SPEC §11 safety): a table of traversal attempts over
HTTP and the uwsgi protocol, symlinks out of the root, static-safe, and files the worker cannot read.
A secret file sits next to the root; its content must never appear in any answer."""
import os
import pathlib
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile

import pytest

from support import Liege, free_port, raw_request, status_of, uwsgi_request, wait_until

APP = '''
def application(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"app:" + environ["PATH_INFO"].encode("latin-1")]
'''

SECRET = secrets.token_hex(16).encode()

# (request-target, acceptable statuses). 404 is the app's answer for a literal name that does not exist.
ATTEMPTS = [
    ("/static/../secret.txt", {403}),
    ("/static/%2e%2e/secret.txt", {403}),
    ("/static/%2E%2E/secret.txt", {403}),
    ("/static/.%2e/secret.txt", {403}),
    ("/static/%2e./secret.txt", {403}),
    ("/static/..%2fsecret.txt", {403}),
    ("/static/..%2Fsecret.txt", {403}),
    ("/static/%2e%2e%2fsecret.txt", {403}),
    ("/static%2f..%2fsecret.txt", {403}),
    ("/static/sub/../../secret.txt", {403}),
    ("/static/./../secret.txt", {403}),
    ("/static//../secret.txt", {403}),
    ("/static/..", {403}),
    ("/static/%2e%2e", {403}),
    ("/static/../../../../../../../../etc/passwd", {403}),
    ("/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", {403}),
    ("/static/..\\secret.txt", {400, 403}),
    ("/static/..%5csecret.txt", {403}),
    ("/static/%5c..%5csecret.txt", {403}),
    ("/static/sub%5c..%5c..%5csecret.txt", {403}),
    ("/static/%252e%252e/secret.txt", {404}),  # decoded once: the literal name "%2e%2e"
    ("/static/%252e%252e%252fsecret.txt", {404}),
    ("/static/..%252fsecret.txt", {404}),
    ("/static/%25252e%25252e/secret.txt", {404}),
    ("/static/%c0%ae%c0%ae/secret.txt", {404}),  # overlong UTF-8 is just bytes
    ("/static/..;/secret.txt", {404}),
    ("/static/....//secret.txt", {404}),
    ("/static/...", {404}),
    ("/static/secret.txt%00.css", {400}),
    ("/static/%00/../secret.txt", {400}),
    ("/static/..%00/secret.txt", {400}),
    ("/static/escape.txt", {403}),  # symlink to the secret
    ("/static/up/secret.txt", {403}),  # symlink to the parent directory
    ("/static/twin/secret.txt", {403}),  # symlink into static2: a string prefix of the root, not inside it
    ("/static/up/static2/secret.txt", {403}),  # out through one link, into the string-prefix twin
    ("/static/loop", {403}),  # symlink loop
    ("/static//etc/passwd", {404}),  # an absolute path inside the path stays under the root
    ("/static/%2fetc%2fpasswd", {404}),
    ("http://127.0.0.1/static/../secret.txt", {403}),  # absolute-form target
    ("/static/sub/", {404}),  # a directory: never a listing
    ("/static/up/", {403}),  # its static-index file lies outside the root
]


@pytest.fixture
def tree(tmp_path):
    base = tmp_path / "tree"
    root = base / "static"
    (root / "sub").mkdir(parents=True)
    (root / "ok.txt").write_bytes(b"public")
    (root / "sub" / "inner.txt").write_bytes(b"inner")
    (base / "secret.txt").write_bytes(SECRET)
    (base / "static2").mkdir()
    (base / "static2" / "secret.txt").write_bytes(SECRET)
    (root / "escape.txt").symlink_to(base / "secret.txt")
    (root / "up").symlink_to(base)
    (root / "twin").symlink_to(base / "static2")
    (root / "loop").symlink_to(root / "loop")
    (root / "inside.txt").symlink_to(root / "sub" / "inner.txt")
    return base


@pytest.fixture
def guarded(start_liege, tmp_path, tree):
    app = tmp_path / "app.py"
    app.write_text(APP)
    http_port, uwsgi_port = free_port(), free_port()
    server = start_liege(f"""
[uwsgi]
socket = 127.0.0.1:{uwsgi_port}
http-socket = 127.0.0.1:{http_port}
wsgi-file = {app}
static-map = /static={tree}/static
static-index = secret.txt
""", name="guarded")
    server.port, server.uwsgi_port = http_port, uwsgi_port
    return server


def test_there_are_enough_attempts():
    assert len(ATTEMPTS) >= 30


@pytest.mark.parametrize("target,allowed", ATTEMPTS, ids=[a for a, _ in ATTEMPTS])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_traversal_attempt_over_http(guarded, target, allowed, method):
    raw = raw_request(guarded.port, f"{method} {target} HTTP/1.1\r\nHost: x\r\nRange: bytes=0-\r\nConnection: close\r\n\r\n"
                      .encode("latin-1"))
    assert SECRET not in raw
    assert b"root:" not in raw
    assert status_of(raw) in allowed, raw[:300]


@pytest.mark.parametrize("path_info,allowed", [
    (b"/static/../secret.txt", {403}), (b"/static/up/secret.txt", {403}), (b"/static/escape.txt", {403}),
    (b"/static/a\x00/../../secret.txt", {400}), (b"/static/..\\secret.txt", {403}), (b"/static/%2e%2e/secret.txt", {404}),
    (b"/static/twin/secret.txt", {403}),
])
def test_traversal_attempt_over_uwsgi(guarded, path_info, allowed):
    raw = uwsgi_request(guarded.uwsgi_port, {"REQUEST_METHOD": "GET", "PATH_INFO": path_info, "REQUEST_URI": "/x",
                                             "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "x"})
    assert SECRET not in raw
    assert status_of(raw) in allowed, raw[:300]


def test_files_inside_are_served_over_both_protocols(guarded):
    assert raw_request(guarded.port, b"GET /static/ok.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").endswith(b"\r\n\r\npublic")
    assert raw_request(guarded.port, b"GET /static/inside.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").endswith(b"inner")
    raw = uwsgi_request(guarded.uwsgi_port, {"REQUEST_METHOD": "GET", "PATH_INFO": "/static/sub/inner.txt"})
    assert status_of(raw) == 200 and raw.endswith(b"\r\n\r\ninner")


def test_escapes_are_logged_with_security(guarded):
    raw_request(guarded.port, b"GET /static/escape.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw_request(guarded.port, b"GET /static/%2e%2e/secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    guarded.wait_log("security:")
    log = guarded.log()
    assert "escape.txt" in log and "outside" in log
    assert SECRET.decode() not in log


def test_static_safe_allows_a_symlink_target(start_liege, tmp_path, tree):
    app = tmp_path / "app.py"
    app.write_text(APP)
    port = free_port()
    start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {app}
static-map = /static={tree}/static
static-safe = {tree}/static2
""", name="safe")
    allowed = raw_request(port, b"GET /static/twin/secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(allowed) == 200 and allowed.endswith(SECRET)
    refused = raw_request(port, b"GET /static/escape.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(refused) == 403 and SECRET not in refused


def test_unreadable_file_is_403_and_logged(liege_bin):
    """Runs liege as nobody (as root: root reads any file) in a world-readable scratch tree."""
    base = tempfile.mkdtemp(prefix="liege-static-")
    try:
        os.chmod(base, 0o755)
        root = os.path.join(base, "static")
        os.mkdir(root)
        os.chmod(root, 0o755)
        with open(os.path.join(root, "locked.txt"), "wb") as handle:
            handle.write(SECRET)
        os.chmod(os.path.join(root, "locked.txt"), 0o000)
        with open(os.path.join(root, "open.txt"), "wb") as handle:
            handle.write(b"readable")
        os.chmod(os.path.join(root, "open.txt"), 0o644)
        app = os.path.join(base, "app.py")
        with open(app, "w") as handle:
            handle.write(APP)
        port = free_port()
        ini = os.path.join(base, "locked.ini")
        with open(ini, "w") as handle:
            handle.write(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {app}\nstatic-map = /static={root}\n")
        for path in (app, ini):
            os.chmod(path, 0o644)
        prefix = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            prefix = [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={nobody.pw_uid}",
                      f"--regid={nobody.pw_gid}", "--clear-groups"]

        server = Liege(prefix[0] if prefix else liege_bin, prefix[1:] + ([liege_bin] if prefix else []) + ["--ini", ini],
                       pathlib.Path(base) / "log.txt")
        try:
            server.wait_ready()
            ok = raw_request(port, b"GET /static/open.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert status_of(ok) == 200 and ok.endswith(b"readable")
            raw = raw_request(port, b"GET /static/locked.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert status_of(raw) == 403 and SECRET not in raw
            wait_until(lambda: "not readable" in server.log() and "locked.txt" in server.log(), 10, message="log line")
        finally:
            server.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)
