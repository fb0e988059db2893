"""Request bodies on event-driven workers (issue 13): a 50 MB upload read in small wsgi.input.read(n)
calls while other clients are served, the body timeout, and `Expect: 100-continue`.

Needs the event loop: every test_body_timeout_* (http-body-timeout is new).
Passes on the blocking workers too: the uploads (threads = 2 serves the others on the second thread),
  the Expect tests.
"""
import hashlib
import json
import os
import threading
import time

import pytest

from event_loop_support import answer, loop_ini, serve
from support import RawConnection, free_port, http_request, wait_until

UPLOAD_SIZE = 50 * 1024 * 1024
PIECE = 1_000_003  # odd-sized pieces (and chunks), so no boundary falls on a power of two


def send_body(conn, data, chunked, last):
    for start in range(0, len(data), PIECE):
        piece = data[start:start + PIECE]
        conn.send(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
    if chunked and last:
        conn.send(b"0\r\n\r\n")


class PausedUpload:
    """POSTs `data` to /small-reads (read(1000) calls) on a thread: the head and the first half at once,
    the second half only after `resume()`; `half_sent` is set in between."""

    def __init__(self, port, data, chunked):
        self.port, self.data, self.chunked = port, data, chunked
        self.half_sent, self._resume = threading.Event(), threading.Event()
        self.response, self.error = None, None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        try:
            with RawConnection(self.port, timeout=120) as conn:
                framing = "Transfer-Encoding: chunked" if self.chunked else f"Content-Length: {len(self.data)}"
                conn.send(f"POST /small-reads?n=1000 HTTP/1.1\r\nHost: x\r\n{framing}\r\nConnection: close\r\n\r\n"
                          .encode())
                half = len(self.data) // 2
                send_body(conn, self.data[:half], self.chunked, last=False)
                self.half_sent.set()
                self._resume.wait(120)
                send_body(conn, self.data[half:], self.chunked, last=True)
                self.response = conn.read_response()
        except Exception as error:  # noqa: BLE001 - reported by result()
            self.error = error

    def resume(self):
        self._resume.set()

    def result(self):
        """The app's answer (length, sha256) once the upload is done."""
        self._thread.join(180)
        assert self.error is None, repr(self.error)
        assert self.response is not None, "the upload got no answer"
        return answer(self.response)


@pytest.fixture(scope="module")
def upload_data():
    return os.urandom(UPLOAD_SIZE)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_fifty_megabyte_upload_in_small_reads_while_others_are_served(start_liege, upload_data, chunked):
    """threads = 2: the upload holds one Python thread; other clients are answered by the same worker
    while the upload is provably unfinished (its second half is held back until they all were)."""
    port = free_port()
    start_liege(loop_ini(port, "processes = 1", "threads = 2"))
    upload = PausedUpload(port, upload_data, chunked)
    try:
        assert upload.half_sent.wait(120), "the first half of the upload was not taken"
        for index in range(5):
            status, _, body, _ = http_request(port, path=f"/echo?other={index}", timeout=30)
            assert status == 200 and json.loads(body)["query"] == f"other={index}"
        assert upload.response is None and upload.error is None, "the upload cannot be done: half is missing"
    finally:
        upload.resume()
    result = upload.result()
    assert result["length"] == UPLOAD_SIZE
    assert result["sha256"] == hashlib.sha256(upload_data).hexdigest()


def test_fifty_megabyte_upload_with_one_thread_then_the_others(start_liege, upload_data):
    """threads = 1: a request that arrives during the upload waits for the only Python thread; it is
    answered once the upload is done (and never lost)."""
    port = free_port()
    start_liege(loop_ini(port, "processes = 1", "threads = 1"))
    upload = PausedUpload(port, upload_data, chunked=False)
    others = []
    try:
        assert upload.half_sent.wait(120), "the first half of the upload was not taken"
        threads = [threading.Thread(target=lambda i=i: others.append(http_request(port, path=f"/echo?o={i}")[0]))
                   for i in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # their heads reach the worker while the upload is paused
    finally:
        upload.resume()
    result = upload.result()
    assert result["length"] == UPLOAD_SIZE
    assert result["sha256"] == hashlib.sha256(upload_data).hexdigest()
    for thread in threads:
        thread.join(60)
    assert others == [200, 200, 200]


@pytest.fixture
def body_timeout(start_liege):
    return serve(start_liege, "processes = 1", "threads = 1", "http-body-timeout = 2")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_timeout_ends_a_stalled_body(body_timeout, tmp_path, chunked):
    """The body stops after 1000 of 100000 bytes: after the 2 s body timeout the app's read fails or
    comes back short, and the connection closes (with whatever error answer came first)."""
    marker = tmp_path / "reads.json"
    framing = "Transfer-Encoding: chunked" if chunked else "Content-Length: 100000"
    first = b"a" * 1000
    with RawConnection(body_timeout.port) as conn:
        sent = time.monotonic()
        conn.send(f"POST /small-reads?m={marker} HTTP/1.1\r\nHost: x\r\n{framing}\r\n\r\n".encode())
        conn.send(b"3e8\r\n" + first + b"\r\n" if chunked else first)
        assert conn.closed_by_server(25), "a stalled body ends the request and closes the connection"
        waited = time.monotonic() - sent
    assert waited >= 1.5, f"closed after {waited:.1f} s, before the 2 s body timeout"
    seen = json.loads(wait_until(lambda: marker.exists() and marker.read_text(), 10, message="the app's reads"))
    assert seen["error"] or seen["length"] < 100000, seen
    with RawConnection(body_timeout.port) as conn:  # the worker goes on serving
        conn.request("GET", "/echo?after", headers=["Connection: close"])
        assert answer(conn.read_response())["query"] == "after"


def test_body_timeout_is_between_reads_not_for_the_whole_body(start_liege):
    """Ten pieces 0.5 s apart: 4.5 s in all, longer than the 3 s body timeout, but never a 3 s gap."""
    port = free_port()
    start_liege(loop_ini(port, "http-body-timeout = 3"))
    piece = b"p" * 1000
    with RawConnection(port) as conn:
        conn.send(b"POST /small-reads HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\nConnection: close\r\n\r\n")
        for _ in range(10):
            time.sleep(0.5)
            conn.send(piece)
        result = answer(conn.read_response())
    assert result["length"] == 10000
    assert result["sha256"] == hashlib.sha256(piece * 10).hexdigest()


@pytest.fixture
def expect_server(start_liege):
    return serve(start_liege, "http-keepalive = 30")


EXPECT_HEAD = b"POST %s HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n%s\r\n\r\n"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_expect_100_continue_waits_for_the_interim_answer(expect_server, chunked):
    body = b"hello world"
    with RawConnection(expect_server.port) as conn:
        framing = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % len(body)
        conn.send(EXPECT_HEAD % (b"/echo", framing))
        interim = conn.read_response()
        assert interim.status == 100, interim
        conn.send(b"b\r\nhello world\r\n0\r\n\r\n" if chunked else body)
        result = answer(conn.read_response())
        assert (result["length"], result["sha256"]) == (len(body), hashlib.sha256(body).hexdigest())
        conn.request("GET", "/echo?next")  # the connection carries on
        assert answer(conn.read_response())["query"] == "next"


def test_expect_100_continue_with_the_body_sent_at_once(expect_server):
    """A client may send the body without waiting: a 100 may or may not come first, the answer does."""
    with RawConnection(expect_server.port) as conn:
        conn.send(EXPECT_HEAD % (b"/echo", b"Content-Length: 5") + b"abcde")
        response = conn.read_response()
        if response.status == 100:
            response = conn.read_response()
        assert answer(response)["length"] == 5
        conn.request("GET", "/echo?next")
        assert answer(conn.read_response())["query"] == "next"


def test_expect_100_continue_for_an_app_that_never_reads_the_body(expect_server):
    """No 100 Continue (the app never asked for the body): the final answer comes at once. Then the
    server either closes (and says so), or - RFC 9110 §10.1.1 - keeps reading: the body the client
    still sends is skipped and the next request is answered."""
    with RawConnection(expect_server.port) as conn:
        conn.send(EXPECT_HEAD % (b"/no-read?first", b"Content-Length: 5"))
        response = conn.read_response()
        assert response.status == 200, f"no 100 Continue for an app that never reads the body: {response!r}"
        assert answer(response)["query"] == "first"
        if response.closes():
            assert conn.closed_by_server(20)
            return
        conn.send(b"abcde")
        conn.request("GET", "/echo?second")
        assert answer(conn.read_response())["query"] == "second"


def test_an_unread_body_larger_than_the_buffers_is_skipped_before_the_next_request(expect_server):
    """The app answers a 900 KiB upload without reading it, after 1 s (so the worker has stopped reading
    once its body buffer was full); after the answer the worker skips the rest (under the 1 MiB it drops
    for a kept-alive connection) and answers the next request on the same connection."""
    body = os.urandom(900 * 1024)
    with RawConnection(expect_server.port, timeout=30) as conn:
        conn.send(b"POST /sleep?s=1&t=big HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body))
        sender = threading.Thread(target=conn.send, args=(body,), daemon=True)
        sender.start()
        response = conn.read_response()
        assert answer(response)["tag"] == "big"
        sender.join(30)
        assert not sender.is_alive(), "the worker stopped reading the unread body for good"
        if response.closes():
            assert conn.closed_by_server(20)
            return
        conn.request("GET", "/echo?after")
        assert answer(conn.read_response())["query"] == "after"
