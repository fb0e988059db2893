"""Shows what routing left of the request: PATH_INFO, QUERY_STRING, REQUEST_URI and a routed variable
as JSON; answers with headers that routing can remove or replace. With ROUTING_CALLS set, each call
appends its PATH_INFO to that file (so a test sees which requests reached Python)."""
import json
import os


def application(environ, start_response):
    calls = os.environ.get("ROUTING_CALLS")
    if calls:
        with open(calls, "a") as log:
            log.write(environ.get("PATH_INFO", "") + "\n")
    seen = {key: environ.get(key, "") for key in ("PATH_INFO", "QUERY_STRING", "REQUEST_URI", "ROUTED")}
    body = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("X-Internal", "secret"),
                              ("X-Kept", "yes"), ("Content-Length", str(len(body)))])
    return [body]
