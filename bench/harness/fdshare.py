"""N copies of a server sharing one listening socket: this process binds and listens, then starts each
copy with the socket inherited (its descriptor number replaces `{fd}` in the command), the way
supervisord's `fcgi-program` runs several daphne processes on one port. Used for daphne, which has no
workers option. SIGINT or SIGTERM is passed on to every copy; it exits when they have all exited.

    python fdshare.py --port 8000 --processes 2 -- daphne --fd {fd} mysite.asgi:application
"""

import argparse
import os
import signal
import socket
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.host, args.port))
    listener.listen(1024)
    fd = listener.fileno()
    os.set_inheritable(fd, True)
    argv = [part.replace("{fd}", str(fd)) for part in command]
    children = [subprocess.Popen(argv, pass_fds=(fd,)) for _ in range(args.processes)]
    listener.close()  # the copies hold it now

    def forward(signum, _frame):
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    codes = [child.wait() for child in children]
    return max(codes, key=abs) if codes else 0


if __name__ == "__main__":
    sys.exit(main())
