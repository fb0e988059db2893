"""The lifecycle keeps its promises on event-driven workers (issue 13): graceful reload and stop with
idle keep-alive connections and requests in flight, harakiri with other connections in the same
worker, a client that leaves in the middle of a response.

Needs the event loop (fails on the blocking workers): test_graceful_reload_*, test_graceful_stop_*,
  test_harakiri_* (each holds more keep-alive connections than a blocking worker has threads),
  test_client_gone_mid_response_*[small slow blocks] (small blocks were held back, so the client
  never gets the little it reads before leaving).
Passes on the blocking workers too: test_client_gone_mid_response_*[large fast blocks].
"""
import json
import signal

import pytest

from event_loop_support import answer, close_all, loop_ini, open_connections
from lifecycle_support import Load, wait_all_ready
from support import RawConnection, free_port, wait_until

IDLE, IN_FLIGHT = 100, 4
SLEEP, SIZE = 12, 100_000


def busy_ini(port):
    # 4 threads a worker: the 4 requests in flight all run at once wherever they land.
    return loop_ini(port, "processes = 2", "threads = 4", "http-keepalive = 60")


class IdleAndBusy:
    """100 keep-alive connections that made one request each and wait idle, and 4 connections whose
    request is in the app (sleeping SLEEP s, then answering SIZE bytes); markers in `directory`."""

    def __init__(self, port, directory):
        self.directory = directory
        self.idle = open_connections(port, IDLE)
        self.busy = open_connections(port, IN_FLIGHT, timeout=60)
        for index, conn in enumerate(self.idle):
            conn.request("GET", f"/echo?idle={index}")
            response = conn.read_response()
            assert answer(response)["query"] == f"idle={index}" and not response.closes()
        for index, conn in enumerate(self.busy):
            conn.request("GET", f"/sleep?s={SLEEP}&t={index}&d={directory}&size={SIZE}")
        wait_until(lambda: all((directory / f"started-{i}").exists() for i in range(IN_FLIGHT)), 20,
                   message="the 4 requests running in the app")

    def assert_idle_closed_at_once(self):
        """Every idle connection is closed, without a response, long before its 60 s keep-alive ends,
        and while the requests in flight still run (they sleep SLEEP s): the server did not wait for them."""
        for index, conn in enumerate(self.idle):
            assert conn.closed_by_server(30), f"idle keep-alive connection {index} still open 30 s on"
            assert conn.buffer == b"", f"idle connection {index} got bytes: {conn.buffer[:100]!r}"
        finished = [i for i in range(IN_FLIGHT) if (self.directory / f"finished-{i}").exists()]
        assert finished == [], "the idle connections were closed only once the requests in flight ended"

    def assert_busy_answered_in_full(self):
        for index, conn in enumerate(self.busy):
            response = conn.read_response()
            assert response.status == 200, response
            assert response.body == b"x" * SIZE, f"request {index} in flight got {len(response.body)} bytes"
            assert response.closes(), f"the answer to a request in flight must say Connection: close: {response.headers}"
            assert conn.closed_by_server(20)

    def close(self):
        close_all(self.idle + self.busy)


def test_graceful_reload_finishes_requests_in_flight_and_closes_idle_connections(start_liege, tmp_path):
    port = free_port()
    server = start_liege(busy_ini(port), name="reload")
    wait_all_ready(server, 2)
    old = set(server.workers())
    clients = IdleAndBusy(port, tmp_path)
    try:
        with Load(port, path="/echo") as load:
            wait_until(lambda: load.ok > 3, 20, message="load running")
            server.signal(signal.SIGHUP)
            clients.assert_idle_closed_at_once()
            clients.assert_busy_answered_in_full()
            wait_until(lambda: server.log().count("reload done") == 1, 60, message="reload done")
            served = load.ok
            wait_until(lambda: load.ok > served + 5, 20, message="load served by the new workers")
    finally:
        clients.close()
    assert load.errors == [], f"connections refused or failed during the reload: {load.errors[:5]}"
    new_pids = {json.loads(body)["pid"] for body in load.bodies[-5:]}
    assert new_pids and not new_pids & old, "the new workers answer after the reload"


def test_graceful_stop_finishes_requests_in_flight_and_closes_idle_connections(start_liege, tmp_path):
    port = free_port()
    server = start_liege(busy_ini(port), name="stop")
    wait_all_ready(server, 2)
    clients = IdleAndBusy(port, tmp_path)
    try:
        server.signal(signal.SIGTERM)
        clients.assert_idle_closed_at_once()
        clients.assert_busy_answered_in_full()
    finally:
        clients.close()
    assert server.exit_code(timeout=60) == 0


def test_harakiri_answers_504_and_loses_no_other_request(start_liege, tmp_path):
    """processes = 1, threads = 1, harakiri = 2: one request sleeps 10 s; meanwhile a keep-alive
    connection of the same worker and 4 new connections send requests, queued behind it. The slow one
    gets 504. Each other one gets a real answer (200, from the worker that replaces the killed one) or
    an explicit error status (>= 500, e.g. 503), never a connection closed without any response."""
    port = free_port()
    server = start_liege(loop_ini(port, "processes = 1", "threads = 1", "harakiri = 2", "http-keepalive = 30"))
    wait_all_ready(server, 1)
    victim = server.workers()[0]
    kept = RawConnection(port, timeout=60)
    slow = RawConnection(port, timeout=60)
    others = open_connections(port, 4, timeout=60)
    try:
        kept.request("GET", "/echo?kept=0")
        assert answer(kept.read_response())["pid"] == victim
        slow.request("GET", f"/sleep?s=10&t=slow&d={tmp_path}")
        wait_until(lambda: (tmp_path / "started-slow").exists(), 20, message="the slow request in the app")
        kept.request("GET", "/echo?kept=1")
        for index, conn in enumerate(others):
            conn.request("GET", f"/echo?other={index}")
        assert slow.read_response().status == 504
        for conn, query in [(kept, "kept=1"), *((conn, f"other={i}") for i, conn in enumerate(others))]:
            try:
                response = conn.read_response()
            except (EOFError, ConnectionResetError) as error:
                raise AssertionError(f"request {query} was lost: the connection closed without a response") from error
            if response.status == 200:
                assert answer(response)["query"] == query
            else:
                assert response.status >= 500, f"request {query}: {response!r}"
    finally:
        close_all([kept, slow, *others])
    server.wait_log("HARAKIRI")
    wait_until(lambda: server.workers() and victim not in server.workers(), 20, message="worker replaced")
    with RawConnection(port) as conn:
        conn.request("GET", "/echo?after", headers=["Connection: close"])
        assert answer(conn.read_response())["pid"] != victim


@pytest.mark.parametrize("block,delay", [(65536, 0), (100, 0.2)], ids=["large fast blocks", "small slow blocks"])
def test_client_gone_mid_response_closes_the_app_and_the_worker_serves_on(start_liege, tmp_path, block, delay):
    """The client reads a little of an endless response and leaves: the app's close() is called (a
    marker file), the same worker (one process, one thread: the endless generator must have stopped)
    answers the next request, and the log shows no crash."""
    port = free_port()
    server = start_liege(loop_ini(port, "processes = 1", "threads = 1", "http-keepalive = 30"))
    wait_all_ready(server, 1)
    worker = server.workers()[0]
    marker = tmp_path / "closed"
    with RawConnection(port) as conn:
        conn.request("GET", f"/endless?m={marker}&block={block}&delay={delay}")
        conn.read_until(b"\r\n\r\n")
        conn.read_exactly(2 * block)
    wait_until(lambda: marker.exists() and marker.read_text() == "closed", 30, message="the app's close()")
    with RawConnection(port) as conn:
        conn.request("GET", "/echo?next", headers=["Connection: close"])
        assert answer(conn.read_response())["pid"] == worker
    assert server.workers() == [worker]
    log = server.log()
    assert not any(word in log for word in ("Traceback", "killed by signal", "exited with status")), log[-2000:]
