"""Helpers for the event-loop tests (issue 13): the eventloop fixture app and its JSON answers."""
import json
import time

from conftest import APPS
from support import RawConnection, free_port


def loop_ini(port, *lines):
    """A config serving the eventloop fixture app on an HTTP socket, plus `lines`."""
    return "[uwsgi]\nhttp-socket = 127.0.0.1:%d\nchdir = %s\nmodule = eventloop\n%s\n" % (port, APPS, "\n".join(lines))


def answer(response):
    """The JSON an echo-like route answered (asserting a 200)."""
    assert response.status == 200, response
    return json.loads(response.body)


def open_connections(port, count, timeout=30):
    """`count` client connections, all open at once (closed by the caller)."""
    return [RawConnection(port, timeout=timeout) for _ in range(count)]


def close_all(connections):
    for connection in connections:
        connection.close()


def serve(start_liege, *lines):
    """Starts the eventloop app with `lines` on a free port; the server has `.port`."""
    port = free_port()
    server = start_liege(loop_ini(port, *lines))
    server.port = port
    return server


def quiet_close_seconds(conn, timeout, what):
    """Waits for the server to close `conn` without sending anything; returns how long that took."""
    started = time.monotonic()
    assert conn.closed_by_server(timeout), f"{what} is closed within {timeout} s"
    waited = time.monotonic() - started
    assert conn.buffer == b"", f"{what} is closed without a response, got {conn.buffer[:100]!r}"
    return waited
