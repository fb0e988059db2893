"""Responses to the letter of PEP 3333 (issue 13): a block the app yields is sent at once, HEAD of a
streamed response, bodies that disagree with their Content-Length, Liege's own 400 in the access log.

The streaming tests are lockstep, not timed: the app sends block I+1 only once the test, having
received block I, writes a go file (the app gives up after 30 s, the test after 20 s). A server that
holds a block back until more come can never pass.

Needs issue 13 (fails on the blocking workers): every test_each_block_* (blocks under 64 KiB were held),
  test_a_body_that_disagrees_with_its_content_length_* (both),
  test_bad_percent_escape_400_is_in_the_access_log.
Passes on the blocking workers too: test_head_of_a_streamed_response_invents_no_content_length.
"""
import socket
import urllib.parse

import pytest

from event_loop_support import answer, loop_ini, serve
from support import RawConnection, free_port, raw_request, status_of


def dechunk(data):
    body = b""
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return body
        body, data = body + data[:size], data[size + 2:]


STREAMS = {
    "chunked": ({"blocks": "first,second"}, "1.1"),
    "http/1.0 until close": ({"blocks": "first,second"}, "1.0"),
    "declared content-length": ({"blocks": "first,second", "length": "1"}, "1.1"),
    "write callable": ({"blocks": "first,second", "mode": "write"}, "1.1"),
    "server-sent events": ({"blocks": ",".join(f"data: event {i}\n\n" for i in range(5)),
                            "type": "text/event-stream"}, "1.1"),
}


@pytest.mark.parametrize("name", list(STREAMS))
def test_each_block_reaches_the_client_before_the_app_yields_the_next(start_liege, tmp_path, name):
    query, version = STREAMS[name]
    blocks = [block.encode() for block in query["blocks"].split(",")]
    port = free_port()
    start_liege(loop_ini(port, "http-keepalive = 30"))
    target = "/lockstep?" + urllib.parse.urlencode({**query, "d": str(tmp_path)})
    with RawConnection(port, timeout=20) as conn:
        conn.send(f"GET {target} HTTP/{version}\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        head, raw = b"", b""
        for index, block in enumerate(blocks):
            try:
                head = head or conn.read_until(b"\r\n\r\n")
                raw += conn.read_until(block)
            except socket.timeout:
                raise AssertionError(f"block {index} ({block!r}) was held back: not received within 20 s while "
                                     f"the app waits for it to arrive (received: {head + raw + conn.buffer!r})") from None
            (tmp_path / f"go-{index + 1}").write_text("go")
        raw += conn.read_to_eof()
    body = dechunk(raw) if b"chunked" in head.lower() else raw
    assert body == b"".join(blocks)
    seen = (tmp_path / "lockstep.log").read_text().splitlines()
    assert seen == [f"go-{index} seen" for index in range(1, len(blocks))]


@pytest.fixture
def server(start_liege):
    return serve(start_liege, "http-keepalive = 60")


def test_head_of_a_streamed_response_invents_no_content_length(server):
    with RawConnection(server.port) as conn:
        conn.send(b"HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n")
        response = conn.read_response(head_only=True)
        assert response.status == 200
        assert response.headers.get("content-length") != "0", response.head
        if response.closes():
            assert conn.closed_by_server(20) and conn.buffer == b"", "no body follows the head"
            return
        conn.request("GET", "/echo?after-head", headers=["Connection: close"])
        assert answer(conn.read_response())["query"] == "after-head", "no body came after the HEAD answer"


@pytest.mark.parametrize("declared,body", [(5, "0123456789"), (10, "01234")], ids=["longer", "shorter"])
def test_a_body_that_disagrees_with_its_content_length_ends_the_connection(server, declared, body):
    """Longer (declares 5, yields 10): the client gets exactly the 5 declared bytes. Shorter (declares
    10, yields 5): it gets the 5. Either way the connection then closes, long before its 60 s keep-alive."""
    with RawConnection(server.port) as conn:
        conn.send(f"GET /declared-length?declared={declared}&body={body} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        head = conn.read_until(b"\r\n\r\n")
        assert f"\r\ncontent-length: {declared}\r\n".encode() in head.lower()
        assert conn.closed_by_server(30), "the connection closes after a body that disagrees with its Content-Length"
        assert conn.buffer == b"01234"


def test_bad_percent_escape_400_is_in_the_access_log(server):
    raw = raw_request(server.port, b"GET /a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(raw) == 400
    server.wait_log('"GET /a%zz HTTP/1.1" 400 ', timeout=10)
