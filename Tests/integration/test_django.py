"""A real Django project (django-admin startproject, DEBUG off) served over http-socket."""
import pytest

from conftest import VENV
from support import free_port, http_request


@pytest.fixture
def django_site(start_liege, django_project):
    port = free_port()
    server = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {django_project}
module = mysite.wsgi:application
virtualenv = {VENV}
processes = 2
""")
    server.port = port
    return server


def test_admin_login_page(django_site):
    status, headers, body, _ = http_request(django_site.port, path="/admin/login/", headers={"Host": "localhost"})
    assert status == 200
    assert b"Django administration" in body
    assert headers["Content-Type"].startswith("text/html")
    assert "csrftoken" in headers.get("Set-Cookie", "")


def test_admin_redirects_to_login(django_site):
    status, headers, _, _ = http_request(django_site.port, path="/admin/", headers={"Host": "localhost"})
    assert status == 302
    assert headers["Location"] == "/admin/login/?next=/admin/"


def test_unknown_url_is_djangos_404(django_site):
    status, _, body, _ = http_request(django_site.port, path="/no/such/page", headers={"Host": "localhost"})
    assert status == 404
    assert b"Not Found" in body


def test_post_without_csrf_token_is_403(django_site):
    status, _, body, _ = http_request(django_site.port, method="POST", path="/admin/login/",
                                      body=b"username=a&password=b",
                                      headers={"Host": "localhost", "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    assert b"CSRF" in body


def test_disallowed_host_is_400(django_site):
    status, _, _, _ = http_request(django_site.port, path="/admin/login/", headers={"Host": "evil.example"})
    assert status == 400
