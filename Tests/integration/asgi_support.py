"""Helpers for the ASGI tests: configs for the fixture apps, and WebSocket bytes spoken by hand for the
malformed cases."""
import base64
import json
import struct

import pytest

from conftest import APPS, FIXTURES, VENV
from support import RawConnection, free_port, http_request

CHAT = FIXTURES / "channels_chat"


def asgi_ini(port, app="asgi_raw:app", *lines, chdir=APPS):
    """A master serving `app` (an ASGI callable of the fixtures) over http-socket on `port`."""
    listen = f"http-socket = 127.0.0.1:{port}" if port is not None else ""
    return "\n".join(["[uwsgi]", listen, f"chdir = {chdir}", f"asgi = {app}", f"virtualenv = {VENV}",
                      "processes = 1", *lines]) + "\n"


def serve_asgi(start_liege, app="asgi_raw:app", *lines, chdir=APPS, name="app"):
    """Starts a master for `app`; returns it with `.port` set."""
    port = free_port()
    server = start_liege(asgi_ini(port, app, *lines, chdir=chdir), name=name)
    server.port = port
    return server


@pytest.fixture
def starlette(start_liege):
    """The Starlette fixture app on one worker."""
    return serve_asgi(start_liege, "starlette_app:app")


@pytest.fixture
def chat(start_liege):
    """The Django Channels chat project on one worker (its in-memory channel layer is per process)."""
    return serve_asgi(start_liege, "chatsite.asgi:application", chdir=CHAT)


def json_of(port, path, **kwargs):
    status, _, body, _ = http_request(port, path=path, **kwargs)
    assert status == 200, (status, body)
    return json.loads(body)


# WebSockets by hand (RFC 6455), for what a well-behaved client library cannot send.

GOOD_KEY = base64.b64encode(b"0123456789abcdef").decode()


def upgrade_request(path="/ws", key=GOOD_KEY, version="13", extra=()):
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade"]
    if key is not None:
        lines.append(f"Sec-WebSocket-Key: {key}")
    if version is not None:
        lines.append(f"Sec-WebSocket-Version: {version}")
    return ("\r\n".join([*lines, *extra]) + "\r\n\r\n").encode()


def frame(opcode, payload=b"", mask=True, fin=True, rsv=0):
    """One WebSocket frame; a client's is masked (a fixed key: the tests need no secrecy)."""
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    length = len(payload)
    bit = 0x80 if mask else 0
    if length < 126:
        head += bytes([bit | length])
    elif length < 65536:
        head += bytes([bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", length)
    if not mask:
        return head + payload
    key = b"\x11\x22\x33\x44"
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


class RawWebSocket(RawConnection):
    """A WebSocket spoken in raw bytes after a handshake made by hand."""

    def handshake(self, path="/ws", **kwargs):
        self.send(upgrade_request(path, **kwargs))
        return self.read_response(head_only=True)

    def read_frame(self):
        """(opcode, payload) of the next frame from the server (never masked)."""
        first, second = self.read_exactly(2)
        assert not second & 0x80, "a server's frame must not be masked"
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self.read_exactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self.read_exactly(8))[0]
        return first & 0x0F, self.read_exactly(length)

    def read_close_code(self):
        """The status code of the server's close frame (skipping pings and data before it)."""
        while True:
            opcode, payload = self.read_frame()
            if opcode == 0x8:
                return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
