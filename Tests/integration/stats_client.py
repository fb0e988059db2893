"""Helpers for the observability tests: read a stats server, fetch /metrics, drive a TUI under tmux."""
import http.client
import json
import shutil
import socket
import subprocess
import time

from support import wait_until


def read_raw(address, send=b""):
    """Everything a stats server sends on one connection (TCP `host:port` or a unix path)."""
    if isinstance(address, str) and not address.startswith("/"):
        host, port = address.rsplit(":", 1)
        conn = socket.create_connection((host, int(port)), timeout=10)
    else:
        conn = socket.socket(socket.AF_UNIX)
        conn.settimeout(10)
        conn.connect(str(address))
    with conn:
        if send:
            conn.sendall(send)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    return data


def read_stats(address):
    return json.loads(read_raw(address))


def fetch_metrics(port, path="/metrics"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read().decode()
    finally:
        connection.close()


class Tmux:
    """A private tmux server (its own socket file) running one command in a fixed-size window."""

    def __init__(self, socket_path, command, width=160, height=40):
        assert shutil.which("tmux"), "tmux is needed (make test-deps)"
        self.socket_path = str(socket_path)
        self.run("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), command)

    def run(self, *args, check=True):
        return subprocess.run(["tmux", "-S", self.socket_path, *args], capture_output=True, text=True, check=check)

    def screen(self):
        return self.run("capture-pane", "-p", "-t", "t").stdout

    def wait_screen(self, predicate, timeout=20.0, message="screen"):
        last = {"text": ""}

        def check():
            last["text"] = self.screen()
            return predicate(last["text"])
        try:
            wait_until(check, timeout, interval=0.2, message=message)
        except AssertionError as error:
            raise AssertionError(f"{error}\nlast screen:\n{last['text']}") from None
        return last["text"]

    def keys(self, *keys):
        self.run("send-keys", "-t", "t", *keys)

    def alive(self):
        return self.run("has-session", "-t", "t", check=False).returncode == 0

    def close(self):
        self.run("kill-server", check=False)
        time.sleep(0.1)
