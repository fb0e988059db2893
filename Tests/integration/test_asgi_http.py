"""ASGI apps over HTTP (issue 14) through the real binary, with the plain ASGI fixture app asgi_raw.py:
the scope, request bodies in chunks, streamed responses, keep-alive and pipelining, HEAD, 100-continue,
disconnects, app failures, the lifespan protocol, config errors, and nginx's uwsgi protocol in front."""
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import time

import pytest

from asgi_support import asgi_ini, json_of, serve_asgi
from nginx_support import Nginx, uwsgi_pass
from support import RawConnection, free_port, http_request, wait_until


@pytest.fixture
def raw_app(start_liege):
    return serve_asgi(start_liege)


def scope_over(conn, path="/scope", headers=()):
    conn.request("GET", path, headers=headers)
    response = conn.read_response()
    assert response.status == 200, response
    return json.loads(response.body)


def test_scope_of_a_get(raw_app):
    with RawConnection(raw_app.port) as conn:
        scope = scope_over(conn, "/scope?a=1&b=%20x", headers=["X-Custom-Thing: Mixed Case", "X-Dup: one",
                                                                "X-Dup: two"])
        client_port = conn.sock.getsockname()[1]
    assert scope["type"] == "http"
    assert scope["asgi"]["version"] == "3.0"
    assert scope["http_version"] == "1.1"
    assert (scope["method"], scope["scheme"]) == ("GET", "http")
    assert (scope["path"], scope["raw_path"], scope["query_string"]) == ("/scope", "/scope", "a=1&b=%20x")
    assert scope["root_path"] == ""
    assert ["x-custom-thing", "Mixed Case"] in scope["headers"]
    assert [h for h in scope["headers"] if h[0] == "x-dup"] == [["x-dup", "one"], ["x-dup", "two"]]
    assert ["host", "127.0.0.1"] in scope["headers"]
    assert all(name == name.lower() for name, _ in scope["headers"])
    assert scope["client"] == ["127.0.0.1", client_port]
    assert scope["server"] == ["127.0.0.1", raw_app.port]


def test_percent_escapes_are_decoded_in_path_and_kept_in_raw_path(raw_app):
    with RawConnection(raw_app.port) as conn:
        scope = scope_over(conn, "/scope/caf%C3%A9%20au%20lait/%7Euser?q=%C3%A9")
    assert scope["path"] == "/scope/caf\u00e9 au lait/~user"
    assert scope["raw_path"] == "/scope/caf%C3%A9%20au%20lait/%7Euser"
    assert scope["query_string"] == "q=%C3%A9"


def test_http_1_0_and_other_methods(raw_app):
    with RawConnection(raw_app.port) as conn:
        conn.send(b"PUT /scope HTTP/1.0\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        scope = json.loads(conn.read_response().body)
    assert (scope["http_version"], scope["method"]) == ("1.0", "PUT")
    status, _, body, _ = http_request(raw_app.port, method="PATCH", path="/scope", body=b"{}")
    assert (status, json.loads(body)["method"]) == (200, "PATCH")


def test_root_path_prefixes_path_and_raw_path(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app", "root-path = /api")
    scope = json_of(server.port, "/scope/x?y=1")
    assert scope["root_path"] == "/api"
    # As uvicorn does now: the path the app sees includes its mount point.
    assert (scope["path"], scope["raw_path"], scope["query_string"]) == ("/api/scope/x", "/api/scope/x", "y=1")


def test_lifespan_state_is_in_every_scope(raw_app):
    assert json_of(raw_app.port, "/scope")["state"] == {"greeting": "hello from lifespan"}
    assert json_of(raw_app.port, "/scope")["state"] == {"greeting": "hello from lifespan"}


def test_five_megabyte_upload_arrives_intact_in_several_chunks(raw_app):
    data = os.urandom(5 * 1024 * 1024)
    status, _, body, _ = http_request(raw_app.port, method="POST", path="/echo", body=data)
    answer = json.loads(body)
    assert status == 200
    assert (answer["total"], answer["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert answer["chunks"] >= 2, "a 5 MB body should reach the app in more than one http.request"


def test_chunked_upload_arrives_intact(raw_app):
    parts = [os.urandom(70000), os.urandom(3), os.urandom(200000)]
    with RawConnection(raw_app.port) as conn:
        conn.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        for part in parts:
            conn.send(b"%x\r\n" % len(part) + part + b"\r\n")
        conn.send(b"0\r\n\r\n")
        answer = json.loads(conn.read_response().body)
    data = b"".join(parts)
    assert (answer["total"], answer["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())


def test_streamed_block_reaches_the_client_before_the_next_is_produced(raw_app, tmp_path):
    gate = tmp_path / "gate"
    with RawConnection(raw_app.port) as conn:
        conn.request("GET", f"/gated?{gate}")
        head = conn.read_until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ")
        assert b"transfer-encoding: chunked" in head.lower()
        # The app produces the rest only once the gate exists: this block was sent while it waits.
        first = conn.read_until(b"before the gate\n")
        assert not gate.exists()
        assert b"after the gate" not in first + conn.buffer
        gate.write_text("open")
        rest = conn.read_until(b"0\r\n\r\n")
        assert b"after the gate\n" in rest


def test_other_clients_are_served_while_a_request_waits(raw_app, tmp_path):
    """One worker, one asyncio loop: a request that waits does not hold up the others."""
    gate = tmp_path / "gate"
    with RawConnection(raw_app.port) as waiting:
        waiting.request("GET", f"/gated?{gate}")
        waiting.read_until(b"before the gate\n")
        for _ in range(3):
            assert json_of(raw_app.port, "/scope")["method"] == "GET"
        assert not gate.exists()
        gate.write_text("open")
        assert b"after the gate\n" in waiting.read_until(b"0\r\n\r\n")


def test_keepalive_serves_several_requests_on_one_connection(raw_app):
    with RawConnection(raw_app.port) as conn:
        client = conn.sock.getsockname()[1]
        for number in range(5):
            conn.request("GET", f"/scope?n={number}")
            response = conn.read_response()
            scope = json.loads(response.body)
            assert scope["query_string"] == f"n={number}"
            assert scope["client"][1] == client
            assert not response.closes(), response.headers
        conn.request("GET", "/")
        assert conn.read_response().body == b"Hello, ASGI!\n"


def test_pipelined_requests_are_answered_in_order(raw_app):
    body = os.urandom(30000)
    with RawConnection(raw_app.port) as conn:
        conn.send(b"GET /scope?n=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body +
                  b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"GET /scope?n=4 HTTP/1.1\r\nHost: x\r\n\r\n")
        assert json.loads(conn.read_response().body)["query_string"] == "n=1"
        assert json.loads(conn.read_response().body)["sha256"] == hashlib.sha256(body).hexdigest()
        assert conn.read_response().body == b"part 0\npart 1\npart 2\n"
        assert json.loads(conn.read_response().body)["query_string"] == "n=4"


def test_head_gets_the_headers_without_a_body(raw_app):
    with RawConnection(raw_app.port) as conn:
        conn.request("HEAD", "/")
        response = conn.read_response(head_only=True)
        assert response.status == 200
        assert response.headers["x-app"] == "asgi-raw"
        assert response.headers.get("content-length") in (None, "13")
        assert not conn.has_data(0.5), f"bytes after the head of a HEAD response: {conn.buffer!r}"
        conn.request("GET", "/")
        assert conn.read_response().body == b"Hello, ASGI!\n"


def test_expect_100_continue(raw_app):
    body = b"x" * 1000
    with RawConnection(raw_app.port) as conn:
        conn.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
        assert conn.read_until(b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
        conn.send(body)
        response = conn.read_response()
        assert response.status == 200
        assert json.loads(response.body)["total"] == len(body)
        conn.request("GET", "/")
        assert conn.read_response().body == b"Hello, ASGI!\n"


def test_no_100_continue_for_an_app_that_does_not_read_the_body(raw_app):
    with RawConnection(raw_app.port) as conn:
        conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        response = conn.read_response()
        assert (response.status, response.body) == (200, b"Hello, ASGI!\n")


def test_client_disconnect_reaches_the_app(start_liege, tmp_path):
    marker = tmp_path / "disconnected"
    server = serve_asgi(start_liege, "asgi_raw:app", f"env = ASGI_DISCONNECT_FILE={marker}")
    conn = RawConnection(server.port)
    conn.request("GET", "/wait-disconnect")
    conn.read_until(b"waiting\n")
    assert not marker.exists()
    conn.close()
    wait_until(marker.exists, 20, message="the app's http.disconnect marker")
    assert marker.read_text() == "disconnected\n"
    assert json_of(server.port, "/scope")["method"] == "GET"


def test_app_exception_is_a_500_logged_with_its_traceback_and_the_worker_serves_on(raw_app):
    pid = json_of(raw_app.port, "/scope")["pid"]
    status, _, _, _ = http_request(raw_app.port, path="/raise")
    assert status == 500
    raw_app.wait_log("RuntimeError: boom from the ASGI app")
    log = raw_app.log()
    assert "Traceback (most recent call last)" in log
    assert "asgi_raw.py" in log
    assert json_of(raw_app.port, "/scope")["pid"] == pid
    with RawConnection(raw_app.port) as conn:
        conn.request("GET", "/raise")
        response = conn.read_response()
        assert response.status == 500
        if response.closes():
            assert conn.closed_by_server(10), "the 500 said Connection: close"
        else:   # a 500 that keeps the connection leaves it usable
            conn.request("GET", "/")
            assert conn.read_response().body == b"Hello, ASGI!\n"


def test_app_that_sends_no_response_is_a_500(raw_app):
    status, _, _, _ = http_request(raw_app.port, path="/no-response")
    assert status == 500
    raw_app.wait_log("ASGI app returned without a response (GET /no-response)")
    assert http_request(raw_app.port, path="/")[2] == b"Hello, ASGI!\n"


def test_lifespan_startup_failure_stops_the_worker_with_the_apps_message(start_liege):
    server = start_liege(asgi_ini(free_port(), "asgi_raw:app", "env = ASGI_STARTUP_FAIL=the database is not there"),
                         wait=False)
    assert server.exit_code(30) == 1
    log = server.log()
    assert "ASGI lifespan startup failed: the database is not there" in log
    assert "worker 1 ready" not in log


def test_lifespan_off_never_runs_the_startup(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app", "asgi-lifespan = off",
                        "env = ASGI_STARTUP_FAIL=must not be seen")
    assert json_of(server.port, "/scope")["state"] == {}
    assert "must not be seen" not in server.log()


def test_lifespan_shutdown_runs_on_a_graceful_stop(start_liege, tmp_path):
    marker = tmp_path / "shutdown"
    server = serve_asgi(start_liege, "asgi_raw:app", f"env = ASGI_SHUTDOWN_FILE={marker}")
    pid = json_of(server.port, "/scope")["pid"]
    assert not marker.exists()
    server.signal(signal.SIGTERM)
    assert server.exit_code(30) == 0
    assert marker.read_text() == f"shutdown {pid}\n"


def test_graceful_stop_lets_a_running_request_finish(start_liege, tmp_path):
    server = serve_asgi(start_liege, "asgi_raw:app")
    gate = tmp_path / "gate"
    with RawConnection(server.port) as conn:
        conn.request("GET", f"/gated?{gate}")
        conn.read_until(b"before the gate\n")   # the request is in the app now
        server.signal(signal.SIGTERM)
        server.wait_log("SIGTERM: graceful shutdown")
        assert server.process.poll() is None
        gate.write_text("open")
        assert b"after the gate\n" in conn.read_until(b"0\r\n\r\n")
    assert server.exit_code(30) == 0


def test_asyncio_loop_when_asked(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app", "asgi-loop = asyncio")
    assert json_of(server.port, "/scope")["state"] == {"greeting": "hello from lifespan"}


@pytest.mark.parametrize("wsgi", ["module = hello", "wsgi-file = hello.py"])
def test_a_config_naming_an_asgi_and_a_wsgi_app_is_a_located_error(liege_bin, tmp_path, wsgi):
    (tmp_path / "both.ini").write_text(f"[uwsgi]\nhttp-socket = :8080\nchdir = /tmp\n{wsgi}\nasgi = app:app\n")
    result = subprocess.run([liege_bin, "--check-config", "both.ini"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("both.ini:5: "), lines[0]
    assert "asgi" in lines[0] and wsgi.split(" ")[0] in lines[0]


def test_an_asgi_app_behind_nginx_uwsgi_pass(start_liege, tmp_path):
    sock = tmp_path / "asgi.sock"
    start_liege(asgi_ini(None, "asgi_raw:app", f"socket = {sock}", "chmod-socket = 666"))
    nginx = Nginx(tmp_path / "nginx", uwsgi_pass(sock))
    try:
        status, _, body, _ = http_request(nginx.port, path="/scope/caf%C3%A9?x=1", headers={"X-Thing": "t"})
        scope = json.loads(body)
        assert status == 200
        assert (scope["method"], scope["path"], scope["query_string"]) == ("GET", "/scope/caf\u00e9", "x=1")
        assert scope["raw_path"] == "/scope/caf%C3%A9"
        assert ["x-thing", "t"] in scope["headers"]
        assert scope["client"][0] == "127.0.0.1"
        assert scope["server"][1] == nginx.port
        assert scope["state"] == {"greeting": "hello from lifespan"}
        data = os.urandom(5 * 1024 * 1024)
        status, _, body, _ = http_request(nginx.port, method="POST", path="/echo", body=data,
                                          headers={"Content-Type": "application/octet-stream"})
        answer = json.loads(body)
        assert (status, answer["total"], answer["sha256"]) == (200, len(data), hashlib.sha256(data).hexdigest())
        status, _, body, _ = http_request(nginx.port, path="/stream")
        assert (status, body) == (200, b"part 0\npart 1\npart 2\n")
        assert http_request(nginx.port, path="/raise")[0] == 500
        assert http_request(nginx.port, path="/")[2] == b"Hello, ASGI!\n"
    finally:
        nginx.stop()


def test_a_client_that_does_not_read_pauses_the_apps_send(raw_app):
    """Backpressure towards the app: its send() waits while the client is not reading."""
    blocks = 3200   # 200 MiB, far beyond any socket and server buffer
    with RawConnection(raw_app.port) as conn:
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        conn.request("GET", f"/flood?{blocks}")
        wait_until(lambda: json_of(raw_app.port, "/progress")["flood_sent"] > 0, 20, message="the flood under way")
        # Progress stops: sample until two readings a while apart agree.
        last = None
        for _ in range(40):
            time.sleep(0.25)
            now = json_of(raw_app.port, "/progress")["flood_sent"]
            if now == last:
                break
            last = now
        assert last is not None and last < 64 * 1024 * 1024, f"the app sent {last} bytes to a client that reads nothing"
        head = conn.read_until(b"\r\n\r\n")
        assert int(re.search(rb"(?i)content-length: (\d+)", head).group(1)) == blocks * 65536
        received = len(conn.buffer)
        conn.buffer = b""
        while received < blocks * 65536:
            received += len(conn.sock.recv(1 << 20))
    assert json_of(raw_app.port, "/progress")["flood_sent"] == blocks * 65536


def test_an_app_that_does_not_read_stops_the_server_reading(raw_app, tmp_path):
    """Backpressure towards the client: while the app reads nothing, the server stops taking the body."""
    gate = tmp_path / "gate"
    size = 200 * 1024 * 1024
    data = os.urandom(1024 * 1024) * 200
    with RawConnection(raw_app.port) as conn:
        conn.send(b"POST /gated-read?%s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (str(gate).encode(), size))
        conn.sock.settimeout(2)
        sent = 0
        try:
            while sent < size:
                sent += conn.sock.send(data[sent:sent + 1024 * 1024])
        except socket.timeout:
            pass
        assert sent < 100 * 1024 * 1024, f"the server took {sent} bytes of the body while the app read none"
        assert json_of(raw_app.port, "/progress")["read"] < 100 * 1024 * 1024
        gate.write_text("open")
        conn.sock.settimeout(30)
        conn.send(data[sent:])
        answer = json.loads(conn.read_response().body)
    assert answer == {"total": size, "sha256": hashlib.sha256(data).hexdigest()}


def test_http_1_0_streamed_response_is_delimited_by_close(raw_app):
    with RawConnection(raw_app.port) as conn:
        conn.send(b"GET /stream HTTP/1.0\r\nHost: x\r\n\r\n")
        response = conn.read_response()
    assert response.status == 200
    assert "transfer-encoding" not in response.headers
    assert response.body == b"part 0\npart 1\npart 2\n"


def test_exception_in_the_middle_of_a_stream_cuts_the_response_short(raw_app):
    with RawConnection(raw_app.port) as conn:
        conn.request("GET", "/raise-mid-stream")
        head = conn.read_until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ") and b"transfer-encoding: chunked" in head.lower()
        rest = conn.read_to_eof()
    assert b"the start\n" in rest
    assert not rest.endswith(b"0\r\n\r\n"), "a cut-short chunked body must not end with the last chunk"
    raw_app.wait_log("RuntimeError: boom in the middle of a stream")
    assert http_request(raw_app.port, path="/")[2] == b"Hello, ASGI!\n"


def test_a_response_header_with_a_line_break_is_refused(raw_app):
    with RawConnection(raw_app.port) as conn:
        conn.request("GET", "/bad-header")
        response = conn.read_response()
    assert response.status == 500
    assert "set-cookie" not in response.headers
    assert b"must not be sent" not in response.body
    assert http_request(raw_app.port, path="/")[2] == b"Hello, ASGI!\n"


def test_access_log_line_for_an_asgi_request(raw_app):
    http_request(raw_app.port, path="/scope?a=1")
    http_request(raw_app.port, path="/raise")
    raw_app.wait_log('"GET /raise HTTP/1.1" 500')
    assert re.search(r'"GET /scope\?a=1 HTTP/1\.1" 200 \d+ ', raw_app.log())
