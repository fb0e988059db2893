"""An emperor vassal's app: its body is the wall-clock time it was imported, so a reload is seen as a
newer stamp."""

import time

STAMP = repr(time.time()).encode()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(STAMP)))])
    return [STAMP]
