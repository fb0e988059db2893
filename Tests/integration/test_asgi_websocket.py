"""ASGI WebSockets (issue 14) through the real binary: the `websockets` client library against the plain
fixture app, Starlette and a Django Channels chat; malformed upgrades and frames sent by hand, each
answered per RFC 6455 while other clients are served; permessage-deflate (RFC 7692); nginx in front;
a graceful stop and a reload with WebSockets open."""
import json
import os
import signal
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from asgi_support import (CHAT, RawWebSocket, asgi_ini, chat, close_payload, frame, serve_asgi,  # noqa: F401
                          starlette, upgrade_request)
from nginx_support import Nginx, proxy_pass_websockets
from support import RawConnection, free_port, http_request, wait_until


TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA


def ws(port, path="/ws", **kwargs):
    kwargs.setdefault("open_timeout", 10)
    kwargs.setdefault("close_timeout", 5)
    return connect(f"ws://127.0.0.1:{port}{path}", **kwargs)


def echoes(port, path="/ws"):
    """A new client is served normally: a text and a binary message come back."""
    with ws(port, path) as client:
        client.send("still here")
        assert client.recv(timeout=10) == "still here"
        client.send(b"\x00\xff")
        assert client.recv(timeout=10) == b"\x00\xff"
    return True


def http_ok(port):
    """The chat project's plain Django view answers."""
    return http_request(port, path="/hello/", headers={"Host": "localhost"})[0] == 200


def closed_with(client, code):
    """Reads until the server closes; the close code it sent must be `code`."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            client.recv(timeout=10)
    assert closed.value.rcvd is not None, f"no close frame from the server ({closed.value})"
    assert closed.value.rcvd.code == code, closed.value
    return closed.value.rcvd


@pytest.fixture
def raw_app(start_liege, tmp_path):
    server = serve_asgi(start_liege, "asgi_raw:app", f"env = ASGI_DISCONNECT_FILE={tmp_path / 'ws-disconnect'}",
                        "websocket-max-size = 1024")
    server.marker = tmp_path / "ws-disconnect"
    return server


# The plain app

def test_echo_text_and_binary(raw_app):
    with ws(raw_app.port) as client:
        for message in ["hello", "h\u00e9llo \u2603", "", "x" * 1000]:
            client.send(message)
            assert client.recv(timeout=10) == message
        for message in [b"\x00\x01\x02", b"", os.urandom(1000)]:
            client.send(message)
            assert client.recv(timeout=10) == message


def test_websocket_scope(raw_app):
    with ws(raw_app.port, "/ws-scope?room=1", subprotocols=["chat.v2", "chat.v1"],
            additional_headers={"X-Thing": "Value"}) as client:
        scope = json.loads(client.recv(timeout=10))
        client_port = client.socket.getsockname()[1]
    assert (scope["type"], scope["scheme"]) == ("websocket", "ws")
    assert (scope["path"], scope["raw_path"], scope["query_string"]) == ("/ws-scope", "/ws-scope", "room=1")
    assert scope["http_version"] == "1.1"
    assert scope["subprotocols"] == ["chat.v2", "chat.v1"]
    assert ["x-thing", "Value"] in scope["headers"]
    assert any(name == "sec-websocket-key" for name, _ in scope["headers"])
    assert scope["client"] == ["127.0.0.1", client_port]
    assert scope["server"] == ["127.0.0.1", raw_app.port]
    assert scope["state"] == {"greeting": "hello from lifespan"}


def test_subprotocol_and_accept_headers(raw_app):
    with ws(raw_app.port, subprotocols=["chat.v2", "chat.v1"]) as client:
        assert client.subprotocol == "chat.v2"
        assert client.response.status_code == 101
        assert client.response.headers["Sec-WebSocket-Protocol"] == "chat.v2"
        assert client.response.headers["X-WS"] == "yes"
    with ws(raw_app.port) as client:
        assert client.subprotocol is None
        assert "Sec-WebSocket-Protocol" not in client.response.headers


def test_handshake_accept_value(raw_app):
    with RawWebSocket(raw_app.port) as conn:
        # RFC 6455 section 1.3's example key and its accept value.
        response = conn.handshake(key="dGhlIHNhbXBsZSBub25jZQ==")
        assert response.status == 101
        assert response.headers["upgrade"].lower() == "websocket"
        assert "upgrade" in response.headers["connection"].lower()
        assert response.headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_close_code_from_the_app(raw_app):
    with ws(raw_app.port) as client:
        client.send("close")
        received = closed_with(client, 4001)
        assert received.reason == "asked to"
    assert echoes(raw_app.port)


def test_client_close_reaches_the_app_as_disconnect(raw_app):
    with ws(raw_app.port) as client:
        client.send("one")
        assert client.recv(timeout=10) == "one"
        client.close(code=1000)
        assert client.close_code == 1000   # the server answered the close with its own
    wait_until(lambda: "ws disconnect 1000" in raw_app.marker.read_text(), 20, message="the app's websocket.disconnect")


def test_close_without_a_code_reaches_the_app_as_1005(raw_app):
    with RawWebSocket(raw_app.port) as conn:
        assert conn.handshake().status == 101
        conn.send(frame(CLOSE, b""))
        assert conn.read_close_code() in (None, 1000)
        assert conn.closed_by_server(10)
    wait_until(lambda: raw_app.marker.exists() and "ws disconnect 1005" in raw_app.marker.read_text(), 20,
               message="the app's websocket.disconnect with 1005")


def test_app_exception_after_accept_closes_with_1011(raw_app):
    with ws(raw_app.port) as client:
        client.send("raise")
        closed_with(client, 1011)
    raw_app.wait_log("RuntimeError: boom in a WebSocket")
    assert echoes(raw_app.port)


def test_client_that_vanishes_gives_the_app_a_disconnect(raw_app):
    conn = RawWebSocket(raw_app.port)
    assert conn.handshake().status == 101
    conn.close()
    wait_until(lambda: raw_app.marker.exists() and "ws disconnect 1006" in raw_app.marker.read_text(), 20,
               message="the app's websocket.disconnect with 1006")


def test_deny_before_accept_is_a_403(raw_app):
    with pytest.raises(InvalidStatus) as denied:
        ws(raw_app.port, "/deny")
    assert denied.value.response.status_code == 403
    assert echoes(raw_app.port)


def test_fragmented_message_with_a_ping_between_is_reassembled(raw_app):
    with RawWebSocket(raw_app.port) as conn:
        assert conn.handshake().status == 101
        conn.send(frame(TEXT, "caf\u00e9 ".encode()[:4], fin=False))   # splits the UTF-8 of é across frames
        conn.send(frame(PING, b"in between"))
        conn.send(frame(CONTINUATION, "caf\u00e9 ".encode()[4:], fin=False))
        conn.send(frame(CONTINUATION, b"au lait"))
        assert conn.read_frame() == (PONG, b"in between")
        assert conn.read_frame() == (TEXT, "caf\u00e9 au lait".encode())


def test_ping_is_answered_with_its_payload(raw_app):
    with RawWebSocket(raw_app.port) as conn:
        assert conn.handshake().status == 101
        conn.send(frame(PING, b"are you there"))
        assert conn.read_frame() == (PONG, b"are you there")
        conn.send(frame(CLOSE, close_payload(1000)))
        assert conn.read_close_code() == 1000
        assert conn.closed_by_server(10)


def test_big_binary_message_round_trips(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app")
    data = os.urandom(3 * 1024 * 1024)
    with ws(server.port, max_size=None) as client:
        client.send(data)
        assert client.recv(timeout=30) == data


# Malformed upgrades and frames: the RFC's answer, and the worker goes on serving

def test_bad_sec_websocket_key_is_a_400(raw_app):
    for key in ["not base64!", "c2hvcnQ=", None]:   # invalid, 5 bytes decoded, missing
        with RawConnection(raw_app.port) as conn:
            conn.send(upgrade_request(key=key))
            assert conn.read_response().status == 400, key
    assert echoes(raw_app.port)


def test_unsupported_version_is_a_426_naming_13(raw_app):
    with RawConnection(raw_app.port) as conn:
        conn.send(upgrade_request(version="12"))
        response = conn.read_response()
    assert response.status == 426
    assert response.headers["sec-websocket-version"] == "13"
    assert echoes(raw_app.port)


def test_unmasked_client_frame_closes_with_1002(raw_app):
    with RawWebSocket(raw_app.port) as conn:
        assert conn.handshake().status == 101
        conn.send(frame(TEXT, b"no mask", mask=False))
        assert conn.read_close_code() == 1002
        assert conn.closed_by_server(10)
    assert echoes(raw_app.port)


def test_oversized_message_closes_with_1009(raw_app):
    with ws(raw_app.port) as client:
        client.send("x" * 1000)                 # under websocket-max-size = 1024
        assert client.recv(timeout=10) == "x" * 1000
        client.send("x" * 2000)
        closed_with(client, 1009)
    with RawWebSocket(raw_app.port) as conn:  # the limit is on the message, not on each fragment
        assert conn.handshake().status == 101
        conn.send(frame(BINARY, b"y" * 600, fin=False))
        conn.send(frame(CONTINUATION, b"y" * 600))
        assert conn.read_close_code() == 1009
    assert echoes(raw_app.port)


def test_invalid_utf8_text_closes_with_1007(raw_app):
    with RawWebSocket(raw_app.port) as conn:
        assert conn.handshake().status == 101
        conn.send(frame(TEXT, b"bad \xff\xfe text"))
        assert conn.read_close_code() == 1007
        assert conn.closed_by_server(10)
    assert echoes(raw_app.port)


@pytest.mark.parametrize("code", [999, 1004, 1005, 1006, 1015, 2999, 5000])
def test_bad_close_code_closes_with_1002(raw_app, code):
    with RawWebSocket(raw_app.port) as conn:
        assert conn.handshake().status == 101
        conn.send(frame(CLOSE, close_payload(code)))
        assert conn.read_close_code() == 1002
        assert conn.closed_by_server(10)
    assert echoes(raw_app.port)


def test_other_protocol_violations_close_with_1002(raw_app):
    cases = {
        "reserved bit set": frame(TEXT, b"x", rsv=0b010),
        "reserved opcode": frame(0x3, b"x"),
        "fragmented ping": frame(PING, b"x", fin=False),
        "ping over 125 bytes": frame(PING, b"x" * 126),
        "continuation with nothing to continue": frame(CONTINUATION, b"x"),
        "new message inside a fragmented one": frame(TEXT, b"a", fin=False) + frame(TEXT, b"b"),
        "close with a 1-byte payload": frame(CLOSE, b"\x03"),
    }
    for name, data in cases.items():
        with RawWebSocket(raw_app.port) as conn:
            assert conn.handshake().status == 101
            conn.send(data)
            assert conn.read_close_code() == 1002, name
    assert echoes(raw_app.port)


def test_malformed_clients_do_not_disturb_an_open_websocket(raw_app):
    with ws(raw_app.port) as steady:
        steady.send("before")
        assert steady.recv(timeout=10) == "before"
        with RawWebSocket(raw_app.port) as bad:
            assert bad.handshake().status == 101
            bad.send(frame(TEXT, b"x", mask=False))
            assert bad.read_close_code() == 1002
        with RawConnection(raw_app.port) as bad:
            bad.send(upgrade_request(version="7"))
            assert bad.read_response().status == 426
        steady.send("after")
        assert steady.recv(timeout=10) == "after"


# permessage-deflate (RFC 7692)

def test_permessage_deflate_is_negotiated_and_messages_round_trip(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app")
    with ws(server.port, max_size=None) as client:    # the websockets client offers permessage-deflate
        assert "permessage-deflate" in client.response.headers.get("Sec-WebSocket-Extensions", "")
        for message in ["compress me " * 5000, "tiny", "", "\u2603" * 3000, bytes(range(256)) * 400, os.urandom(5000)]:
            client.send(message)
            assert client.recv(timeout=10) == message


def test_permessage_deflate_can_be_turned_off(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app", "websocket-per-message-deflate = false")
    with ws(server.port) as client:
        assert "Sec-WebSocket-Extensions" not in client.response.headers
        client.send("plain " * 100)
        assert client.recv(timeout=10) == "plain " * 100


def test_compression_off_on_the_client_works_too(raw_app):
    with ws(raw_app.port, compression=None) as client:
        assert "Sec-WebSocket-Extensions" not in client.response.headers
        client.send("plain")
        assert client.recv(timeout=10) == "plain"


# Starlette

def test_starlette_websocket_echo(starlette):
    with ws(starlette.port) as client:
        client.send("hello starlette")
        assert client.recv(timeout=10) == "hello starlette"
        client.send(b"\x01\x02")
        assert client.recv(timeout=10) == b"\x01\x02"
    with pytest.raises(InvalidStatus) as denied:   # no WebSocket route there: Starlette closes before accept
        ws(starlette.port, "/nowhere")
    assert denied.value.response.status_code == 403


# Django Channels

def test_channels_chat_two_clients_see_each_others_messages(chat):
    room = "/ws/chat/lobby/"
    with ws(chat.port, room) as alice, ws(chat.port, room) as bob, ws(chat.port, "/ws/chat/other/") as carol:
        alice.send("hi from alice")
        assert alice.recv(timeout=10) == "hi from alice"
        assert bob.recv(timeout=10) == "hi from alice"
        bob.send("hi from bob")
        assert bob.recv(timeout=10) == "hi from bob"
        assert alice.recv(timeout=10) == "hi from bob"
        with pytest.raises(TimeoutError):   # another room hears nothing
            carol.recv(timeout=0.5)
        carol.send("only carol")
        assert carol.recv(timeout=10) == "only carol"
        with pytest.raises(TimeoutError):
            alice.recv(timeout=0.5)


def test_app_exception_before_accept_is_a_500(chat):
    """Channels' URLRouter raises for a path it has no route for, before any accept: like uvicorn, a 500."""
    with pytest.raises(InvalidStatus) as refused:
        ws(chat.port, "/ws/nowhere/")
    assert refused.value.response.status_code == 500
    chat.wait_log("No route found for path")
    assert http_ok(chat.port)


# nginx in front (proxy_pass with Upgrade and Connection)

def test_websockets_through_nginx(start_liege, tmp_path):
    server = serve_asgi(start_liege, "asgi_raw:app")
    nginx = Nginx(tmp_path / "nginx", proxy_pass_websockets(server.port))
    try:
        with ws(nginx.port, "/ws-scope", subprotocols=["chat.v1"]) as client:
            scope = json.loads(client.recv(timeout=10))
            assert scope["subprotocols"] == ["chat.v1"]
            assert client.subprotocol == "chat.v1"
            for message in ["through nginx", b"\x00binary\xff", "z" * 200000]:
                client.send(message)
                assert client.recv(timeout=10) == message
        with pytest.raises(InvalidStatus) as denied:
            ws(nginx.port, "/deny")
        assert denied.value.response.status_code == 403
    finally:
        nginx.stop()


def test_channels_chat_through_nginx(start_liege, tmp_path):
    server = serve_asgi(start_liege, "chatsite.asgi:application", chdir=CHAT)
    nginx = Nginx(tmp_path / "nginx", proxy_pass_websockets(server.port))
    try:
        with ws(nginx.port, "/ws/chat/n/") as alice, ws(nginx.port, "/ws/chat/n/") as bob:
            alice.send("via nginx")
            assert bob.recv(timeout=10) == "via nginx"
            assert alice.recv(timeout=10) == "via nginx"
    finally:
        nginx.stop()


# Stop and reload with WebSockets open

def test_graceful_stop_closes_open_websockets_with_1001(raw_app):
    with ws(raw_app.port) as client:
        client.send("before the stop")
        assert client.recv(timeout=10) == "before the stop"
        started = time.monotonic()
        raw_app.signal(signal.SIGTERM)
        closed_with(client, 1001)
    assert raw_app.exit_code(30) == 0
    assert time.monotonic() - started < 25, "a graceful stop does not wait for open WebSockets to end by themselves"
    assert "ws disconnect 1001" in raw_app.marker.read_text()


def test_reload_closes_open_websockets_with_1001_and_new_ones_reach_the_new_worker(start_liege, tmp_path):
    marker = tmp_path / "ws-disconnect"
    server = serve_asgi(start_liege, "asgi_raw:app", f"env = ASGI_DISCONNECT_FILE={marker}")
    with ws(server.port, "/ws-scope") as client:
        old = json.loads(client.recv(timeout=10))["pid"]
        server.signal(signal.SIGHUP)
        closed_with(client, 1001)
    wait_until(lambda: "ws disconnect 1001" in marker.read_text(), 20, message="the old app's websocket.disconnect")

    def new_pid():
        with ws(server.port, "/ws-scope") as fresh:
            pid = json.loads(fresh.recv(timeout=10))["pid"]
        return pid if pid != old else None
    wait_until(new_pid, 60, message="a WebSocket served by the new worker")


def test_channels_chat_under_the_emperor_across_a_touch_reload(emperor):
    server, vassals = emperor()
    port = free_port()
    ini = vassals / "chat.ini"
    ini.write_text(asgi_ini(port, "chatsite.asgi:application", chdir=CHAT))
    wait_until(lambda: http_ok(port), 60, message="the chat vassal serves")
    master = server.master_of("chat")
    with ws(port, "/ws/chat/e/") as alice:
        os.utime(ini)
        closed_with(alice, 1001)
    server.wait_log(f"vassal chat (pid {master}) reloaded")

    def chat_works():
        with ws(port, "/ws/chat/e/") as alice, ws(port, "/ws/chat/e/") as bob:
            alice.send("after the reload")
            return bob.recv(timeout=10) == "after the reload"
    wait_until(chat_works, 60, message="the chat after the reload")
    assert server.master_of("chat") == master
