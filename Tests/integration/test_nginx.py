"""Real nginx (from apt) in front of liege with uwsgi_pass to a unix socket."""
import hashlib
import os

import pytest

from conftest import APPS, VENV
from nginx_support import Nginx, uwsgi_pass
from support import http_request


@pytest.fixture
def nginx(tmp_path):
    """Starts nginx with `uwsgi_pass` to a unix socket; returns its port."""
    started = []

    def start(upstream_socket):
        server = Nginx(tmp_path / "nginx", uwsgi_pass(upstream_socket))
        started.append(server)
        return server.port

    yield start
    for server in started:
        server.stop()


def test_django_behind_nginx_uwsgi_pass(start_liege, django_project, nginx, tmp_path):
    sock = tmp_path / "django.sock"
    start_liege(f"""
[uwsgi]
socket = {sock}
chmod-socket = 666
chdir = {django_project}
module = mysite.wsgi:application
virtualenv = {VENV}
processes = 2
""")
    port = nginx(sock)
    status, _, body, _ = http_request(port, path="/admin/login/", headers={"Host": "localhost"})
    assert status == 200
    assert b"Django administration" in body
    status, headers, _, _ = http_request(port, path="/admin/", headers={"Host": "localhost"})
    assert (status, headers["Location"]) == (302, "/admin/login/?next=/admin/")
    status, _, _, _ = http_request(port, path="/nope/", headers={"Host": "localhost"})
    assert status == 404
    status, _, _, _ = http_request(port, method="POST", path="/admin/login/", body=b"a=b",
                                   headers={"Host": "localhost", "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403


def test_pep3333_app_behind_nginx(start_liege, nginx, tmp_path):
    sock = tmp_path / "app.sock"
    start_liege(f"""
[uwsgi]
socket = {sock}
chmod-socket = 666
chdir = {APPS}
module = pep3333
""")
    port = nginx(sock)
    import json
    status, _, body, _ = http_request(port, path="/environ?x=1", headers={"X-Thing": "t"})
    env = json.loads(body)
    assert status == 200
    assert env["PATH_INFO"] == "/environ" and env["QUERY_STRING"] == "x=1"
    assert env["HTTP_X_THING"] == "t"
    assert env["REQUEST_METHOD"] == "GET"
    data = os.urandom(5 * 1024 * 1024)
    status, _, body, _ = http_request(port, method="POST", path="/upload", body=data)
    assert json.loads(body) == {"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    status, _, body, _ = http_request(port, path="/stream")
    assert (status, body) == (200, b"".join(b"chunk %d\n" % i for i in range(5)))
    status, _, body, _ = http_request(port, path="/crash")
    assert status == 500
