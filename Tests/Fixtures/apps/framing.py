"""Responses whose framing the server must get right: HEAD of a stream, lengths the body breaks."""


def head_stream(environ, start_response):
    """What werkzeug does: no Content-Length for a stream, and `()` as the body of every HEAD."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    if environ["REQUEST_METHOD"] == "HEAD":
        return ()
    return (("line %d\n" % i).encode() for i in range(3))


def empty_generator(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return (b"" for _ in range(0))


def too_long(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return iter([b"hello", b" world", b" and more"])


def too_long_list(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "3")])
    return [b"hello"]


def too_short(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "20")])
    return iter([b"short"])


def exact(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return iter([b"he", b"llo"])


ROUTES = {
    "/head-stream": head_stream,
    "/empty-generator": empty_generator,
    "/too-long": too_long,
    "/too-long-list": too_long_list,
    "/too-short": too_short,
    "/exact": exact,
}


def application(environ, start_response):
    view = ROUTES.get(environ["PATH_INFO"])
    if view is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"no route"]
    return view(environ, start_response)
