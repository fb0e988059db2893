"""Bad requests get their 4xx and the same worker keeps serving."""
import json
import socket
import time

import pytest

from conftest import APPS
from support import free_port, http_request, raw_request, status_of


@pytest.fixture(scope="module")
def server(request, liege_bin, tmp_path_factory):
    from support import Liege
    tmp = tmp_path_factory.mktemp("malformed")
    port = free_port()
    ini = tmp / "bad.ini"
    ini.write_text(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {APPS}
module = pep3333
processes = 1
buffer-size = 4096
socket-timeout = 2
""")
    liege = Liege(liege_bin, ["--ini", str(ini)], tmp / "bad.log")
    liege.wait_ready()
    liege.port = port
    status, _, body, _ = http_request(port, path="/environ")
    liege.worker_pid = json.loads(body)["pid"]
    yield liege
    liege.stop()


def assert_same_worker(server):
    status, _, body, _ = http_request(server.port, path="/environ")
    assert status == 200
    assert json.loads(body)["pid"] == server.worker_pid


CASES = [
    ("garbage request line", b"GARBAGE\r\n\r\n", 400),
    ("missing version", b"GET /\r\nHost: x\r\n\r\n", 400),
    ("unknown protocol", b"GET / FOO/1.1\r\nHost: x\r\n\r\n", 400),
    ("http/2.0 version", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    ("http/1.2 version", b"GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505),
    ("space in header name", b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400),
    ("space before colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
    ("obs-fold", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n", 400),
    ("missing host on 1.1", b"GET / HTTP/1.1\r\nX-A: a\r\n\r\n", 400),
    ("two hosts", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    ("content-length and transfer-encoding",
     b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    ("conflicting content-lengths",
     b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", 400),
    ("non-numeric content-length", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5x\r\n\r\nabcde", 400),
    ("negative content-length", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400),
    ("bad chunk size", b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
    ("chunk without crlf", b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", 400),
    ("nul byte in path", b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("encoded nul in path", b"GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("bad percent escape", b"GET /a%zzb HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("control char in target", b"GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("bare cr", b"GET / HTTP/1.1\rHost: x\r\n\r\n", 400),
    ("headers over buffer-size", b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 8000 + b"\r\n\r\n", 431),
    ("request line over buffer-size", b"GET /" + b"a" * 8000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    ("more fields than limit-request-fields", b"GET / HTTP/1.1\r\nHost: x\r\n" + b"A: b\r\n" * 100 + b"\r\n", 431),
    ("asterisk target without OPTIONS", b"GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("invalid host", b"GET / HTTP/1.1\r\nHost: a/b@c\r\n\r\n", 400),
    ("two content-types", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\n", 400),
    ("content-length in a trailer",
     b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nContent-Length: 9\r\n\r\n", 400),
    ("host in a trailer",
     b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nHost: evil\r\n\r\n", 400),
]


@pytest.mark.parametrize("name,data,expected", CASES, ids=[c[0] for c in CASES])
def test_malformed_request_gets_4xx_and_worker_survives(server, name, data, expected):
    raw = raw_request(server.port, data)
    assert status_of(raw) == expected, raw[:200]
    assert_same_worker(server)


def test_body_shorter_than_declared(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten!!")
        conn.shutdown(socket.SHUT_WR)
        raw = conn.recv(65536)
    assert status_of(raw) == 400
    assert_same_worker(server)


def test_slow_client_gets_408_after_socket_timeout(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # head never finished
        started = time.monotonic()
        raw = conn.recv(65536)
    assert status_of(raw) == 408
    assert time.monotonic() - started < 14
    assert_same_worker(server)


def test_idle_connection_is_closed_quietly(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as conn:
        assert conn.recv(65536) == b""  # nothing sent: closed after socket-timeout without a response
    assert_same_worker(server)


def test_pipelined_requests_answered_in_order(server):
    request = (b"GET /environ HTTP/1.1\r\nHost: x\r\n\r\n"
               b"GET /headers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw = raw_request(server.port, request)
    # Keep-alive is off by default: the first response closes the connection and the second is not read.
    assert status_of(raw) == 200
    assert_same_worker(server)


def test_chunked_body_with_an_ordinary_trailer_is_served(server):
    raw = raw_request(server.port, b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   b"5\r\nhello\r\n0\r\nX-Checksum: 1234\r\n\r\n")
    assert status_of(raw) == 200
    assert b'"head": "hello"' in raw
    assert_same_worker(server)
