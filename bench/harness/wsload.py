"""WebSocket load generator: N clients over raw sockets with a minimal RFC 6455 client framer, in one
process and one thread (epoll), started by the harness pinned to the load CPUs like wrk.

Two modes, both closed-loop (each client has one message in flight):
- echo: each client sends a small text message and waits for it to come back, then sends the next;
  counted: round trips.
- group: every client is in one group and the server sends each message to the whole group; a client
  sends its next message once its own came back through the group; counted: messages delivered to
  clients (each message sent is delivered once per member).

Clients offer no extension (no permessage-deflate): every server frames plain text. Prints one JSON
object: rate (per second), counts, the handshake failures (status lines), errors and the client's own
CPU use (a client near 100 % of its core means the number is the client's limit, not the server's).

    python wsload.py --port 8000 --path /ws --clients 64 --seconds 4 --mode echo
"""

import argparse
import base64
import hashlib
import json
import os
import select
import socket
import struct
import sys
import time

from clients import receive

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x2, 0x8, 0x9, 0xA


def client_frame(opcode, payload, mask):
    """One final, masked client frame (RFC 6455 5.2; clients must mask)."""
    length = len(payload)
    if length < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
    return head + mask + masked


def take_frames(buffer):
    """Complete server frames at the start of `buffer` (a bytearray, consumed): [(fin, opcode, payload)].
    Server frames are not masked (a masked one is still read correctly)."""
    frames = []
    offset, size = 0, len(buffer)
    while size - offset >= 2:
        first, second = buffer[offset], buffer[offset + 1]
        length = second & 0x7F
        start = offset + 2
        if length == 126:
            if size - start < 2:
                break
            length = int.from_bytes(buffer[start:start + 2], "big")
            start += 2
        elif length == 127:
            if size - start < 8:
                break
            length = int.from_bytes(buffer[start:start + 8], "big")
            start += 8
        mask = None
        if second & 0x80:
            if size - start < 4:
                break
            mask = buffer[start:start + 4]
            start += 4
        end = start + length
        if end > size:
            break
        payload = bytes(buffer[start:end])
        if mask is not None:
            payload = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
        frames.append((bool(first & 0x80), first & 0x0F, payload))
        offset = end
    if offset:
        del buffer[:offset]
    return frames


def handshake_request(port, path, key):
    return ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nUser-Agent: bench-wsload\r\n\r\n"
            % (path, port, key)).encode()


def check_handshake(head, key):
    """None when `head` (the response head, without the blank line) accepts the upgrade, else why not."""
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0]
    parts = status.split(" ", 2)
    if len(parts) < 2 or parts[1] != "101":
        return status or "no status line"
    expected = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-accept":
            return None if value.strip() == expected else "101 with a wrong Sec-WebSocket-Accept"
    return "101 without Sec-WebSocket-Accept"


class Client:
    __slots__ = ("index", "sock", "key", "buffer", "state", "mask", "tag", "seq", "frame", "expected",
                 "reply", "count")

    def __init__(self, index):
        self.index = index
        self.sock = None
        self.key = base64.b64encode(os.urandom(16)).decode()
        self.buffer = bytearray()
        self.state = "connecting"  # connecting, handshake, open, failed, closed
        self.mask = os.urandom(4)
        self.tag = b"c%03d:" % index
        self.seq = 0
        self.frame = b""
        self.expected = b""
        self.reply = None  # echo mode: the exact bytes of the server's frame for `expected`
        self.count = 0


def run(port, path, clients, seconds, mode, message_size=16, handshake_timeout=10.0):
    poller = select.epoll()
    by_fd = {}  # descriptor -> Client
    slots = [Client(i) for i in range(clients)]
    failures, errors = {}, {}

    def fail(slot, why, table=errors):
        table[why] = table.get(why, 0) + 1
        slot.state = "failed"
        fd = slot.sock.fileno()
        if by_fd.pop(fd, None) is not None:
            poller.unregister(fd)
        slot.sock.close()

    # Connect and upgrade every client before the clock starts.
    for slot in slots:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.connect_ex(("127.0.0.1", port))
        slot.sock = sock
        poller.register(sock.fileno(), select.EPOLLOUT)
        by_fd[sock.fileno()] = slot
    deadline = time.monotonic() + handshake_timeout
    pending = clients
    while pending and time.monotonic() < deadline:
        for fd, _events in poller.poll(max(0.0, min(0.2, deadline - time.monotonic()))):
            slot = by_fd.get(fd)
            if slot is None:
                continue
            if slot.state == "connecting":
                if slot.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    fail(slot, "connect refused", failures)
                    pending -= 1
                    continue
                slot.state = "handshake"
                poller.modify(fd, select.EPOLLIN)
                try:
                    slot.sock.sendall(handshake_request(port, path, slot.key))
                except OSError as error:
                    fail(slot, "handshake send: %s" % type(error).__name__, failures)
                    pending -= 1
                continue
            data = receive(slot.sock)
            if data is None:
                continue
            if not data:
                fail(slot, "closed during the handshake", failures)
                pending -= 1
                continue
            slot.buffer += data
            end = slot.buffer.find(b"\r\n\r\n")
            if end < 0:
                continue
            why = check_handshake(bytes(slot.buffer[:end]), slot.key)
            del slot.buffer[:end + 4]
            pending -= 1
            if why is not None:
                fail(slot, why, failures)
            else:
                slot.state = "open"
    for slot in slots:
        if slot.state in ("connecting", "handshake"):
            fail(slot, "no handshake answer in %.0f s" % handshake_timeout, failures)
    live = [s for s in slots if s.state == "open"]

    def next_message(slot):
        slot.seq += 1
        text = slot.tag + b"%d" % slot.seq
        text = text + b"." * max(0, message_size - len(text))
        slot.expected = text
        return client_frame(OP_TEXT, text, slot.mask)

    echo = mode == "echo"
    if echo:  # one fixed message per client, and the exact bytes of its unmasked echo
        for slot in live:
            text = (slot.tag + b"." * message_size)[:max(message_size, len(slot.tag))]
            slot.expected = text
            slot.frame = client_frame(OP_TEXT, text, slot.mask)
            slot.reply = bytes([0x80 | OP_TEXT, len(text)]) + text if len(text) < 126 else None

    cpu_start = os.times()
    started = time.monotonic()
    ends = started + seconds
    sent = 0
    for slot in live:
        try:
            slot.sock.send(slot.frame if echo else next_message(slot))
            sent += 1
        except OSError as error:
            fail(slot, "send: %s" % type(error).__name__)
    poll = poller.poll
    while True:
        now = time.monotonic()
        if now >= ends:
            break
        for fd, _events in poll(min(0.2, ends - now)):
            slot = by_fd.get(fd)
            if slot is None:  # failed earlier in this batch
                continue
            data = receive(slot.sock, 262144)
            if data is None:
                continue
            if not data:
                fail(slot, "closed by the server")
                continue
            if echo and not slot.buffer and data == slot.reply:  # the usual case: exactly one echo
                slot.count += 1
                try:
                    slot.sock.send(slot.frame)
                    sent += 1
                except OSError as error:
                    fail(slot, "send: %s" % type(error).__name__)
                continue
            slot.buffer += data
            again = False
            for fin, opcode, payload in take_frames(slot.buffer):
                if opcode == OP_PING:
                    slot.sock.send(client_frame(OP_PONG, payload, slot.mask))
                    continue
                if opcode == OP_CLOSE:
                    code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                    fail(slot, "close %d from the server" % code)
                    break
                if opcode == OP_PONG or not fin:  # a fragmented message counts at its final frame
                    continue
                slot.count += 1
                if echo or payload == slot.expected:
                    again = True
            if again and slot.state == "open":
                try:
                    slot.sock.send(slot.frame if echo else next_message(slot))
                    sent += 1
                except OSError as error:
                    fail(slot, "send: %s" % type(error).__name__)
    elapsed = time.monotonic() - started
    cpu_end = os.times()
    cpu = (cpu_end.user - cpu_start.user) + (cpu_end.system - cpu_start.system)
    counted = sum(s.count for s in slots)
    for slot in slots:  # a clean close for the ones still open, without waiting for the answer
        if slot.state == "open":
            try:
                slot.sock.send(client_frame(OP_CLOSE, struct.pack("!H", 1000), slot.mask))
            except OSError:
                pass
            slot.sock.close()
    poller.close()
    return {
        "mode": mode, "clients": clients, "connected": len(live), "seconds": round(elapsed, 3),
        "messages": counted, "sent": sent, "rate": counted / elapsed if elapsed > 0 and live else None,
        "handshake_failures": failures, "errors": errors, "client_cpu": round(cpu / elapsed, 3) if elapsed else None,
        "open_at_end": sum(1 for s in slots if s.state == "open"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--mode", choices=("echo", "group"), default="echo")
    parser.add_argument("--message-size", type=int, default=16)
    parser.add_argument("--handshake-timeout", type=float, default=10.0)
    args = parser.parse_args()
    result = run(args.port, args.path, args.clients, args.seconds, args.mode, args.message_size,
                 args.handshake_timeout)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
