"""An app that starts a thread while it is imported (a metrics client, a scheduler...): a process with
two threads must not fork, so lazy-apps = false falls back to workers that import it themselves."""
import os
import threading
import time

threading.Thread(target=time.sleep, args=(3600,), daemon=True, name="started-at-import").start()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [("pid=%d threads=%d" % (os.getpid(), threading.active_count())).encode()]
