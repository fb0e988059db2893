"""harakiri with an ASGI app: one asyncio loop serves every request of a worker, so a request that only
awaits for long is left alone, while a synchronous call that blocks the whole loop past the limit ends
the worker like a WSGI harakiri (504 to the requests in flight, WebSockets closed with 1001, exit
status 23, a fresh worker at once)."""
import json
import time

from asgi_support import serve_asgi
from support import RawConnection, http_request, wait_until
from test_asgi_websocket import closed_with, ws


def pid_over(port):
    status, _, body, _ = http_request(port, path="/scope", timeout=10)
    assert status == 200, (status, body)
    return json.loads(body)["pid"]


def test_a_long_await_is_not_a_harakiri(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app", "harakiri = 1")
    first = pid_over(server.port)
    with RawConnection(server.port) as slow:
        slow.request("GET", "/slow?3")
        for _ in range(5):   # the loop serves others while that request waits
            assert pid_over(server.port) == first
        assert slow.read_response().status == 200
    assert pid_over(server.port) == first
    assert "HARAKIRI" not in server.log()


def test_a_blocked_event_loop_is_a_harakiri(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app", "harakiri = 2")
    first = pid_over(server.port)
    with ws(server.port) as client, RawConnection(server.port) as waiting, RawConnection(server.port) as blocking:
        client.send("before")
        assert client.recv(timeout=10) == "before"
        waiting.request("GET", "/slow?60")
        time.sleep(0.5)   # taken by the app, which awaits
        started = time.monotonic()
        blocking.request("GET", "/block?60")
        assert blocking.read_response().status == 504
        assert waiting.read_response().status == 504
        closed_with(client, 1001)
        assert time.monotonic() - started < 20
    log = wait_until(lambda: (text := server.log()) and "HARAKIRI" in text and text, 10, message="the harakiri logged")
    assert "ASGI event loop has not come back" in log
    # The worker ended itself (status 23), not the master's backstop (SIGKILL), and was replaced at once.
    wait_until(lambda: "exited with status 23 (harakiri)" in server.log(), 10, message="the worker's harakiri exit")
    assert "SIGKILL" not in server.log()
    assert wait_until(lambda: (pid := pid_over(server.port)) != first and pid, 60, message="a fresh worker answers")
