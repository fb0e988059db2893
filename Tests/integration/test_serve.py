"""The master binds its sockets, spawns its workers and serves over every kind of address."""
import http.client
import json
import os
import socket
import threading

import pytest

from conftest import APPS
from support import Liege, cmdline, free_port, http_request, raw_request, status_of, wait_until


def hello_ini(*lines, module="hello"):
    return "[uwsgi]\nchdir = %s\nmodule = %s\n%s\n" % (APPS, module, "\n".join(lines))


def test_hello_world_over_http_socket(start_liege):
    port = free_port()
    server = start_liege(hello_ini(f"http-socket = 127.0.0.1:{port}", "processes = 3"), name="hello")
    status, headers, body, _ = http_request(port)
    assert (status, body) == (200, b"Hello, World!")
    assert headers["Content-Length"] == "13"
    wait_until(lambda: len(server.workers()) == 3, 10, message="3 workers")
    titles = sorted(cmdline(p) for p in server.workers())
    assert titles == ["liege worker 1 hello", "liege worker 2 hello", "liege worker 3 hello"]
    assert cmdline(server.pid) == "liege master hello"


def test_every_address_form_at_once(start_liege, tmp_path):
    v4, all_v4, v6 = free_port(), free_port(), free_port()
    unix_path = tmp_path / "hello.sock"
    start_liege(hello_ini(f"http-socket = 127.0.0.1:{v4}", f"http-socket = :{all_v4}", f"http-socket = [::1]:{v6}",
                          f"http-socket = {unix_path}", "chmod-socket = 660"))
    assert http_request(v4)[2] == b"Hello, World!"
    assert http_request(all_v4)[2] == b"Hello, World!"
    assert http_request(v6, host="::1")[2] == b"Hello, World!"
    assert oct(os.stat(unix_path).st_mode & 0o777) == "0o660"
    with socket.socket(socket.AF_UNIX) as conn:
        conn.connect(str(unix_path))
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := conn.recv(4096):
            data += chunk
    assert status_of(data) == 200 and data.endswith(b"Hello, World!")


def test_bind_failure_names_the_address_and_exits_1(liege_bin, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ini = tmp_path / "clash.ini"
        ini.write_text(hello_ini(f"http-socket = 127.0.0.1:{port}"))
        server = Liege(liege_bin, ["--ini", str(ini)], tmp_path / "clash.log")
        assert server.exit_code() == 1
        assert f"127.0.0.1:{port}" in server.log()
        server.stop()


def test_pidfile_and_logto(start_liege, tmp_path):
    port = free_port()
    pidfile, logfile = tmp_path / "app.pid", tmp_path / "app.log"
    server = start_liege(hello_ini(f"http-socket = 127.0.0.1:{port}", f"pidfile = {pidfile}", f"logto = {logfile}"),
                         wait=False)
    wait_until(lambda: logfile.exists() and "ready" in logfile.read_text(), 30, message="ready in logto file")
    assert pidfile.read_text() == f"{server.pid}\n"
    http_request(port, path="/logged-path")
    wait_until(lambda: '"GET /logged-path HTTP/1.1" 200 13' in logfile.read_text(), 10, message="request log line")


def test_dead_worker_is_respawned(start_liege):
    port = free_port()
    server = start_liege(hello_ini(f"http-socket = 127.0.0.1:{port}", "processes = 2"))
    wait_until(lambda: len(server.workers()) == 2, 10)
    victim = server.workers()[0]
    os.kill(victim, 9)
    wait_until(lambda: len(server.workers()) == 2 and victim not in server.workers(), 15, message="respawn")
    assert http_request(port)[0] == 200


def test_threads_serve_concurrent_requests(start_liege):
    port = free_port()
    start_liege(hello_ini(f"http-socket = 127.0.0.1:{port}", "processes = 1", "threads = 4", module="pep3333"))
    results = []

    def slow():
        results.append(http_request(port, path="/slow?s=1.5")[0])

    threads = [threading.Thread(target=slow) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [200] * 4
    env = json.loads(http_request(port, path="/environ")[2])
    assert env["wsgi.multithread"] == "True"


def test_keepalive_and_pipelining(start_liege):
    port = free_port()
    start_liege(hello_ini(f"http-socket = 127.0.0.1:{port}", "http-keepalive = 5", module="pep3333"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    pids = set()
    for _ in range(3):
        connection.request("GET", "/environ")
        response = connection.getresponse()
        assert response.status == 200
        pids.add(json.loads(response.read())["REMOTE_PORT"])
    assert len(pids) == 1  # one connection carried all three
    connection.close()
    pipelined = (b"GET /headers HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"GET /write HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw = raw_request(port, pipelined)
    assert raw.count(b"HTTP/1.1 ") == 3
    first, second, third = raw.index(b"created"), raw.index(b"chunk 4"), raw.index(b"written-1")
    assert first < second < third


def test_http10_client_gets_close_delimited_stream(start_liege):
    port = free_port()
    start_liege(hello_ini(f"http-socket = 127.0.0.1:{port}", module="pep3333"))
    raw = raw_request(port, b"GET /stream HTTP/1.0\r\n\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"chunked" not in head.lower()
    assert body == b"".join(b"chunk %d\n" % i for i in range(5))


def test_sigterm_stops_everything(liege_bin, tmp_path):
    port = free_port()
    ini = tmp_path / "term.ini"
    ini.write_text(hello_ini(f"http-socket = 127.0.0.1:{port}", "processes = 2"))
    server = Liege(liege_bin, ["--ini", str(ini)], tmp_path / "term.log")
    server.wait_ready()
    wait_until(lambda: len(server.workers()) == 2, 10)
    server.signal(15)
    assert server.exit_code() == 0
    server.stop()
