"""Real ASGI apps from PyPI (issue 14) through the real binary: a Starlette app, a FastAPI app and a
Django Channels project over HTTP, directly, behind nginx, under the emperor and across a touch-reload.
Their WebSockets are in test_asgi_websocket.py."""
import json
import os
import re
import signal
import threading

import pytest

from asgi_support import CHAT, asgi_ini, chat, json_of, serve_asgi, starlette  # noqa: F401 (fixtures)
from conftest import APPS
from nginx_support import Nginx, proxy_pass_websockets
from support import RawConnection, free_port, http_request, wait_until


@pytest.fixture
def fastapi(start_liege):
    return serve_asgi(start_liege, "fastapi_app:app")


# Starlette

def test_starlette_routes(starlette):
    status, headers, body, _ = http_request(starlette.port, path="/")
    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    assert re.fullmatch(rb"Hello from Starlette pid=\d+\n", body)
    assert json_of(starlette.port, "/users/42?sort=asc") == {"user_id": 42, "sort": "asc"}
    assert http_request(starlette.port, path="/users/not-a-number")[0] == 404
    assert http_request(starlette.port, method="POST", path="/")[0] == 405


def test_starlette_lifespan_state_reaches_the_routes(starlette):
    answer = json_of(starlette.port, "/state")
    assert answer["greeting"] == f"started by lifespan in {answer['pid']}"


# FastAPI

def test_fastapi_path_parameter_and_query(fastapi):
    answer = json_of(fastapi.port, "/items/7?q=hi")
    assert (answer["item_id"], answer["q"]) == (7, "hi")
    assert json_of(fastapi.port, "/items/8")["q"] is None
    status, _, body, _ = http_request(fastapi.port, path="/items/seven")
    assert status == 422
    assert json.loads(body)["detail"][0]["loc"] == ["path", "item_id"]


def test_fastapi_post_with_a_pydantic_body(fastapi):
    item = {"name": "lamp", "price": 12.5, "tags": ["home", "light"]}
    status, headers, body, _ = http_request(fastapi.port, method="POST", path="/items", body=json.dumps(item).encode(),
                                            headers={"Content-Type": "application/json"})
    assert status == 201
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"name": "lamp", "price_cents": 1250, "tags": ["home", "light"]}
    status, _, body, _ = http_request(fastapi.port, method="POST", path="/items", body=b'{"name": "lamp"}',
                                      headers={"Content-Type": "application/json"})
    assert status == 422
    assert [error["loc"] for error in json.loads(body)["detail"]] == [["body", "price"]]


def test_fastapi_streaming_response(fastapi):
    with RawConnection(fastapi.port) as conn:
        conn.request("GET", "/stream?count=5")
        response = conn.read_response()
        assert response.status == 200
        assert response.headers["transfer-encoding"] == "chunked"
        assert response.body == b"".join(b"line %d\n" % i for i in range(5))
        conn.request("GET", "/items/1")   # the connection is kept after a streamed response
        assert json.loads(conn.read_response().body)["item_id"] == 1


def test_fastapi_openapi_schema(fastapi):
    schema = json_of(fastapi.port, "/openapi.json")
    assert set(schema["paths"]) == {"/items/{item_id}", "/items", "/stream"}


# Django Channels, plain Django over HTTP

def test_channels_project_serves_a_django_view(chat):
    answer = json_of(chat.port, "/hello/?room=lobby", headers={"Host": "localhost"})
    assert answer == {"hello": "from django", "method": "GET", "room": "lobby", "pid": answer["pid"]}
    assert http_request(chat.port, path="/no/such/page/", headers={"Host": "localhost"})[0] == 404
    assert http_request(chat.port, path="/hello/", headers={"Host": "evil.example"})[0] == 400
    # Django does not speak the lifespan protocol: the worker serves without it and says so once.
    assert chat.log().count("ASGI lifespan is not supported by the app") == 1


def test_channels_project_takes_a_post(chat):
    status, _, body, _ = http_request(chat.port, method="POST", path="/hello/", body=b"a=b",
                                      headers={"Host": "localhost", "Content-Type": "application/x-www-form-urlencoded"})
    assert (status, json.loads(body)["method"]) == (200, "POST")


# Behind nginx (proxy_pass, as for uvicorn or daphne)

APPS_AND_CHECKS = {
    "starlette": ("starlette_app:app", APPS, "/users/5?sort=x", {"user_id": 5, "sort": "x"}),
    "fastapi": ("fastapi_app:app", APPS, "/items/5?q=x", {"item_id": 5, "q": "x"}),
    "channels": ("chatsite.asgi:application", CHAT, "/hello/?room=x", {"hello": "from django", "room": "x"}),
}


def matches(answer, expected):
    return {key: answer.get(key) for key in expected} == expected


@pytest.mark.parametrize("name", sorted(APPS_AND_CHECKS))
def test_app_behind_nginx_proxy_pass(start_liege, tmp_path, name):
    app, chdir, path, expected = APPS_AND_CHECKS[name]
    server = serve_asgi(start_liege, app, chdir=chdir)
    nginx = Nginx(tmp_path / "nginx", proxy_pass_websockets(server.port))
    try:
        for _ in range(3):
            status, _, body, _ = http_request(nginx.port, path=path, headers={"Host": "localhost"})
            assert status == 200, body
            assert matches(json.loads(body), expected), body
    finally:
        nginx.stop()


# Under the emperor, across a touch-reload

PID_PATHS = {"starlette": "/state", "fastapi": "/items/1", "channels": "/hello/"}


def pid_of(port, path):
    status, _, body, _ = http_request(port, path=path, headers={"Host": "localhost"}, timeout=10)
    return json.loads(body)["pid"] if status == 200 else None


class Hammer:
    """Requests one after another on new connections from a thread until stopped; keeps every status."""

    def __init__(self, port, path):
        self.port, self.path = port, path
        self.results = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self):
        while not self.stopping.is_set() and len(self.results) < 5000:
            try:
                status, _, body, _ = http_request(self.port, path=self.path, headers={"Host": "localhost"}, timeout=20)
                self.results.append((status, json.loads(body)["pid"] if status == 200 else body))
            except OSError as error:
                self.results.append((None, repr(error)))
            self.stopping.wait(0.02)

    def stop(self):
        self.stopping.set()
        self.thread.join(60)
        return self.results


@pytest.mark.parametrize("name", sorted(APPS_AND_CHECKS))
def test_app_under_the_emperor_across_a_touch_reload(emperor, name):
    app, chdir, path, expected = APPS_AND_CHECKS[name]
    server, vassals = emperor()
    port = free_port()
    ini = vassals / f"{name}.ini"
    ini.write_text(asgi_ini(port, app, "processes = 2", chdir=chdir))
    wait_until(lambda: pid_of(port, PID_PATHS[name]), 60, message=f"vassal {name} serves")
    master = server.master_of(name)
    server.wait_log(f"vassal {name} (pid {master}) ready")
    status, _, body, _ = http_request(port, path=path, headers={"Host": "localhost"})
    assert status == 200 and matches(json.loads(body), expected), body
    before = {pid_of(port, PID_PATHS[name]) for _ in range(6)}

    hammer = Hammer(port, PID_PATHS[name])
    try:
        wait_until(lambda: len(hammer.results) >= 5, 30, message="requests before the reload")
        os.utime(ini)
        server.wait_log(f"vassal {name} (pid {master}) reloaded")
        after = wait_until(lambda: (pid := pid_of(port, PID_PATHS[name])) not in before and pid, 60,
                           message="a new worker after the touch")
        count = len(hammer.results)
        wait_until(lambda: len(hammer.results) >= count + 5, 30, message="requests after the reload")
    finally:
        results = hammer.stop()
    failures = [result for result in results if result[0] != 200]
    assert not failures, f"{len(failures)} of {len(results)} requests failed across the reload: {failures[:5]}"
    assert server.master_of(name) == master
    assert after not in before
    assert results[-1][1] not in before, "the last requests are served by new workers"
    if name == "starlette":
        state = json_of(port, "/state")
        assert state["greeting"] == f"started by lifespan in {state['pid']}"


def test_starlette_background_task_finishes_before_a_graceful_stop(start_liege, tmp_path):
    """A BackgroundTask runs after its response went out; a graceful stop waits for it, as uvicorn does."""
    server = serve_asgi(start_liege, "starlette_app:app")
    marker = tmp_path / "background"
    status, _, body, _ = http_request(server.port, path=f"/background?file={marker}")
    assert (status, body) == (200, b"accepted\n")
    pid = server.workers()[0]
    server.signal(signal.SIGTERM)
    assert server.exit_code(30) == 0
    assert marker.exists(), "the background task was cut short by the stop"
    assert marker.read_text() == f"background done {pid}\n"


def test_lifespan_on_with_an_app_that_does_not_support_it_stops_the_worker(start_liege):
    server = start_liege(asgi_ini(free_port(), "chatsite.asgi:application", "asgi-lifespan = on", chdir=CHAT), wait=False)
    assert server.exit_code(30) == 1
    assert "No application configured for scope type 'lifespan'" in server.log()


def test_an_asgi_app_that_cannot_be_imported_is_reported(start_liege):
    server = start_liege(asgi_ini(free_port(), "no_such_module:app"), wait=False)
    assert server.exit_code(30) == 1
    log = server.log()
    assert "ASGI app could not be loaded" in log
    assert "No module named 'no_such_module'" in log
