"""Shows what routing left of the request: PATH_INFO, QUERY_STRING, REQUEST_URI and a routed variable
as JSON; answers with a header that `delheader` can remove."""
import json


def application(environ, start_response):
    seen = {key: environ.get(key, "") for key in ("PATH_INFO", "QUERY_STRING", "REQUEST_URI", "ROUTED")}
    body = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("X-Internal", "secret"),
                              ("X-Kept", "yes"), ("Content-Length", str(len(body)))])
    return [body]
