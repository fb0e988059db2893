"""Response framing through the real binary: HEAD of a stream declares no length it does not know,
a body longer than the app's Content-Length is cut there, and a broken length closes the connection."""
import socket

import pytest

from conftest import APPS
from support import free_port


@pytest.fixture
def app(start_liege):
    port = free_port()
    server = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {APPS}
module = framing
processes = 1
http-keepalive = 5
""")
    server.port = port
    return server


def read_response(conn, method="GET"):
    """Reads one response from a keep-alive connection: (head text, body bytes, closed after it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        assert chunk, f"connection closed before the head: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    text = head.decode("latin-1")
    fields = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in text.split("\r\n")[1:]}
    if method == "HEAD" or "content-length" not in fields:
        return text, rest, False
    length = int(fields["content-length"])
    closed = False
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            closed = True
            break
        rest += chunk
    return text, rest, closed


def is_closed(conn, timeout=5.0):
    """True when the server closes the connection (EOF) within the timeout, with nothing else sent."""
    conn.settimeout(timeout)
    try:
        return conn.recv(65536) == b""
    except socket.timeout:
        return False


def request(path, method="GET"):
    return f"{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()


def test_head_of_a_stream_invents_no_content_length(app):
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as conn:
        conn.sendall(request("/head-stream", "HEAD"))
        head, body, _ = read_response(conn, "HEAD")
        assert head.startswith("HTTP/1.1 200")
        assert "content-length" not in head.lower()
        assert body == b""
        # the connection stays usable: GET of the same resource is chunked
        conn.sendall(request("/head-stream"))
        head, _, _ = read_response(conn)
        assert "transfer-encoding: chunked" in head.lower()


def test_get_of_an_empty_generator_still_says_zero(app):
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as conn:
        conn.sendall(request("/empty-generator"))
        head, body, _ = read_response(conn)
        assert "content-length: 0" in head.lower()
        assert body == b""


@pytest.mark.parametrize("path, expected", [("/too-long", b"hello"), ("/too-long-list", b"hel")])
def test_body_longer_than_content_length_is_cut_and_closes(app, path, expected):
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as conn:
        conn.sendall(request(path))
        head, body, _ = read_response(conn)
        assert head.startswith("HTTP/1.1 200")
        assert body == expected
        assert is_closed(conn), "the connection must close after a cut body"


def test_body_shorter_than_content_length_closes(app):
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as conn:
        conn.sendall(request("/too-short"))
        data = b""
        while not data.endswith(b"\r\n\r\nshort"):
            chunk = conn.recv(65536)
            assert chunk, f"closed before the body: {data!r}"
            data += chunk
        # a second request must not be answered: its response would pass for the rest of the body
        try:
            conn.sendall(request("/exact"))
            rest = b""
            while chunk := conn.recv(65536):
                rest += chunk
        except (BrokenPipeError, ConnectionResetError):
            rest = b""
        assert b"HTTP/1.1" not in rest


def test_exact_length_keeps_the_connection(app):
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as conn:
        for _ in range(2):
            conn.sendall(request("/exact"))
            head, body, closed = read_response(conn)
            assert body == b"hello" and not closed
            assert "connection: close" not in head.lower()
