"""Real nginx (from apt) in front of liege with uwsgi_pass to a unix socket."""
import hashlib
import os
import shutil
import signal
import subprocess

import pytest

from conftest import APPS, VENV
from support import free_port, http_request, wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def nginx(tmp_path):
    if not os.access(NGINX, os.X_OK):
        pytest.fail("nginx is not installed (make test installs it: apt-get install nginx)")
    started = []

    def start(upstream_socket):
        port = free_port()
        prefix = tmp_path / "nginx"
        (prefix / "logs").mkdir(parents=True)
        conf = prefix / "nginx.conf"
        # Tests run as root in CI: nginx's workers would drop to `nobody`, who cannot enter pytest's
        # private temp directories; run them as the test's own user instead.
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    uwsgi_temp_path {prefix}/uwsgi;
    client_max_body_size 64m;
    include /etc/nginx/uwsgi_params;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            uwsgi_pass unix:{upstream_socket};
            include /etc/nginx/uwsgi_params;
        }}
    }}
}}
""")
        process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        started.append(process)
        wait_until(lambda: http_request(port, path="/")[0] > 0, 15, message="nginx listening")
        return port

    yield start
    for process in started:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
