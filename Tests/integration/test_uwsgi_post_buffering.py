"""`post-buffering` through the real binary (issue 16, item 2): the worker's event loop reads the whole
body before the app runs, in memory up to the limit and in a temporary file in $TMPDIR beyond it."""
import hashlib
import json
import os
import time

import pytest

from support import RawConnection, free_port, http_request, uwsgi_request, wait_until

# Reports, when called: whether one of its descriptors is a (deleted) file in $TMPDIR — the body file —
# then the body's length and digest. Each call is counted in $CALLS first.
BODY_APP = '''import hashlib, json, os

def body_files():
    tmp = os.path.realpath(os.environ["TMPDIR"])
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink("/proc/self/fd/" + fd)
        except OSError:
            continue
        if target.startswith(tmp + "/"):
            found.append(target)
    return found

def application(environ, start_response):
    with open(os.environ["CALLS"], "a") as calls:
        calls.write(environ["PATH_INFO"] + "\\n")
    on_disk = bool(body_files())
    data = environ["wsgi.input"].read()
    body = json.dumps({"length": len(data), "sha256": hashlib.sha256(data).hexdigest(), "on_disk": on_disk}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
'''


@pytest.fixture
def buffered(start_liege, tmp_path):
    """A vassal with post-buffering = 64K, its bodies in tmp_path/bodies; returns (port, calls file, server)."""
    def start(extra=""):
        port = free_port()
        bodies = tmp_path / "bodies"
        bodies.mkdir(exist_ok=True)
        calls = tmp_path / "calls.txt"
        (tmp_path / "bodyapp.py").write_text(BODY_APP)
        server = start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {tmp_path}/bodyapp.py
env = TMPDIR={bodies}
env = CALLS={calls}
threads = 2
{extra}""")
        return port, calls, server
    return start


def calls_of(calls):
    return calls.read_text().splitlines() if calls.exists() else []


def upload(port, body, path="/upload", headers=None):
    status, _, reply, _ = http_request(port, "POST", path, body=body, headers=headers or {})
    assert status == 200, reply
    return json.loads(reply)


def test_large_upload_goes_to_a_file_and_arrives_whole(buffered, tmp_path):
    port, calls, _ = buffered("post-buffering = 65536\n")
    body = os.urandom(3 * 1024 * 1024 + 17)
    assert upload(port, body) == {"length": len(body), "sha256": hashlib.sha256(body).hexdigest(), "on_disk": True}
    small = b"x" * 1000
    assert upload(port, small, "/small") == {"length": 1000, "sha256": hashlib.sha256(small).hexdigest(), "on_disk": False}
    # The body file is gone once the request is over (unnamed from the start).
    assert list((tmp_path / "bodies").iterdir()) == []


def test_a_chunked_body_spills_to_a_file_past_the_limit(buffered):
    port, _, _ = buffered("post-buffering = 8192\n")
    pieces = [os.urandom(5000) for _ in range(40)]
    body = b"".join(pieces)
    with RawConnection(port) as conn:
        conn.send(b"POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        for piece in pieces:
            conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
        conn.send(b"0\r\n\r\n")
        reply = json.loads(conn.read_response().body)
    assert reply == {"length": len(body), "sha256": hashlib.sha256(body).hexdigest(), "on_disk": True}


@pytest.mark.parametrize("post_buffering", [0, 65536])
def test_the_app_runs_only_once_the_whole_body_is_there(buffered, post_buffering):
    port, calls, _ = buffered(f"post-buffering = {post_buffering}\n")
    body = os.urandom(200_000)
    with RawConnection(port) as conn:
        conn.send(b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:1000])
        time.sleep(1.0)
        called_early = calls_of(calls) == ["/slow"]
        conn.send(body[1000:])
        reply = json.loads(conn.read_response().body)
    assert reply["length"] == len(body) and reply["sha256"] == hashlib.sha256(body).hexdigest()
    # Without post-buffering the app starts at once and waits in wsgi.input; with it, not before the end.
    assert called_early == (post_buffering == 0)


def test_expect_100_continue_is_answered_by_the_loop(buffered):
    port, _, _ = buffered("post-buffering = 4096\n")
    body = os.urandom(10_000)
    with RawConnection(port) as conn:
        conn.send(b"POST /expect HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
        assert conn.read_until(b"\r\n\r\n").startswith(b"HTTP/1.1 100 Continue")
        conn.send(body)
        response = conn.read_response()
    assert response.status == 200 and json.loads(response.body)["length"] == len(body)


def test_a_body_cut_short_or_stalled_never_reaches_the_app(buffered):
    port, calls, server = buffered("post-buffering = 4096\nhttp-body-timeout = 1\n")
    with RawConnection(port) as conn:
        conn.send(b"POST /gone HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"a" * 50_000)
        time.sleep(0.3)
    with RawConnection(port) as conn:
        conn.send(b"POST /stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"a" * 50_000)
        response = conn.read_response()
        assert response.status == 408
        assert conn.closed_by_server(5)
    wait_until(lambda: '"POST /stalled HTTP/1.1" 408' in server.log(), message="408 logged")
    wait_until(lambda: '"POST /gone HTTP/1.1" 400' in server.log(), message="cut-short request logged")
    assert calls_of(calls) == []
    # The worker serves on.
    assert upload(port, b"ok", "/after")["length"] == 2
    assert calls_of(calls) == ["/after"]


def test_keep_alive_requests_after_a_buffered_one(buffered):
    port, _, _ = buffered("post-buffering = 1024\n")
    with RawConnection(port) as conn:
        for size in (10, 5000, 0, 70_000):
            body = os.urandom(size)
            conn.request("POST", "/again", body=body, headers=[] if size else ["Content-Length: 0"])
            response = conn.read_response()
            assert response.status == 200 and not response.closes()
            assert json.loads(response.body)["sha256"] == hashlib.sha256(body).hexdigest()


def test_uwsgi_protocol_bodies_are_buffered_too(start_liege, tmp_path):
    http_port, uwsgi_port = free_port(), free_port()
    (tmp_path / "bodies").mkdir()
    (tmp_path / "bodyapp.py").write_text(BODY_APP)
    start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{http_port}
socket = 127.0.0.1:{uwsgi_port}
wsgi-file = {tmp_path}/bodyapp.py
env = TMPDIR={tmp_path / "bodies"}
env = CALLS={tmp_path / "calls.txt"}
post-buffering = 32K
""")
    body = os.urandom(500_000)
    variables = {"REQUEST_METHOD": "POST", "PATH_INFO": "/nginx", "REQUEST_URI": "/nginx", "QUERY_STRING": "",
                 "CONTENT_LENGTH": str(len(body)), "SERVER_PROTOCOL": "HTTP/1.1"}
    raw = uwsgi_request(uwsgi_port, variables, body)
    reply = json.loads(raw.partition(b"\r\n\r\n")[2])
    assert reply == {"length": len(body), "sha256": hashlib.sha256(body).hexdigest(), "on_disk": True}
