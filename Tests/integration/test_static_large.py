"""A 100 MB static file, whole and by Range, checked by SHA-256; a slow download of it does not
stop the worker's other thread from serving."""
import hashlib
import os
import socket
import time

import pytest

from support import free_port, raw_request, status_of

SIZE = 100 * 1024 * 1024

APP = '''
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"app"]
'''


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """100 MiB of pseudo-random bytes (one random MiB, varied per block so no two blocks are equal)."""
    path = tmp_path_factory.mktemp("large") / "big.bin"
    block = os.urandom(1024 * 1024)
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        for index in range(SIZE // len(block)):
            chunk = index.to_bytes(8, "little") + block[8:]
            handle.write(chunk)
            digest.update(chunk)
    return path, digest.hexdigest()


@pytest.fixture
def server(start_liege, tmp_path, big_file):
    app = tmp_path / "app.py"
    app.write_text(APP)
    port = free_port()
    liege = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {app}
threads = 2
static-map = /files={big_file[0].parent}
""", name="large")
    liege.port = port
    return liege


def download(port, headers=""):
    """Streams one response; returns (status, headers text, body length, body SHA-256)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
        conn.sendall(f"GET /files/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n".encode())
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            assert chunk, buffer
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        digest = hashlib.sha256(rest)
        length = len(rest)
        while chunk := conn.recv(1 << 20):
            digest.update(chunk)
            length += len(chunk)
    return status_of(head), head.decode(), length, digest.hexdigest()


def test_whole_file_matches(server, big_file):
    status, head, length, digest = download(server.port)
    assert status == 200
    assert f"Content-Length: {SIZE}\r\n" in head
    assert length == SIZE
    assert digest == big_file[1]


def test_range_matches(server, big_file):
    start, end = 37 * 1024 * 1024 + 123, 81 * 1024 * 1024 + 4567
    with open(big_file[0], "rb") as handle:
        handle.seek(start)
        expected = hashlib.sha256(handle.read(end - start + 1)).hexdigest()
    status, head, length, digest = download(server.port, f"Range: bytes={start}-{end}\r\n")
    assert status == 206
    assert f"Content-Range: bytes {start}-{end}/{SIZE}\r\n" in head
    assert (length, digest) == (end - start + 1, expected)
    with open(big_file[0], "rb") as handle:
        handle.seek(SIZE - 1000)
        tail = hashlib.sha256(handle.read()).hexdigest()
    assert download(server.port, "Range: bytes=-1000\r\n")[2:] == (1000, tail)


def test_slow_download_does_not_block_the_other_thread(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as slow:
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.sendall(b"GET /files/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        slow.recv(4096)  # the download has started and now stalls on a full socket buffer
        started = time.monotonic()
        for _ in range(5):
            raw = raw_request(server.port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert status_of(raw) == 200 and raw.endswith(b"app")
        assert time.monotonic() - started < 30  # not held up by the stalled download (it would take minutes)
