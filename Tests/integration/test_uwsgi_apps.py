"""uWSGI's app options through the real binary (issue 16, item 2): several apps per vassal under `mount`
with and without `manage-script-name`, `no-default-app`, the reload's import check over every mount,
`wsgi-disable-file-wrapper`, `http-timeout` and `memory-report`. post-buffering: test_uwsgi_post_buffering.py."""
import json
import re
import signal
import socket
import struct
import subprocess
import time

from docs_support import doc_block, substituted
from stats_client import read_stats
from support import RawConnection, free_port, http_request, uwsgi_request, wait_until

REPORTER = '''import json
NAME = %r

def application(environ, start_response):
    body = json.dumps({"app": NAME, "script": environ.get("SCRIPT_NAME"), "path": environ.get("PATH_INFO"),
                       "wrapper": "wsgi.file_wrapper" in environ}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

app = application
'''


def write_reporter(directory, filename, name):
    path = directory / filename
    path.write_text(REPORTER % name)
    return path


def seen(port, path):
    status, _, body, _ = http_request(port, path=path)
    return status, (json.loads(body) if status == 200 else body)


def uwsgi_seen(port, script_name, path_info):
    raw = uwsgi_request(port, {"REQUEST_METHOD": "GET", "REQUEST_URI": script_name + path_info, "SCRIPT_NAME": script_name,
                               "PATH_INFO": path_info, "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
                               "HTTP_HOST": "localhost"})
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, (json.loads(body) if status == 200 else body)


def mounted_site(tmp_path):
    """A root app (wsgi-file), a module mount, a .wsgi file mount with a trailing slash and a nested mount."""
    write_reporter(tmp_path, "root.py", "root")
    write_reporter(tmp_path, "shop.py", "shop")
    write_reporter(tmp_path, "blog.wsgi", "blog")
    write_reporter(tmp_path, "admin.py", "admin")
    return f"""chdir = {tmp_path}
wsgi-file = root.py
mount = /shop=shop:app
mount = /blog/={tmp_path}/blog.wsgi
mount = /shop/admin=admin.py
"""


def mounted_vassal(port, tmp_path, extra=""):
    """Two workers serving `mounted_site` on an http-socket with manage-script-name."""
    return f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nprocesses = 2\nmanage-script-name = true\n{extra}{mounted_site(tmp_path)}"


def test_mounts_with_manage_script_name_split_script_name_and_path_info(start_liege, tmp_path):
    port = free_port()
    server = start_liege(mounted_vassal(port, tmp_path))
    assert seen(port, "/shop/cart?item=3") == (200, {"app": "shop", "script": "/shop", "path": "/cart", "wrapper": True})
    assert seen(port, "/shop") == (200, {"app": "shop", "script": "/shop", "path": "", "wrapper": True})
    assert seen(port, "/shop/admin/users")[1] == {"app": "admin", "script": "/shop/admin", "path": "/users", "wrapper": True}
    assert seen(port, "/blog/2024/post")[1] == {"app": "blog", "script": "/blog", "path": "/2024/post", "wrapper": True}
    # Whole segments only; anything else goes to the root app, untouched.
    assert seen(port, "/shopping")[1] == {"app": "root", "script": "", "path": "/shopping", "wrapper": True}
    assert seen(port, "/")[1] == {"app": "root", "script": "", "path": "/", "wrapper": True}
    # Every worker loaded every app.
    wait_until(lambda: server.log().count("(mounted at /shop)") == 2, message="both workers loaded /shop")
    log = server.log()
    assert log.count("app loaded: shop:app (mounted at /shop)") == 2
    assert log.count("(mounted at /blog)") == 2 and log.count("(mounted at /shop/admin)") == 2
    assert log.count("app loaded: root.py (mounted at /)") == 2


def test_without_manage_script_name_the_app_is_the_one_at_the_script_name(start_liege, tmp_path):
    port, uwsgi_port = free_port(), free_port()
    start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
socket = 127.0.0.1:{uwsgi_port}
{mounted_site(tmp_path)}""")
    # An HTTP request brings no SCRIPT_NAME: the root app, whatever the path (as uWSGI's http-socket).
    assert seen(port, "/shop/cart")[1] == {"app": "root", "script": "", "path": "/shop/cart", "wrapper": True}
    # nginx's uwsgi_param SCRIPT_NAME picks the app; PATH_INFO stays as nginx sent it.
    assert uwsgi_seen(uwsgi_port, "/shop", "/cart")[1] == {"app": "shop", "script": "/shop", "path": "/cart", "wrapper": True}
    assert uwsgi_seen(uwsgi_port, "/blog/", "/x")[1]["app"] == "blog"
    assert uwsgi_seen(uwsgi_port, "/elsewhere", "/x")[1] == {"app": "root", "script": "/elsewhere", "path": "/x", "wrapper": True}


def test_no_default_app_and_requests_no_app_answers(start_liege, tmp_path):
    port, uwsgi_port = free_port(), free_port()
    write_reporter(tmp_path, "shop.py", "shop")
    write_reporter(tmp_path, "root.py", "root")
    # Mounts only: a path under no mount has no app.
    server = start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {tmp_path}
manage-script-name = true
mount = /shop=shop.py
""", name="mounts-only")
    assert seen(port, "/shop/a")[1]["app"] == "shop"
    status, body = seen(port, "/other")
    assert status == 500
    wait_until(lambda: 'no app is mounted for GET /other (SCRIPT_NAME "")' in server.log(), message="no-app line")
    # The access line is written after the error line (the loop flushes its access log at the end of its turn).
    wait_until(lambda: re.search(r'"GET /other HTTP/1.1" 500', server.log()), message="the 500 in the access log")
    # no-default-app: a SCRIPT_NAME that names no mount is refused instead of going to the root app.
    start_liege(f"""[uwsgi]
socket = 127.0.0.1:{uwsgi_port}
chdir = {tmp_path}
wsgi-file = root.py
mount = /shop=shop.py
no-default-app = true
""", name="no-default")
    assert uwsgi_seen(uwsgi_port, "", "/x")[1]["app"] == "root"
    assert uwsgi_seen(uwsgi_port, "/shop", "/x")[1]["app"] == "shop"
    assert uwsgi_seen(uwsgi_port, "/nowhere", "/x")[0] == 500


def test_mounted_apps_are_preloaded_with_lazy_apps_off(start_liege, tmp_path):
    port = free_port()
    server = start_liege(mounted_vassal(port, tmp_path, "lazy-apps = false\n"))
    wait_until(lambda: "preloader ready" in server.log(), message="preloader ready")
    assert seen(port, "/shop/x")[1]["app"] == "shop"
    assert seen(port, "/blog/x")[1]["app"] == "blog"
    # Loaded once, by the preloader; the workers forked from it serve every mount.
    assert server.log().count("app loaded: shop:app (mounted at /shop)") == 1


def test_reload_is_aborted_when_a_mounted_app_no_longer_imports(start_liege, tmp_path):
    port = free_port()
    server = start_liege(mounted_vassal(port, tmp_path))
    assert seen(port, "/blog/x")[1]["app"] == "blog"
    (tmp_path / "blog.wsgi").write_text("raise RuntimeError('broken deploy')\n")
    server.signal(signal.SIGHUP)
    server.wait_log("reload aborted: the new worker could not load the app")
    assert "broken deploy" in server.log()
    assert all(seen(port, "/blog/x")[1]["app"] == "blog" for _ in range(4))
    assert seen(port, "/shop/x")[1]["app"] == "shop"


def test_mount_values_that_cannot_work_are_located_errors(liege_bin, tmp_path):
    ini = tmp_path / "bad.ini"
    ini.write_text("""[uwsgi]
module = site.wsgi
mount = shop=shop.py
mount = /paste=development.ini
mount = /odd=/srv/app/wsgi
mount = /=other.wsgi
mount = /api=api:app
mount = /api/=api2:app
mount = /nothing=
""")
    result = subprocess.run([liege_bin, "--check-config", str(ini)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any("bad.ini:3:" in line and 'starting with "/"' in line for line in lines), lines
    assert any("bad.ini:4:" in line and "PasteDeploy" in line for line in lines), lines
    assert any("bad.ini:5:" in line and "neither a .py or .wsgi file nor a module" in line for line in lines), lines
    assert any("bad.ini:9:" in line and "no app after" in line for line in lines), lines
    assert any("two apps are mounted at the root" in line for line in lines), lines
    assert any('two apps are mounted at "/api"' in line for line in lines), lines


def test_wsgi_disable_file_wrapper_leaves_it_out_of_the_environ(start_liege, tmp_path):
    port = free_port()
    write_reporter(tmp_path, "root.py", "root")
    start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {tmp_path}/root.py\nwsgi-disable-file-wrapper = true\n")
    assert seen(port, "/")[1]["wrapper"] is False


def test_http_timeout_is_the_client_timeout_of_http_connections(start_liege, tmp_path):
    port, uwsgi_port = free_port(), free_port()
    write_reporter(tmp_path, "root.py", "root")
    start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
socket = 127.0.0.1:{uwsgi_port}
wsgi-file = {tmp_path}/root.py
socket-timeout = 30
http-timeout = 1
""")
    with RawConnection(port) as conn:
        started = time.monotonic()
        conn.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
        response = conn.read_response()
        assert response.status == 408
        assert 0.8 < time.monotonic() - started < 10
    # A uwsgi-protocol connection keeps socket-timeout: half a packet is still waited for after 3 s.
    with socket.create_connection(("127.0.0.1", uwsgi_port), timeout=10) as conn:
        conn.sendall(struct.pack("<BHB", 0, 200, 0) + b"\x0e\x00REQUEST_METHOD")
        conn.settimeout(3)
        try:
            data = conn.recv(100)
        except socket.timeout:
            data = None
        assert data is None, data


def test_memory_report_prefixes_request_lines_and_stats_report_memory(start_liege, tmp_path):
    port = free_port()
    stats = tmp_path / "stats.sock"
    write_reporter(tmp_path, "root.py", "root")
    server = start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {tmp_path}/root.py
memory-report = true
stats = {stats}
""")
    assert seen(port, "/first")[0] == 200
    pattern = (r"\{address space usage: (\d+) bytes/(\d+)MB\} \{rss usage: (\d+) bytes/(\d+)MB\} "
               r'\S+ - - \[[^]]+\] "GET /first HTTP/1.1" 200')
    wait_until(lambda: re.search(pattern, server.log()), message="memory-report line")
    vsz, vsz_mb, rss, rss_mb = map(int, re.search(pattern, server.log()).groups())
    assert 1 << 20 < rss <= vsz and rss_mb == rss >> 20 and vsz_mb == vsz >> 20
    worker = read_stats(str(stats))["workers"][0]
    assert worker["rss"] > 1 << 20 and worker["vsz"] >= worker["rss"]


def test_memory_report_2_adds_uss_and_pss_and_log_format_variables(start_liege, tmp_path):
    port = free_port()
    write_reporter(tmp_path, "root.py", "root")
    server = start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {tmp_path}/root.py
memory-report = 2
log-format = %(method) %(uri) rss=%(rssM)MB vsz=%(vsz) pss=%(pss)
""")
    assert seen(port, "/mem")[0] == 200
    pattern = (r"\{address space usage: \d+ bytes/\d+MB\} \{rss usage: \d+ bytes/\d+MB\} "
               r"\{uss usage: (\d+) bytes/\d+MB\} \{pss usage: (\d+) bytes/\d+MB\} GET /mem rss=(\d+)MB vsz=(\d+) pss=(\d+)")
    wait_until(lambda: re.search(pattern, server.log()), message="memory-report 2 line")
    uss, pss, rss_mb, vsz, pss_again = map(int, re.search(pattern, server.log()).groups())
    assert 0 < uss <= pss and rss_mb >= 1 and vsz > rss_mb << 20 and pss_again > 0


def test_static_map_sees_the_path_after_the_split(start_liege, tmp_path):
    port = free_port()
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.txt").write_text("static a")
    server_config = mounted_vassal(port, tmp_path, f"static-map = /static={tmp_path}/files\n")
    start_liege(server_config)
    assert http_request(port, path="/static/a.txt")[2] == b"static a"
    assert http_request(port, path="/shop/static/a.txt")[2] == b"static a"
    assert seen(port, "/shop/other")[1]["app"] == "shop"


def test_the_guide_site_serves_its_three_apps(start_liege, tmp_path):
    port = free_port()
    (tmp_path / "portal").mkdir()
    (tmp_path / "blog").mkdir()
    (tmp_path / "shop").mkdir()
    write_reporter(tmp_path / "portal", "wsgi.py", "portal")
    write_reporter(tmp_path / "shop", "wsgi.py", "shop")
    (tmp_path / "shop" / "__init__.py").write_text("")
    write_reporter(tmp_path / "blog", "blog.wsgi", "blog")
    ini = substituted(doc_block("apps.md", "site.ini"), ("http-socket = :8000", f"http-socket = 127.0.0.1:{port}"),
                      ("chdir = /srv/site", f"chdir = {tmp_path}"), ("/srv/site/blog", f"{tmp_path}/blog"))
    start_liege(ini)
    assert seen(port, "/shop/cart")[1] == {"app": "shop", "script": "/shop", "path": "/cart", "wrapper": True}
    assert seen(port, "/blog/2024/hello")[1] == {"app": "blog", "script": "/blog", "path": "/2024/hello", "wrapper": True}
    assert seen(port, "/shopping")[1] == {"app": "portal", "script": "", "path": "/shopping", "wrapper": True}
