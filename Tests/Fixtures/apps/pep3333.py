"""One WSGI app with a route per PEP 3333 point the integration tests check."""
import hashlib
import json
import os
import sys
import time


def _json(start_response, obj, status="200 OK"):
    body = json.dumps(obj, sort_keys=True).encode()
    start_response(status, [("Content-Type", "application/json")])
    return [body]


def environ_view(environ, start_response):
    keys = {}
    for key, value in environ.items():
        if isinstance(value, str):
            keys[key] = value
        elif isinstance(value, (bool, int, tuple)):
            keys[key] = repr(value)
    keys["input_type"] = type(environ["wsgi.input"]).__name__
    keys["pid"] = str(os.getpid())
    return _json(start_response, keys)


def echo_body(environ, start_response):
    data = environ["wsgi.input"].read()
    return _json(start_response, {"length": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                  "head": data[:64].decode("latin-1")})


def upload_sha(environ, start_response):
    digest = hashlib.sha256()
    total = 0
    stream = environ["wsgi.input"]
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        digest.update(chunk)
        total += len(chunk)
    return _json(start_response, {"length": total, "sha256": digest.hexdigest()})


def readlines_view(environ, start_response):
    stream = environ["wsgi.input"]
    first = stream.readline()
    limited = stream.readline(3)
    rest = stream.readlines()
    return _json(start_response, {"first": first.decode(), "limited": limited.decode(),
                                  "rest": [line.decode() for line in rest]})


def iterate_input(environ, start_response):
    lines = [line.decode() for line in environ["wsgi.input"]]
    return _json(start_response, {"lines": lines})


def stream_view(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def generate():
        for i in range(5):
            yield ("chunk %d\n" % i).encode()
    return generate()


def write_view(environ, start_response):
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    write(b"written-1 ")
    write(b"written-2 ")
    return [b"returned"]


def exc_info_view(environ, start_response):
    try:
        raise ValueError("app decided to fail")
    except ValueError:
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"handled error"]


def exc_info_replaces_status(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    try:
        raise KeyError("late")
    except KeyError:
        # Nothing was sent yet: the new status and headers replace the first ones (PEP 3333).
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")], sys.exc_info())
    return [b"replaced"]


def exc_info_after_head_sent(environ, start_response):
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    write(b"partial ")
    try:
        raise KeyError("too late to replace")
    except KeyError:
        # The head went out with the write: start_response must re-raise.
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
    return [b"never sent"]


class Closing:
    closed_marker = None

    def __init__(self, marker):
        self.marker = marker

    def __iter__(self):
        yield b"closing-body"

    def close(self):
        with open(self.marker, "w") as handle:
            handle.write("closed")


def close_view(environ, start_response):
    marker = environ.get("QUERY_STRING", "").partition("=")[2]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return Closing(marker)


def file_wrapper_view(environ, start_response):
    path = environ.get("QUERY_STRING", "").partition("=")[2]
    handle = open(path, "rb")
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return environ["wsgi.file_wrapper"](handle, 65536)


def crash_view(environ, start_response):
    raise RuntimeError("boom from the app")


def crash_late_view(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def generate():
        yield b"partial"
        raise RuntimeError("boom after the head")
    return generate()


def str_body_view(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return ["not bytes"]


def errors_view(environ, start_response):
    environ["wsgi.errors"].write("message to wsgi.errors\n")
    environ["wsgi.errors"].flush()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"logged"]


def slow_view(environ, start_response):
    seconds = float(environ.get("QUERY_STRING", "").partition("=")[2] or "1")
    time.sleep(seconds)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"slept"]


def headers_view(environ, start_response):
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Custom", "yes"), ("Set-Cookie", "a=1"),
                                   ("Set-Cookie", "b=2")])
    return [b"created"]


def empty_view(environ, start_response):
    start_response("204 No Content", [])
    return []


ROUTES = {
    "/environ": environ_view,
    "/echo": echo_body,
    "/upload": upload_sha,
    "/readlines": readlines_view,
    "/iterate": iterate_input,
    "/stream": stream_view,
    "/write": write_view,
    "/exc-info": exc_info_view,
    "/exc-info-replace": exc_info_replaces_status,
    "/exc-info-late": exc_info_after_head_sent,
    "/close": close_view,
    "/file": file_wrapper_view,
    "/crash": crash_view,
    "/crash-late": crash_late_view,
    "/str-body": str_body_view,
    "/errors": errors_view,
    "/slow": slow_view,
    "/headers": headers_view,
    "/empty": empty_view,
}


def application(environ, start_response):
    view = ROUTES.get(environ["PATH_INFO"])
    if view is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [("no route for %r" % environ["PATH_INFO"]).encode("utf-8", "surrogateescape")]
    return view(environ, start_response)
