"""Hello-world WSGI app: a 13-byte body, Content-Length set (so keep-alive is possible everywhere)."""

BODY = b"Hello, World!"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]
