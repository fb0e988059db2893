"""PEP 3333 through the real binary: environ, wsgi.input, start_response, write(), iterables, file_wrapper."""
import hashlib
import http.client
import json
import os

import pytest

from conftest import APPS
from support import free_port, http_request, raw_request, status_of, wait_until


@pytest.fixture
def app(start_liege):
    port = free_port()
    server = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {APPS}
module = pep3333
processes = 2
""")
    server.port = port
    return server


def get_json(port, path, **kwargs):
    status, headers, body, _ = http_request(port, path=path, **kwargs)
    assert status == 200, body
    return json.loads(body)


def test_environ_has_every_required_key(app):
    env = get_json(app.port, "/environ?a=1&b=%20x", headers={"X-Custom-Thing": "value", "Content-Type": "text/x"})
    assert env["REQUEST_METHOD"] == "GET"
    assert env["SCRIPT_NAME"] == ""
    assert env["PATH_INFO"] == "/environ"
    assert env["QUERY_STRING"] == "a=1&b=%20x"
    assert env["REQUEST_URI"] == "/environ?a=1&b=%20x"
    assert env["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert env["SERVER_PORT"] == str(app.port)
    assert env["SERVER_NAME"]
    assert env["REMOTE_ADDR"] == "127.0.0.1"
    assert int(env["REMOTE_PORT"]) > 0
    assert env["HTTP_X_CUSTOM_THING"] == "value"
    assert env["CONTENT_TYPE"] == "text/x"
    assert "HTTP_CONTENT_TYPE" not in env
    assert env["HTTP_HOST"].startswith("127.0.0.1")
    assert env["wsgi.url_scheme"] == "http"
    assert env["wsgi.version"] == "(1, 0)"
    assert env["wsgi.multiprocess"] == "True"
    assert env["wsgi.multithread"] == "False"
    assert env["wsgi.run_once"] == "False"


def test_path_info_is_percent_decoded_once_as_latin1(app):
    status, _, body, _ = http_request(app.port, path="/caf%C3%A9%2520x")
    assert status == 404
    # The app echoes repr(PATH_INFO): UTF-8 bytes seen as latin-1 (PEP 3333), %25 decoded once.
    assert body.decode() == "no route for '/cafÃ©%20x'"


def test_post_body_and_content_length(app):
    data = b"hello body " * 1000
    result = get_json(app.port, "/echo", method="POST", body=data)
    assert result["length"] == len(data)
    assert result["sha256"] == hashlib.sha256(data).hexdigest()


def test_chunked_request_body_is_decoded(app):
    request = (b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
    raw = raw_request(app.port, request)
    assert status_of(raw) == 200
    head, _, payload = raw.partition(b"\r\n\r\n")
    assert b"content-length:" in head.lower()  # a one-item body gets a Content-Length, not chunks
    body = json.loads(payload)
    assert body["length"] == 11 and body["head"] == "hello world"


def test_readline_readlines_and_iteration(app):
    data = b"first line\nabcdef\nthird\nfourth\n"
    result = get_json(app.port, "/readlines", method="POST", body=data)
    assert result == {"first": "first line\n", "limited": "abc", "rest": ["def\n", "third\n", "fourth\n"]}
    lines = get_json(app.port, "/iterate", method="POST", body=b"a\nb\nc")["lines"]
    assert lines == ["a\n", "b\n", "c"]


def test_twenty_megabyte_upload_sha256(app):
    data = os.urandom(20 * 1024 * 1024)
    result = get_json(app.port, "/upload", method="POST", body=data)
    assert result == {"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_streaming_generator_is_chunked(app):
    status, headers, body, _ = http_request(app.port, path="/stream")
    assert status == 200
    assert headers.get("Transfer-Encoding") == "chunked"
    assert body == b"".join(b"chunk %d\n" % i for i in range(5))


def test_write_callable_then_iterable(app):
    status, _, body, _ = http_request(app.port, path="/write")
    assert (status, body) == (200, b"written-1 written-2 returned")


def test_exc_info_before_headers_replaces_the_response(app):
    status, _, body, _ = http_request(app.port, path="/exc-info")
    assert (status, body) == (500, b"handled error")


def test_exc_info_before_anything_is_sent_replaces_the_status(app):
    status, _, body, _ = http_request(app.port, path="/exc-info-replace")
    assert (status, body) == (503, b"replaced")


def test_exc_info_after_headers_sent_reraises(app):
    raw = raw_request(app.port, b"GET /exc-info-late HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(raw) == 200
    assert b"partial " in raw
    assert b"never sent" not in raw
    assert not raw.endswith(b"0\r\n\r\n")  # the body is cut short, not ended cleanly
    app.wait_log("too late to replace")


def test_close_is_called_on_the_result(app, tmp_path):
    marker = tmp_path / "closed.txt"
    status, _, body, _ = http_request(app.port, path=f"/close?m={marker}")
    assert (status, body) == (200, b"closing-body")
    wait_until(lambda: marker.exists() and marker.read_text() == "closed", 10, message="close() called")


def test_file_wrapper_sends_the_file(app, tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    status, headers, body, _ = http_request(app.port, path=f"/file?p={path}")
    assert status == 200
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(data).hexdigest()


def test_headers_status_and_repeated_headers(app):
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    connection.request("GET", "/headers")
    response = connection.getresponse()
    assert response.status == 201
    assert response.getheader("X-Custom") == "yes"
    assert response.msg.get_all("Set-Cookie") == ["a=1", "b=2"]
    assert response.getheader("Server") == "liege"
    assert response.getheader("Date")
    assert response.read() == b"created"


def test_head_request_has_no_body(app):
    raw = raw_request(app.port, b"HEAD /headers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert status_of(raw) == 201
    assert body == b""


def test_no_content_response(app):
    status, headers, body, _ = http_request(app.port, path="/empty")
    assert (status, body) == (204, b"")


def test_wsgi_errors_goes_to_the_log(app):
    status, _, body, _ = http_request(app.port, path="/errors")
    assert (status, body) == (200, b"logged")
    app.wait_log("message to wsgi.errors")


def test_expect_100_continue(app):
    import socket
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as conn:
        conn.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
                     b"Connection: close\r\n\r\n")
        interim = conn.recv(1024)
        assert interim.startswith(b"HTTP/1.1 100 Continue")
        conn.sendall(b"abcde")
        rest = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            rest += chunk
    final = (interim + rest).split(b"\r\n\r\n", 1)[1]
    assert final.startswith(b"HTTP/1.1 200 ")
    assert b'"length": 5' in final
