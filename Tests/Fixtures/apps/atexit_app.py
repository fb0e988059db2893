"""Registers Python exit handlers, to see which worker stops run them (docs/lifecycle.md, "Exit handlers").

Environment: ATEXIT_FILE (required) gets one line `atexit pid=PID` per handler run; ATEXIT_MODE:
`write` (default), `raise` (a second handler raises before the line is written), `hang` (sleeps for an hour
after writing the line); LOG_FILE: requests are logged through a MemoryHandler that only flushes its
FileHandler target when it is closed (logging.shutdown, an atexit function)."""
import atexit
import logging
import logging.handlers
import os
import time

PATH = os.environ["ATEXIT_FILE"]
MODE = os.environ.get("ATEXIT_MODE", "write")


def record_exit():
    with open(PATH, "a") as stream:
        stream.write("atexit pid=%d\n" % os.getpid())
    if MODE == "hang":
        time.sleep(3600)


def broken_handler():
    raise RuntimeError("atexit handler failed on purpose")


atexit.register(record_exit)
if MODE == "raise":
    atexit.register(broken_handler)   # newest first: runs before record_exit

log = logging.getLogger("atexit_app")
log.propagate = False
log.setLevel(logging.INFO)
if os.environ.get("LOG_FILE"):
    target = logging.FileHandler(os.environ["LOG_FILE"])
    log.addHandler(logging.handlers.MemoryHandler(capacity=10000, flushLevel=logging.CRITICAL, target=target))


def application(environ, start_response):
    if environ["PATH_INFO"].startswith("/sleep/"):
        time.sleep(float(environ["PATH_INFO"].split("/")[2]))
    log.info("served %s pid=%d", environ["PATH_INFO"], os.getpid())
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [("pid=%d" % os.getpid()).encode()]
