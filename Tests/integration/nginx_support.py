"""Real nginx (from apt) in front of liege, started by a test with the `location /` block it needs."""
import os
import shutil
import signal
import subprocess

from support import free_port, http_request, wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Nginx:
    """Real nginx (from apt) started by a test with one `location /` block; `stop()` quits it."""

    def __init__(self, prefix, location):
        if not os.access(NGINX, os.X_OK):
            raise AssertionError("nginx is not installed (make test installs it: apt-get install nginx)")
        self.port = free_port()
        (prefix / "logs").mkdir(parents=True)
        conf = prefix / "nginx.conf"
        # As root (CI), nginx's workers would drop to `nobody`, who cannot enter pytest's temp directories.
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    uwsgi_temp_path {prefix}/uwsgi;
    proxy_temp_path {prefix}/proxy;
    client_max_body_size 64m;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{self.port};
        location / {{
{location}
        }}
    }}
}}
""")
        self.process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        wait_until(lambda: http_request(self.port, path="/")[0] > 0, 15, message="nginx listening")

    def stop(self):
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def uwsgi_pass(socket_path):
    return f"            include /etc/nginx/uwsgi_params;\n            uwsgi_pass unix:{socket_path};"


def proxy_pass_websockets(port):
    """`proxy_pass` with the Upgrade/Connection headers a WebSocket needs through nginx."""
    return f"""            proxy_pass http://127.0.0.1:{port};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 60s;"""
