"""uWSGI's internal routing through the real binary (issue 16 item 5, docs/routing.md): redirects,
returns, break and static files answered by the worker's loop without Python; rewrites and addvar
change what the app sees; header rules edit the app's response; donotlog drops the access line;
goto/labels, route-host and route-if conditions; a rule that does not parse is a located error."""
import json
import pathlib
import subprocess

from docs_support import doc_block, substituted
from support import RawConnection, free_port, http_request, raw_request
from test_static_traversal import uwsgi_request

APP = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures" / "apps" / "routing_app.py"


def start(start_liege, tmp_path, rules, protocol="http-socket"):
    """A master serving the routing app behind `rules`; returns (port, file of the paths Python saw, server)."""
    port = free_port()
    calls = tmp_path / "calls.txt"
    calls.write_text("")
    server = start_liege(f"[uwsgi]\n{protocol} = 127.0.0.1:{port}\nwsgi-file = {APP}\nenv = ROUTING_CALLS={calls}\n{rules}\n")
    return port, calls, server


def seen(port, path, headers=None):
    status, response_headers, body, _ = http_request(port, path=path, headers=headers)
    assert status == 200, (status, body)
    return json.loads(body), response_headers


def test_redirects_and_returns_are_answered_without_the_app(start_liege, tmp_path):
    port, calls, server = start(start_liege, tmp_path, r"""
route = ^/old/(.*) redirect:/new/$1
route-uri = ^/perm redirect-permanent:https://example.com${REQUEST_URI}
route = ^/private return:403
route = ^/missing break-with-status:404
route = ^/forbidden break:403 Go Away
route = ^/cut break:
""")
    status, headers, body, _ = http_request(port, path="/old/shop/item?x=1")
    assert (status, headers["Location"], body) == (302, "/new/shop/item", b"Moved")
    status, headers, body, _ = http_request(port, path="/perm/a?q=2")
    assert (status, headers["Location"], body) == (301, "https://example.com/perm/a?q=2", b"Moved Permanently")
    status, _, body, _ = http_request(port, path="/private")
    assert (status, body) == (403, b"Forbidden")
    status, _, body, _ = http_request(port, path="/missing")
    assert (status, body) == (404, b"Not Found")
    raw = raw_request(port, b"GET /forbidden HTTP/1.1\r\nHost: x\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 403 Go Away\r\n") and b"Connection: close" in raw
    assert raw_request(port, b"GET /cut HTTP/1.1\r\nHost: x\r\n\r\n") == b""
    server.wait_log('"GET /cut HTTP/1.1" 0')
    # The connection survives a redirect: keep-alive as usual.
    with RawConnection(port) as conn:
        for path, status in (("/old/a", 302), ("/private", 403), ("/plain", 200)):
            conn.request(path=path)
            response = conn.read_response()
            assert response.status == status and not response.closes(), response
    assert calls.read_text().splitlines() == ["/plain"]


def test_rewrite_and_addvar_change_what_the_app_sees(start_liege, tmp_path):
    port, _, _ = start(start_liege, tmp_path, r"""
route = ^/blog/(\d+)$ rewrite:/article?id=$1
route = ^/article addvar:ROUTED=after-rewrite
route = ^/docs/(.*) rewrite-last:/manual/$1
route = ^/manual addvar:ROUTED=not-reached
""")
    environ, _ = seen(port, "/blog/42?x=y")
    assert environ == {"PATH_INFO": "/article", "QUERY_STRING": "id=42&x=y", "REQUEST_URI": "/blog/42?x=y",
                       "ROUTED": "after-rewrite"}
    environ, _ = seen(port, "/docs/caf%C3%A9")
    assert environ["PATH_INFO"] == "/manual/caf\u00c3\u00a9"   # decoded bytes, as latin-1 (PEP 3333)
    assert environ["ROUTED"] == ""
    environ, _ = seen(port, "/untouched?a=1")
    assert (environ["PATH_INFO"], environ["QUERY_STRING"]) == ("/untouched", "a=1")


def test_header_rules_edit_the_app_response_and_routing_answers(start_liege, tmp_path):
    port, _, _ = start(start_liege, tmp_path, r"""
route-run = addheader:X-Frame-Options: DENY
route-run = delheader:X-Internal
route-run = setheader:X-Kept: replaced
route = ^/api addheader:X-Path: ${PATH_INFO}
route = ^/go redirect:/elsewhere
""")
    _, headers = seen(port, "/api/v1")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Kept"] == "replaced"
    assert headers["X-Path"] == "/api/v1"
    assert "X-Internal" not in headers
    status, headers, _, _ = http_request(port, path="/go")
    assert status == 302 and headers["X-Frame-Options"] == "DENY"


def test_static_serves_a_file_from_the_loop(start_liege, tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.png").write_bytes(b"\x89PNG logo")
    (tmp_path / "secret.txt").write_text("secret")
    port, calls, _ = start(start_liege, tmp_path, rf"""
route = ^/logo$ static:{tmp_path}/img/logo.png
route = ^/img/(.*) static:{tmp_path}/img/$1
""")
    status, headers, body, _ = http_request(port, path="/logo")
    assert (status, headers["Content-Type"], body) == (200, "image/png", b"\x89PNG logo")
    assert http_request(port, path="/img/none.png")[0] == 404
    raw = raw_request(port, b"GET /img/../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 403") and b"secret" not in raw.split(b"\r\n\r\n", 1)[1]
    assert calls.read_text() == ""


def test_donotlog_leaves_no_access_line(start_liege, tmp_path):
    port = free_port()
    server = start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {APP}
route = ^/health donotlog:
route = ^/health log:health check from ${{REMOTE_ADDR}}
route = ^/ping donotlog:
route = ^/ping return:200
""")
    assert http_request(port, path="/health")[0] == 200
    assert http_request(port, path="/ping")[0] == 200
    assert http_request(port, path="/logged")[0] == 200
    server.wait_log('"GET /logged HTTP/1.1" 200')
    log = server.log()
    assert "health check from 127.0.0.1" in log
    assert "GET /health" not in log and "GET /ping" not in log


def test_goto_labels_and_route_host(start_liege, tmp_path):
    port, _, server = start(start_liege, tmp_path, r"""
route-host = ^admin\. goto:admin
route-host = ^([a-z]+)\.shop\.test goto:$1
route-run = addvar:ROUTED=public
route-run = last:
route-label = admin
route-if-not = equal:${REMOTE_ADDR};10.9.9.9 break:403 Admins Only
route-label = books
route-run = addvar:ROUTED=books
""")
    assert seen(port, "/", headers={"Host": "www.example"})[0]["ROUTED"] == "public"
    assert http_request(port, path="/", headers={"Host": "admin.example"})[0] == 403
    assert seen(port, "/", headers={"Host": "books.shop.test"})[0]["ROUTED"] == "books"
    # A computed label that no route-label has: logged, answered 500.
    assert http_request(port, path="/", headers={"Host": "toys.shop.test"})[0] == 500
    server.wait_log('routing: "route-host" has "goto:toys", but no route-label "toys" follows')


def test_route_if_conditions(start_liege, tmp_path):
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "robots.txt").write_text("User-agent: *\n")
    port, calls, _ = start(start_liege, tmp_path, rf"""
route-if = isfile:{tmp_path}/www${{PATH_INFO}} static:{tmp_path}/www${{PATH_INFO}}
route-if = isdir:{tmp_path}${{PATH_INFO}} return:403
route-if = startswith:${{PATH_INFO}};/internal/ return:404
route-if = contains:${{HTTP_USER_AGENT}};BadBot return:403
route-if = regexp:${{QUERY_STRING}};^id=(\d+)$ addvar:ROUTED=item-$1
route-if = endswith:${{PATH_INFO}};.php redirect:/
""")
    status, _, body, _ = http_request(port, path="/robots.txt")
    assert (status, body) == (200, b"User-agent: *\n")
    assert http_request(port, path="/www")[0] == 403
    assert http_request(port, path="/internal/x")[0] == 404
    assert http_request(port, path="/", headers={"User-Agent": "BadBot/1.0"})[0] == 403
    assert seen(port, "/item?id=7")[0]["ROUTED"] == "item-7"
    assert http_request(port, path="/index.php")[0] == 302
    assert seen(port, "/ok")[0]["ROUTED"] == ""
    assert calls.read_text().splitlines() == ["/item", "/ok"]


def test_requests_over_the_uwsgi_protocol_are_routed(start_liege, tmp_path):
    port, calls, _ = start(start_liege, tmp_path, "route-run = addheader:X-Via: route\nroute = ^/old redirect:/new",
                        protocol="socket")
    raw = uwsgi_request(port, {"REQUEST_METHOD": "GET", "PATH_INFO": "/old", "REQUEST_URI": "/old",
                               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1"})
    assert raw.startswith(b"HTTP/1.1 302") and b"Location: /new\r\n" in raw and b"X-Via: route\r\n" in raw
    assert calls.read_text() == ""


def test_a_rule_that_does_not_parse_is_a_located_error(liege_bin, tmp_path):
    ini = tmp_path / "bad.ini"
    ini.write_text(f"""[uwsgi]
http-socket = 127.0.0.1:{free_port()}
wsgi-file = {APP}
route = ^/old redirct:/new
route-if = equl:${{PATH_INFO}};/a return:403
route = ^/(unclosed return:404
route-run = goto:nowhere
route-label = somewhere
""")
    result = subprocess.run([liege_bin, "--check-config", str(ini)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f'{ini}:4: "route" has an unknown routing action "redirct" (did you mean "redirect"?)' in result.stderr
    assert f'{ini}:5: "route-if" has an unknown route condition "equl" (did you mean "equal"?)' in result.stderr
    assert f'{ini}:6: "route" has an invalid regular expression "^/(unclosed"' in result.stderr
    assert f'{ini}:7: "route-run" has "goto:nowhere", but no route-label "nowhere" follows' in result.stderr
    result = subprocess.run([liege_bin, "--ini", str(ini)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "redirct" in result.stderr


def test_the_guide_s_site_rules_do_what_it_says(start_liege, tmp_path):
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    port = free_port()
    ini = substituted(doc_block("routing.md", "site.ini"), ("http-socket = :8000", f"http-socket = 127.0.0.1:{port}"),
                      ("chdir = /srv/shop\nmodule = shop.wsgi:application", f"wsgi-file = {APP}"),
                      ("processes = 4", "processes = 1"), ("/srv/shop/public/robots.txt", str(tmp_path / "robots.txt")))
    server = start_liege(ini)
    status, headers, _, _ = http_request(port, path="/cart?id=3", headers={"Host": "example.com"})
    assert (status, headers["Location"]) == (301, "https://www.example.com/cart?id=3")
    status, headers, _, _ = http_request(port, path="/catalog/12/", headers={"Host": "www.example.com"})
    assert (status, headers["Location"]) == (301, "/products/12/")
    assert http_request(port, path="/healthz")[2] == b"OK"
    assert http_request(port, path="/robots.txt")[2] == b"User-agent: *\nDisallow:\n"
    assert http_request(port, path="/admin/")[0] == 403     # 127.0.0.1 is not the office network
    _, headers = seen(port, "/products/12/")
    assert headers["X-Content-Type-Options"] == "nosniff"
    server.wait_log('"GET /products/12/ HTTP/1.1" 200')
    assert "/healthz" not in server.log()
