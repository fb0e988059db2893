"""An idle master sleeps (docs/scaling.md): with nothing on the clock it makes no wake-up at all between
events; with something that needs a look every second (here `harakiri`) its heartbeat runs. Counted from
/proc/PID/task/TID/schedstat (the number of times each thread was scheduled), not from CPU time."""
import os
import time

from conftest import APPS
from support import free_port
from lifecycle_support import get, wait_all_ready


def scheduled_counts(pid):
    counts = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as handle:
                counts[task] = int(handle.read().split()[2])
        except OSError:
            pass   # a runtime thread retiring meanwhile
    return counts


def wake_ups(pid, seconds):
    """How many times the master's threads ran during `seconds` (threads alive at both ends)."""
    before = scheduled_counts(pid)
    time.sleep(seconds)
    after = scheduled_counts(pid)
    return sum(after[task] - before[task] for task in after if task in before)


def start_idle(start_liege, name, extra=""):
    port = free_port()
    server = start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {APPS / 'hello.py'}\n"
                         f"processes = 2\n{extra}", name=name)
    wait_all_ready(server, 2)
    assert get(port)[0] == 200
    time.sleep(1)   # the request's log line and the runtime's own settling
    return server


def test_a_plain_master_does_not_wake_while_idle(start_liege):
    server = start_idle(start_liege, "plain")
    assert wake_ups(server.pid, 4) == 0


def test_a_master_with_harakiri_keeps_its_heartbeat(start_liege):
    server = start_idle(start_liege, "heartbeat", "harakiri = 30\n")
    assert wake_ups(server.pid, 4) >= 3
