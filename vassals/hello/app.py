"""The smallest WSGI app: what `make run` serves on http://127.0.0.1:8000/."""


def application(environ, start_response):
    body = b"Hello from Liege!\n"
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
