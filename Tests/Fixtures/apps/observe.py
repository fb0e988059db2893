"""Observability fixture: /slow?s=SECONDS sleeps, /status/NNN answers NNN, /boom raises, else 200."""
import time


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/slow":
        seconds = float(environ.get("QUERY_STRING", "").partition("=")[2] or "1")
        time.sleep(seconds)
    elif path.startswith("/status/"):
        code = int(path.rsplit("/", 1)[1])
        start_response(f"{code} Status", [("Content-Type", "text/plain")])
        return [b"status\n"]
    elif path == "/boom":
        raise RuntimeError("boom")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
