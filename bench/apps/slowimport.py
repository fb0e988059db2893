"""An app whose import takes 1 s (reload scenario). Its body names the generation it was loaded as:
the harness writes ./generation before each SIGHUP, so the first answer carrying the new name is the
first answer of a new worker."""

import time

time.sleep(1.0)
with open("generation") as f:
    GENERATION = f.read().strip().encode()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(GENERATION)))])
    return [GENERATION]
