"""Routes for the event-loop tests: echo, small body reads, sleeps and streams that leave marker files.

Every route takes its parameters from the query string. Marker files let a test know what the app did
(started, yielded, closed) without measuring time.
"""
import hashlib
import json
import os
import time
import urllib.parse


def params(environ):
    return dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))


def reply(start_response, obj, status="200 OK"):
    body = json.dumps(obj, sort_keys=True).encode()
    start_response(status, [("Content-Type", "application/json")])
    return [body]


def mark(path, text):
    """Writes a marker file whole (a reader never sees it half-written)."""
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def wait_for_file(path, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def echo(environ, start_response):
    """The request as the app saw it, with the length and sha256 of the whole body (one read())."""
    data = environ["wsgi.input"].read()
    return reply(start_response, {
        "pid": os.getpid(), "method": environ["REQUEST_METHOD"], "path": environ["PATH_INFO"],
        "uri": environ.get("REQUEST_URI", ""), "query": environ.get("QUERY_STRING", ""),
        "length": len(data), "sha256": hashlib.sha256(data).hexdigest()})


def no_read(environ, start_response):
    """Answers without touching wsgi.input."""
    return reply(start_response, {"pid": os.getpid(), "query": environ.get("QUERY_STRING", "")})


def small_reads(environ, start_response):
    """Reads the body in read(n) calls (n = 1000 unless `n`), hashing; `m`: a marker file gets
    {length, reads, error} at the end, also when a read fails."""
    query = params(environ)
    size = int(query.get("n", "1000"))
    digest, total, reads, error = hashlib.sha256(), 0, 0, None
    try:
        stream = environ["wsgi.input"]
        while chunk := stream.read(size):
            assert len(chunk) <= size, f"read({size}) returned {len(chunk)} bytes"
            digest.update(chunk)
            total += len(chunk)
            reads += 1
    except Exception as failure:  # noqa: BLE001 - the marker records it, then the server sees it
        error = f"{type(failure).__name__}: {failure}"
        raise
    finally:
        if "m" in query:
            mark(query["m"], json.dumps({"length": total, "reads": reads, "error": error}))
    return reply(start_response, {"pid": os.getpid(), "length": total, "reads": reads,
                                  "sha256": digest.hexdigest()})


def sleep(environ, start_response):
    """`d/started-T` (holding the pid) at the start, sleeps `s` s, `d/finished-T` before answering
    `size` bytes of b"x" (default: a JSON line)."""
    query = params(environ)
    tag, directory = query.get("t", "0"), query.get("d")
    if directory:
        mark(os.path.join(directory, f"started-{tag}"), str(os.getpid()))
    time.sleep(float(query.get("s", "1")))
    if directory:
        mark(os.path.join(directory, f"finished-{tag}"), str(os.getpid()))
    if "size" in query:
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return [b"x" * int(query["size"])]
    return reply(start_response, {"pid": os.getpid(), "tag": tag})


class Endless:
    """Blocks of `block` bytes every `delay` s, for at most 60 s; close() writes `closed` to `m`."""

    def __init__(self, marker, block, delay):
        self.marker, self.block, self.delay = marker, block, delay

    def __iter__(self):
        deadline = time.monotonic() + 60
        data = b"y" * self.block
        while time.monotonic() < deadline:
            yield data
            if self.delay:
                time.sleep(self.delay)

    def close(self):
        mark(self.marker, "closed")


def endless(environ, start_response):
    query = params(environ)
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return Endless(query["m"], int(query.get("block", "65536")), float(query.get("delay", "0")))


def lockstep(environ, start_response):
    """Sends the comma-separated `blocks` one at a time; before each block after the first it waits
    (up to 30 s) for the file `d/go-I` the test writes once it has received block I-1, and notes
    `go-I seen` or `go-I timeout` in `d/lockstep.log`. `mode=write` sends with write() instead of
    yield; `length=1` declares the total Content-Length; `type` sets the Content-Type."""
    query = params(environ)
    blocks = [block.encode() for block in query["blocks"].split(",")]
    directory = query["d"]
    headers = [("Content-Type", query.get("type", "text/plain"))]
    if query.get("length") == "1":
        headers.append(("Content-Length", str(sum(len(block) for block in blocks))))
    write = start_response("200 OK", headers)

    def wait_turn(index):
        seen = wait_for_file(os.path.join(directory, f"go-{index}"))
        with open(os.path.join(directory, "lockstep.log"), "a") as log:
            log.write(f"go-{index} {'seen' if seen else 'timeout'}\n")

    if query.get("mode") == "write":
        for index, block in enumerate(blocks):
            if index:
                wait_turn(index)
            write(block)
        return []

    def generate():
        for index, block in enumerate(blocks):
            if index:
                wait_turn(index)
            yield block
    return generate()


def declared_length(environ, start_response):
    """Declares Content-Length `declared` and yields `body` in two pieces."""
    query = params(environ)
    body = query["body"].encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", query["declared"])])

    def generate():
        yield body[:3]
        yield body[3:]
    return generate()


def stream(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def generate():
        for index in range(3):
            yield b"block %d\n" % index
    return generate()


ROUTES = {
    "/no-read": no_read,
    "/small-reads": small_reads,
    "/sleep": sleep,
    "/endless": endless,
    "/lockstep": lockstep,
    "/declared-length": declared_length,
    "/stream": stream,
}


def application(environ, start_response):
    return ROUTES.get(environ["PATH_INFO"], echo)(environ, start_response)
