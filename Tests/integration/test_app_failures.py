"""App exceptions never kill a worker; a broken app never leaves a connection hanging."""
import json
import os
import time

from conftest import APPS
from support import Liege, free_port, http_request, raw_request, status_of, wait_until


def config(port, module, extra=""):
    return f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {APPS}
module = {module}
processes = 1
{extra}
"""


def test_exception_gives_500_with_traceback_and_worker_lives(start_liege):
    port = free_port()
    server = start_liege(config(port, "pep3333"))
    pid = json.loads(http_request(port, path="/environ")[2])["pid"]
    status, _, _, _ = http_request(port, path="/crash")
    assert status == 500
    server.wait_log("RuntimeError: boom from the app")
    server.wait_log("Traceback")
    status, _, _, _ = http_request(port, path="/str-body")
    assert status == 500
    raw = raw_request(port, b"GET /crash-late HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(raw) == 200  # head already sent: the body is cut short, the connection closed
    assert json.loads(http_request(port, path="/environ")[2])["pid"] == pid


def test_broken_app_with_need_app_exits_1(liege_bin, tmp_path):
    port = free_port()
    ini = tmp_path / "broken.ini"
    ini.write_text(config(port, "broken"))
    server = Liege(liege_bin, ["--ini", str(ini)], tmp_path / "broken.log")
    assert server.exit_code(timeout=30) == 1
    log = server.log()
    assert "ModuleNotFoundError" in log and "this_module_does_not_exist" in log
    server.stop()


def test_broken_app_without_need_app_answers_503_quickly(start_liege):
    port = free_port()
    server = start_liege(config(port, "broken", "need-app = false"))
    started = time.monotonic()
    status, _, _, _ = http_request(port, path="/", timeout=10)
    assert status == 503
    assert time.monotonic() - started < 9
    server.wait_log("retrying the app import")


def test_virtualenv_only_package_is_importable(start_liege, tmp_path):
    import subprocess
    venv = tmp_path / "appenv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "only_in_venv.py").write_text("GREETING = b'from the venv'\n")
    (tmp_path / "venvapp.py").write_text(
        "import only_in_venv, sys\n"
        "def application(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [only_in_venv.GREETING + b' ' + sys.prefix.encode()]\n")
    port = free_port()
    start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {tmp_path}
module = venvapp
virtualenv = {venv}
""")
    status, _, body, _ = http_request(port, path="/")
    assert status == 200
    assert body == b"from the venv " + str(venv).encode()


def test_an_asgi_app_that_imports_later_is_served_by_a_fresh_worker(start_liege, tmp_path):
    port = free_port()
    server = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {tmp_path}
asgi = lateasgi:app
need-app = false
processes = 1
""")
    status, _, _, _ = http_request(port, path="/", timeout=10)
    assert status == 503
    server.wait_log("retrying the app import")
    (tmp_path / "lateasgi.py").write_text(
        "import os\n"
        "async def app(scope, receive, send):\n"
        "    if scope['type'] != 'http':\n"
        "        return\n"
        "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': b'arrived %d' % os.getpid()})\n")

    def served():
        answer = http_request(port, path="/", timeout=10)
        return answer[0] == 200 and answer[2]

    body = wait_until(served, timeout=60, message="the ASGI app served once importable")
    assert body.startswith(b"arrived ")
    server.wait_log("the ASGI app is importable now: a fresh worker serves it")
    assert http_request(port, path="/")[2] == body   # the fresh worker goes on serving it
