"""Static files (SPEC §11) through the real binary: a Django project's collectstatic output, and
each header rule (types, validators, 304, HEAD, ranges, gzip twins, expiry) on small files."""
import email.utils
import gzip
import os
import re
import subprocess
import time

import pytest

from conftest import VENV
from support import free_port, http_request, raw_request
from test_nginx import nginx  # noqa: F401  (the fixture: real nginx with uwsgi_pass)

# The app behind the static maps: a 404 that names the path, so a fall-through is visible.
ECHO_APP = '''
def application(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"app:" + environ["PATH_INFO"].encode("latin-1")]
'''


def fetch(port, path, headers=None, method="GET"):
    """One raw request; returns (status, [(name, value)...] with lower-case names, body)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    raw = raw_request(port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = [(name.strip().lower(), value.strip()) for name, value in (line.split(":", 1) for line in header_lines)]
    return int(status_line.split(" ")[1]), fields, body


def one(fields, name):
    values = [value for key, value in fields if key == name]
    assert len(values) == 1, f"{name}: {values}"
    return values[0]


def absent(fields, name):
    return all(key != name for key, _ in fields)


def expires_in(fields):
    """Seconds from now until the Expires header."""
    return email.utils.parsedate_to_datetime(one(fields, "expires")).timestamp() - time.time()


def start_static(start_liege, tmp_path, options, name="app", extra=""):
    app = tmp_path / "echo_app.py"
    app.write_text(ECHO_APP)
    port = free_port()
    server = start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {app}\n{extra}\n{options}\n", name=name)
    server.port = port
    return server


# --- a Django project's collected static files -------------------------------------------------

@pytest.fixture(scope="module")
def collected(django_project):
    subprocess.run([str(VENV / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=django_project, check=True)
    root = django_project / "collected-static"
    assert (root / "admin" / "css" / "base.css").is_file()
    return root


@pytest.fixture
def django_static(start_liege, django_project, collected):
    port = free_port()
    server = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {django_project}
module = mysite.wsgi:application
virtualenv = {VENV}
processes = 2
static-map = /static={collected}
static-expires-uri = ^/static/.*\\.css$ 86400
static-expires-type = image/svg+xml=3600
""", name="django-static")
    server.port = port
    server.root = collected
    return server


def test_admin_css_is_served_as_text_css_with_expiry(django_static):
    status, fields, body = fetch(django_static.port, "/static/admin/css/base.css")
    assert status == 200
    assert one(fields, "content-type") == "text/css"
    assert body == (django_static.root / "admin" / "css" / "base.css").read_bytes()
    assert one(fields, "content-length") == str(len(body))
    assert one(fields, "cache-control") == "max-age=86400"
    assert 86400 - 5 < expires_in(fields) <= 86400 + 1


def test_expiry_by_content_type(django_static):
    status, fields, _ = fetch(django_static.port, "/static/admin/img/icon-addlink.svg")
    assert status == 200
    assert one(fields, "content-type") == "image/svg+xml"
    assert one(fields, "cache-control") == "max-age=3600"
    assert 3600 - 5 < expires_in(fields) <= 3601


def test_every_static_file_of_the_login_page_is_served(django_static):
    status, _, page = fetch_with_host(django_static.port, "/admin/login/")
    assert status == 200
    links = sorted(set(re.findall(rb'"(/static/[^"]+)"', page)))
    assert links, page[:500]
    for link in links:
        status, fields, body = fetch(django_static.port, link.decode())
        assert status == 200, link
        assert body == (django_static.root / link.decode()[len("/static/"):]).read_bytes()


def fetch_with_host(port, path):
    raw = raw_request(port, f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), head, body


def test_missing_file_falls_through_to_django(django_static):
    status, head, body = fetch_with_host(django_static.port, "/static/admin/css/no-such-file.css")
    assert status == 404
    assert b"Content-Type: text/html" in head  # Django's page, not Liege's plain-text error
    assert b"Not Found" in body


def test_static_over_the_uwsgi_protocol_behind_nginx(start_liege, django_project, collected, nginx, tmp_path):  # noqa: F811
    sock = tmp_path / "static.sock"
    start_liege(f"""
[uwsgi]
socket = {sock}
chmod-socket = 666
chdir = {django_project}
module = mysite.wsgi:application
virtualenv = {VENV}
static-map = /static={collected}
static-expires-uri = \\.css$ 600
""", name="nginx-static")
    port = nginx(sock)
    status, headers, body, _ = http_request(port, path="/static/admin/css/base.css", headers={"Host": "localhost"})
    assert status == 200
    assert headers["Content-Type"] == "text/css" and headers["Cache-Control"] == "max-age=600"
    assert body == (collected / "admin" / "css" / "base.css").read_bytes()
    status, headers, body, _ = http_request(port, path="/static/admin/css/base.css", headers={
        "Host": "localhost", "If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    status, headers, body, _ = http_request(port, path="/static/admin/css/nope.css", headers={"Host": "localhost"})
    assert status == 404 and headers["Content-Type"].startswith("text/html")


def test_django_still_serves_its_pages(django_static):
    status, _, body = fetch_with_host(django_static.port, "/admin/login/")
    assert status == 200 and b"Django administration" in body


# --- header rules on small files ----------------------------------------------------------------

@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "css").mkdir(parents=True)
    (root / "css" / "app.css").write_bytes(b"body { color: red }\n" * 50)
    (root / "css" / "app.css.gz").write_bytes(gzip.compress((root / "css" / "app.css").read_bytes()))
    (root / "js").mkdir()
    (root / "js" / "app.js").write_bytes(b"console.log(1)\n")
    (root / "data.weird").write_bytes(b"0123456789" * 10)
    (root / "noext").write_bytes(b"x")
    (root / "docs").mkdir()
    (root / "docs" / "index.html").write_bytes(b"<h1>docs</h1>")
    (root / "empty").mkdir()
    (root / "page.php").write_bytes(b"<?php secret source ?>")
    old = time.time() - 86400 * 10
    os.utime(root / "css" / "app.css", (old, old))
    return root


def test_types_lengths_and_validators(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}")
    status, fields, body = fetch(server.port, "/s/css/app.css")
    assert status == 200
    assert one(fields, "content-type") == "text/css"
    assert one(fields, "content-length") == str(len(body)) == str((site / "css" / "app.css").stat().st_size)
    mtime = int((site / "css" / "app.css").stat().st_mtime)
    assert one(fields, "last-modified") == email.utils.formatdate(mtime, usegmt=True)
    assert re.fullmatch(r'"[0-9a-f]+\.[0-9a-f]+-[0-9a-f]+"', one(fields, "etag"))
    assert one(fields, "accept-ranges") == "bytes"
    assert absent(fields, "expires") and absent(fields, "cache-control")
    assert one(fetch(server.port, "/s/js/app.js")[1], "content-type") == "text/javascript"
    assert one(fetch(server.port, "/s/data.weird")[1], "content-type") == "application/octet-stream"
    assert one(fetch(server.port, "/s/noext")[1], "content-type") == "application/octet-stream"
    assert one(fetch(server.port, "/s/CSS/../css/app.css")[1], "content-type") == "text/plain; charset=utf-8"  # 403


def test_mimefile_is_read_and_builtin_table_is_the_fallback(start_liege, tmp_path, site):
    mime = tmp_path / "mime.types"
    mime.write_text("# test\napplication/x-weird\t\tweird WEIRD2\n")
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}\nmimefile = {mime}")
    assert one(fetch(server.port, "/s/data.weird")[1], "content-type") == "application/x-weird"
    assert one(fetch(server.port, "/s/css/app.css")[1], "content-type") == "text/css"  # built-in table
    missing = start_static(start_liege, tmp_path, f"static-map = /s={site}\nmimefile = {tmp_path}/none", name="nomime")
    assert one(fetch(missing.port, "/s/css/app.css")[1], "content-type") == "text/css"


def test_etag_changes_when_the_file_changes(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}")
    first = one(fetch(server.port, "/s/js/app.js")[1], "etag")
    assert one(fetch(server.port, "/s/js/app.js")[1], "etag") == first
    (site / "js" / "app.js").write_bytes(b"console.log(2)\n")
    status, fields, body = fetch(server.port, "/s/js/app.js")
    assert body == b"console.log(2)\n"
    assert one(fields, "etag") != first


def test_a_settled_file_changed_or_swapped_is_looked_at_afresh(start_liege, tmp_path, site):
    # Workers keep what they proved about a file (its real path, validators, a small file's bytes) while
    # its stamp holds: a rewrite that keeps size and mtime, or a symlink turned outward, must still be seen.
    page, outside = site / "settled.txt", tmp_path / "outside.txt"
    page.write_bytes(b"A" * 100)
    outside.write_bytes(b"S" * 100)
    (site / "link.txt").symlink_to(page)
    time.sleep(2.5)   # older than the cache's settle time: its bytes may be kept
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}")
    for _ in range(3):
        assert fetch(server.port, "/s/settled.txt")[::2] == (200, b"A" * 100)
        assert fetch(server.port, "/s/link.txt")[::2] == (200, b"A" * 100)
    stat = page.stat()
    page.write_bytes(b"B" * 100)
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))   # same size, same mtime: only ctime moved
    assert fetch(server.port, "/s/settled.txt")[::2] == (200, b"B" * 100)
    (site / "link.txt").unlink()
    (site / "link.txt").symlink_to(outside)
    assert fetch(server.port, "/s/link.txt")[0] == 403
    page.unlink()
    assert fetch(server.port, "/s/settled.txt")[::2] == (404, b"app:/s/settled.txt")


def test_conditional_requests(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}\nstatic-expires-uri = css 600")
    _, fields, _ = fetch(server.port, "/s/css/app.css")
    etag, modified = one(fields, "etag"), one(fields, "last-modified")
    status, fields304, body = fetch(server.port, "/s/css/app.css", {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert one(fields304, "etag") == etag and one(fields304, "cache-control") == "max-age=600"
    assert absent(fields304, "content-length")
    assert fetch(server.port, "/s/css/app.css", {"If-None-Match": f'"nope", W/{etag}'})[0] == 304
    assert fetch(server.port, "/s/css/app.css", {"If-None-Match": '"nope"'})[0] == 200
    assert fetch(server.port, "/s/css/app.css", {"If-Modified-Since": modified})[0] == 304
    assert fetch(server.port, "/s/css/app.css", {"If-Modified-Since": email.utils.formatdate(time.time(), usegmt=True)})[0] == 304
    earlier = email.utils.formatdate(email.utils.parsedate_to_datetime(modified).timestamp() - 1, usegmt=True)
    assert fetch(server.port, "/s/css/app.css", {"If-Modified-Since": earlier})[0] == 200
    assert fetch(server.port, "/s/css/app.css", {"If-Modified-Since": "garbage"})[0] == 200
    # If-None-Match decides when both are present
    assert fetch(server.port, "/s/css/app.css", {"If-None-Match": '"nope"', "If-Modified-Since": modified})[0] == 200


def test_head_has_the_headers_and_no_body(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}")
    size = (site / "css" / "app.css").stat().st_size
    status, fields, body = fetch(server.port, "/s/css/app.css", method="HEAD")
    assert (status, body) == (200, b"")
    assert one(fields, "content-length") == str(size)
    assert one(fields, "content-type") == "text/css"


def test_ranges(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}")
    data = (site / "data.weird").read_bytes()
    status, fields, body = fetch(server.port, "/s/data.weird", {"Range": "bytes=10-19"})
    assert (status, body) == (206, data[10:20])
    assert one(fields, "content-range") == "bytes 10-19/100" and one(fields, "content-length") == "10"
    status, fields, body = fetch(server.port, "/s/data.weird", {"Range": "bytes=-7"})
    assert (status, body, one(fields, "content-range")) == (206, data[-7:], "bytes 93-99/100")
    status, fields, body = fetch(server.port, "/s/data.weird", {"Range": "bytes=95-"})
    assert (status, body) == (206, data[95:])
    status, fields, body = fetch(server.port, "/s/data.weird", {"Range": "bytes=100-"})
    assert status == 416 and one(fields, "content-range") == "bytes */100"
    assert data not in body
    status, fields, body = fetch(server.port, "/s/data.weird", {"Range": "bytes=0-1,5-6"})
    assert (status, body) == (200, data) and absent(fields, "content-range")
    status, fields, body = fetch(server.port, "/s/data.weird", {"Range": "bytes=0-3", "If-Range": '"stale"'})
    assert (status, body) == (200, data)
    etag = one(fields, "etag")
    assert fetch(server.port, "/s/data.weird", {"Range": "bytes=0-3", "If-Range": etag})[2] == data[:4]
    status, fields, body = fetch(server.port, "/s/data.weird", {"Range": "bytes=2-3"}, method="HEAD")
    assert (status, body, one(fields, "content-length")) == (206, b"", "2")


@pytest.mark.parametrize("option", ["static-gzip-all = true", "static-gzip-ext = .css", "static-gzip-dir = {site}/css"])
def test_gzip_twins(start_liege, tmp_path, site, option):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}\n" + option.format(site=site))
    plain = (site / "css" / "app.css").read_bytes()
    status, fields, body = fetch(server.port, "/s/css/app.css", {"Accept-Encoding": "deflate, gzip"})
    assert status == 200
    assert one(fields, "content-encoding") == "gzip"
    assert one(fields, "content-type") == "text/css"
    assert one(fields, "vary") == "Accept-Encoding"
    assert gzip.decompress(body) == plain
    status, fields, body = fetch(server.port, "/s/css/app.css")
    assert body == plain and absent(fields, "content-encoding") and one(fields, "vary") == "Accept-Encoding"
    status, fields, body = fetch(server.port, "/s/css/app.css", {"Accept-Encoding": "gzip;q=0"})
    assert body == plain
    status, fields, body = fetch(server.port, "/s/js/app.js", {"Accept-Encoding": "gzip"})  # no twin
    assert body == b"console.log(1)\n" and absent(fields, "content-encoding")


def test_gzip_twins_are_off_by_default(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}")
    status, fields, body = fetch(server.port, "/s/css/app.css", {"Accept-Encoding": "gzip"})
    assert body == (site / "css" / "app.css").read_bytes()
    assert absent(fields, "content-encoding") and absent(fields, "vary")


def test_expires_families_and_first_match(start_liege, tmp_path, site):
    mtime = int((site / "css" / "app.css").stat().st_mtime)
    server = start_static(start_liege, tmp_path, f"""
static-map = /s={site}
static-index = index.html
static-expires-type = text/css=100
static-expires-uri = \\?v= 200
static-expires-path-info-mtime = \\.js$ 99999999
static-expires-path-info = ^/s/docs/ 300
static-expires-mtime = app\\.css$ 10000000
static-expires = /data\\.weird$ 400
""")
    _, fields, _ = fetch(server.port, "/s/css/app.css?v=3")  # path rules first: the -mtime one
    assert one(fields, "expires") == email.utils.formatdate(mtime + 10000000, usegmt=True)
    assert abs(int(one(fields, "cache-control").removeprefix("max-age=")) - (mtime + 10000000 - time.time())) < 3
    _, fields, _ = fetch(server.port, "/s/data.weird?v=1")  # plain path rule
    assert one(fields, "cache-control") == "max-age=400"
    _, fields, _ = fetch(server.port, "/s/docs/")  # path-info (index file)
    assert one(fields, "cache-control") == "max-age=300"
    _, fields, _ = fetch(server.port, "/s/noext?v=2")  # uri, query included
    assert one(fields, "cache-control") == "max-age=200"
    _, fields, _ = fetch(server.port, "/s/noext")
    assert absent(fields, "expires") and absent(fields, "cache-control")
    js_mtime = int((site / "js" / "app.js").stat().st_mtime)
    _, fields, _ = fetch(server.port, "/s/js/app.js")
    assert one(fields, "expires") == email.utils.formatdate(js_mtime + 99999999, usegmt=True)


def test_expired_mtime_rule_gives_max_age_zero(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}\nstatic-expires-type-mtime = text/css=60")
    _, fields, _ = fetch(server.port, "/s/css/app.css")  # modified ten days ago
    assert one(fields, "cache-control") == "max-age=0"
    assert expires_in(fields) < 0


def test_maps_fall_through_in_order(start_liege, tmp_path, site):
    other = tmp_path / "other"
    other.mkdir()
    (other / "only-here.txt").write_bytes(b"second root")
    (other / "noext").write_bytes(b"shadowed")
    www = tmp_path / "www"
    (www / "s").mkdir(parents=True)
    (www / "s" / "map2.txt").write_bytes(b"from map2")
    (www / "robots.txt").write_bytes(b"from check-static")
    server = start_static(start_liege, tmp_path, f"""
static-map = /s={site}
static-map = /s={other}
static-map2 = /s={www}
check-static = {www}
static-map = /favicon.ico={site}/noext
""")
    assert fetch(server.port, "/s/noext")[2] == b"x"  # first existing file wins
    assert fetch(server.port, "/s/only-here.txt")[2] == b"second root"
    assert fetch(server.port, "/s/map2.txt")[2] == b"from map2"
    assert fetch(server.port, "/robots.txt")[2] == b"from check-static"
    assert fetch(server.port, "/favicon.ico")[2] == b"x"
    assert fetch(server.port, "/favicon.icox")[:3:2] == (404, b"app:/favicon.icox")
    assert fetch(server.port, "/s/nothing.txt")[:3:2] == (404, b"app:/s/nothing.txt")
    assert fetch(server.port, "/sx/noext")[:3:2] == (404, b"app:/sx/noext")  # path boundary


def test_directories_index_or_app_never_a_listing(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}\nstatic-index = missing.html\nstatic-index = index.html")
    assert fetch(server.port, "/s/docs/")[2] == b"<h1>docs</h1>"
    assert fetch(server.port, "/s/docs")[2] == b"<h1>docs</h1>"
    for path in ["/s/empty/", "/s/", "/s", "/s/css/"]:
        status, _, body = fetch(server.port, path)
        assert (status, body) == (404, b"app:" + path.encode()), path
    bare = start_static(start_liege, tmp_path, f"static-map = /s={site}", name="noindex")
    assert fetch(bare.port, "/s/docs/")[2] == b"app:/s/docs/"


def test_skip_ext_and_methods_go_to_the_app(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}\nstatic-skip-ext = .php")
    assert fetch(server.port, "/s/page.php")[2] == b"app:/s/page.php"
    assert fetch(server.port, "/s/page.PHP")[2] == b"app:/s/page.PHP"
    assert fetch(server.port, "/s/css/app.css", method="POST")[2] == b"app:/s/css/app.css"
    assert fetch(server.port, "/s/css/app.css", method="DELETE")[2] == b"app:/s/css/app.css"


def test_a_file_path_with_a_trailing_slash_is_not_the_file(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}")
    assert fetch(server.port, "/s/js/app.js/")[2] == b"app:/s/js/app.js/"


def test_roots_are_resolved_per_request(start_liege, tmp_path, site):
    releases = tmp_path / "releases"
    (releases / "1").mkdir(parents=True)
    (releases / "2").mkdir()
    (releases / "1" / "v.txt").write_bytes(b"one")
    (releases / "2" / "v.txt").write_bytes(b"two")
    current = tmp_path / "current"
    current.symlink_to(releases / "1")
    server = start_static(start_liege, tmp_path, f"static-map = /r={current}\nstatic-map = /s={site}")
    assert fetch(server.port, "/r/v.txt")[2] == b"one"
    swap = tmp_path / "current.new"
    swap.symlink_to(releases / "2")
    os.replace(swap, current)  # an atomic deploy
    assert fetch(server.port, "/r/v.txt")[2] == b"two"
    (site / "new" / "dir").mkdir(parents=True)  # unbit/uwsgi#1988: new subdirectories work
    (site / "new" / "dir" / "f.txt").write_bytes(b"fresh")
    assert fetch(server.port, "/s/new/dir/f.txt")[2] == b"fresh"


def test_relative_root_is_taken_from_chdir(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, "static-map = /s=site", extra=f"chdir = {tmp_path}")
    assert fetch(server.port, "/s/js/app.js")[2] == b"console.log(1)\n"


def test_keep_alive_connection_serves_many_static_responses(start_liege, tmp_path, site):
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}", extra="http-keepalive = 5")
    requests = b"".join([
        b"GET /s/js/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
        b"HEAD /s/css/app.css HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /s/data.weird HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n",
        b"GET /s/missing HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /s/js/app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ])
    raw = raw_request(server.port, requests)
    assert raw.count(b"HTTP/1.1 200 OK") == 3
    assert b"HTTP/1.1 206 Partial Content" in raw and b"\r\n\r\n01234HTTP/1.1 404" in raw
    assert raw.count(b"console.log(1)\n") == 2


def test_bad_regex_is_a_config_error_with_its_line(liege_bin, tmp_path, site):
    ini = tmp_path / "bad.ini"
    ini.write_text(f"[uwsgi]\nhttp-socket = 127.0.0.1:{free_port()}\nstatic-map = /s={site}\nstatic-expires-uri = ([a-z 60\n")
    result = subprocess.run([liege_bin, "--ini", str(ini)], capture_output=True, timeout=30)
    assert result.returncode == 1
    assert f"{ini}:4: \"static-expires-uri\" has an invalid regular expression".encode() in result.stderr + result.stdout


def test_file_names_are_bytes(start_liege, tmp_path, site):
    (site / "caf\u00e9.txt").write_bytes(b"utf-8 name")
    with open(os.path.join(os.fsencode(site), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"latin-1 name")
    server = start_static(start_liege, tmp_path, f"static-map = /s={site}")
    assert fetch(server.port, "/s/caf%C3%A9.txt")[2] == b"utf-8 name"
    assert fetch(server.port, "/s/caf%E9.txt")[2] == b"latin-1 name"


def test_static_only_server_without_an_app(start_liege, tmp_path, site):
    port = free_port()
    start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nneed-app = false\nstatic-map = /s={site}\n", name="pure")
    assert fetch(port, "/s/js/app.js")[::2] == (200, b"console.log(1)\n")
    assert fetch(port, "/s/missing.js")[0] == 503
