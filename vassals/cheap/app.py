"""The app of vassals/cheap.ini: loaded only when the first request arrives (in cheap mode)."""


def application(environ, start_response):
    body = b"cheap app: started on demand\n"
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
