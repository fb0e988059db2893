"""The `uwsgi` Python module (issue 16 item 6): what an app written for uWSGI imports, through the real
binary: facts, the cache shared by the workers, log variables, locks, uwsgidecorators, and the spooler
(tasks as files, retried, surviving a reload). Outside Liege `import uwsgi` keeps failing."""
import json
import os
import pathlib
import signal
import subprocess
import sys

import pytest

from conftest import APPS, VENV
from support import children_of, cmdline, free_port, http_request, wait_until

API_APP = APPS / "uwsgi_api.py"


def get_json(port, path):
    status, _, body, _ = http_request(port, path=path)
    assert status == 200, body
    return json.loads(body)


def spoolers_of(server):
    return [pid for pid in children_of(server.pid) if "liege spooler" in cmdline(pid)]


@pytest.fixture
def api_site(start_liege, tmp_path):
    """The uwsgi_api app on two workers with two caches and a spooler (tasks written to tmp_path)."""
    def start(extra="", processes=2):
        port, stats_port = free_port(), free_port()
        out = tmp_path / "out"
        out.mkdir(exist_ok=True)
        server = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {API_APP}
processes = {processes}
cache2 = name=main,items=100
cache2 = name=second,items=10,blocksize=64
spooler = {tmp_path / "spool"}
spooler-frequency = 1
env = UWSGI_API_OUT={out}
env = SECOND=yes
log-format = %(method) %(uri) who=%(who) %(status)
stats = 127.0.0.1:{stats_port}
stats-http = true
{extra}
""", wait=False)
        server.wait_log("worker 1 ready")
        server.wait_ready(count=processes)
        server.wait_log("spooler 1 ready")
        server.port = port
        server.stats_port = stats_port
        server.out = out
        server.spool = tmp_path / "spool"
        return server
    return start


def test_a_worker_sees_its_id_its_master_and_the_options(api_site):
    site = api_site()
    seen = {}
    wait_until(lambda: seen.update({f["worker_id"]: f for f in [get_json(site.port, "/facts")]}) or len(seen) == 2,
               message="both workers answer")
    for worker_id, facts in seen.items():
        assert facts["pid"] in site.workers()
        assert facts["numproc"] == 2
        assert facts["masterpid"] == site.pid
        assert facts["opt"]["processes"] == "2"
        assert facts["opt"]["env"] == [f"UWSGI_API_OUT={site.out}", "SECOND=yes"], "a repeated option is a list"
        assert facts["opt_types"] == ["bytes", "list"], "values are bytes, as uWSGI gives them"
        assert facts["spoolers"] == [str(site.spool)]
        assert abs(facts["started_on"] - int(os.stat(site.log_path).st_mtime)) < 120
    first = get_json(site.port, "/facts")
    second = get_json(site.port, "/facts")
    assert second["total_requests"] > 0
    if first["pid"] == second["pid"]:
        assert second["request_id"] == first["request_id"] + 1


def test_import_uwsgi_fails_in_plain_python():
    result = subprocess.run([sys.executable, "-c", "import uwsgi"], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "ModuleNotFoundError: No module named 'uwsgi'" in result.stderr


def test_a_uwsgi_folder_on_the_path_does_not_shadow_the_module(start_liege, tmp_path):
    (tmp_path / "uwsgi").mkdir()
    (tmp_path / "uwsgi" / "site.ini").write_text("[uwsgi]\n")
    (tmp_path / "app.py").write_text(
        "import uwsgi\n"
        "def application(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [str(uwsgi.worker_id()).encode()]\n")
    port = free_port()
    start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nchdir = {tmp_path}\nmodule = app\n")
    status, _, body, _ = http_request(port)
    assert (status, body) == (200, b"1")


def test_the_cache_is_shared_by_the_workers(api_site):
    site = api_site()
    setter = get_json(site.port, "/cache/set?colour=blue")
    assert setter["result"] is True
    readers = {}

    def other_worker_read():
        answer = get_json(site.port, "/cache/get?colour")
        readers[answer["pid"]] = answer["result"]
        return any(pid != setter["pid"] for pid in readers)

    wait_until(other_worker_read, message="a request lands on the other worker")
    assert set(readers.values()) == {"blue"}, readers
    assert get_json(site.port, "/cache/set?colour=red")["result"] is None, "cache_set leaves an existing key"
    assert get_json(site.port, "/cache/get?colour")["result"] == "blue"
    assert get_json(site.port, "/cache/update?colour=red")["result"] is True
    assert get_json(site.port, "/cache/get?colour")["result"] == "red"
    assert get_json(site.port, "/cache/exists?colour")["result"] is True
    assert get_json(site.port, "/cache/del?colour")["result"] is True
    assert get_json(site.port, "/cache/exists?colour")["result"] is None
    assert get_json(site.port, "/cache/get?colour")["result"] is None
    assert get_json(site.port, "/cache/inc?hits")["result"] == 11
    assert get_json(site.port, "/cache/inc?hits")["result"] == 22
    assert get_json(site.port, "/cache/named?size=small")["result"] == ["small", None], "caches are separate"
    assert get_json(site.port, "/cache/expire?gone=soon")["result"] is True
    assert get_json(site.port, "/cache/get?gone")["result"] == "soon"
    wait_until(lambda: get_json(site.port, "/cache/get?gone")["result"] is None, timeout=10, message="the item expires")


def test_the_cache_keeps_its_items_across_a_reload(api_site):
    site = api_site()
    assert get_json(site.port, "/cache/set?kept=yes")["result"] is True
    before = set(site.workers())
    site.signal(signal.SIGHUP)
    wait_until(lambda: not (set(site.workers()) & before) and len(site.workers()) == 2, timeout=30,
               message="every worker replaced")
    assert get_json(site.port, "/cache/get?kept")["result"] == "yes"


def test_uwsgi_reload_is_a_graceful_reload_of_the_app(api_site):
    site = api_site()
    before = set(site.workers())
    assert get_json(site.port, "/reload") == {"reload": True}
    site.wait_log("graceful reload requested")
    wait_until(lambda: not (set(site.workers()) & before) and len(site.workers()) == 2, timeout=30,
               message="every worker replaced")


def test_a_store_cache_keeps_its_items_across_a_restart(start_liege, tmp_path):
    store = tmp_path / "sessions.cache"
    for run, path in enumerate(["/cache/set?user=ada", "/cache/get?user"]):
        port = free_port()
        server = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {API_APP}
cache2 = name=sessions,items=8,blocksize=64,store={store}
spooler = {tmp_path / "spool"}
env = UWSGI_API_OUT={tmp_path}
""", name=f"run{run}", wait=False)
        server.wait_log("worker 1 ready")
        answer = get_json(port, path)
        server.signal(signal.SIGTERM)
        assert server.exit_code() == 0
        assert answer["result"] == (True if run == 0 else "ada")
    assert store.stat().st_size > 0


def test_set_logvar_fills_the_log_format(api_site):
    site = api_site()
    assert get_json(site.port, "/logvar?alice") == {"logvar": "alice"}
    site.wait_log("GET /logvar?alice who=alice 200")
    get_json(site.port, "/facts")
    site.wait_log("GET /facts who= 200")


def test_user_lock(api_site):
    site = api_site()
    assert get_json(site.port, "/lock") == {"held_inside": True, "held_after": False}


def test_postfork_runs_in_each_worker_and_the_timer_in_worker_1_only(api_site):
    site = api_site()
    workers = set(site.workers())
    for worker_id in (1, 2):
        marker = site.out / f"postfork-{worker_id}"
        wait_until(marker.exists, message=f"postfork ran in worker {worker_id}")
        assert int(marker.read_text()) in workers
    ticks = site.out / "timer"
    wait_until(lambda: ticks.exists() and len(ticks.read_text().splitlines()) >= 3, timeout=15, message="three ticks")
    lines = [line.split() for line in ticks.read_text().splitlines()]
    assert {line[1] for line in lines} == {"1"}, "the default target is the first worker"
    assert {int(line[2]) for line in lines} <= workers


def test_cron_entries_follow_uwsgis_rules(api_site):
    site = api_site(processes=1)
    import time

    def due(fields, when):
        epoch = int(time.mktime((*when, 0, 0, 0, -1)))
        answer = get_json(site.port, "/cron?" + ",".join(str(n) for n in (*fields, epoch)))
        assert answer["signals"] == 2, "the @timer and the @cron"
        return answer["due"]

    thursday_0430 = (2026, 12, 3, 4, 30)            # a Thursday (weekday 4)
    assert due((30, 4, -1, -1, -1), thursday_0430)
    assert not due((31, 4, -1, -1, -1), thursday_0430)
    assert due((-15, -2, -1, -1, -1), thursday_0430), "-N: every N"
    assert not due((-7, -1, -1, -1, -1), thursday_0430)
    assert due((30, 4, 25, 12, 4), thursday_0430), "day and weekday both set: either matches"
    assert not due((30, 4, 25, 12, 5), thursday_0430)
    assert due((30, 4, -1, -1, 4), thursday_0430) and not due((30, 4, -1, -1, 0), thursday_0430)
    assert due((0, 0, -1, -1, 7), (2026, 12, 6, 0, 0)), "7 is Sunday too"


def test_a_spooled_task_runs_in_the_spooler_and_its_file_goes(api_site):
    site = api_site()
    task = get_json(site.port, "/spool?first")["task"]
    assert task.startswith(str(site.spool) + "/uwsgi_spoolfile_on_")
    done = site.out / "task-first"
    wait_until(lambda: done.exists() and len(done.read_text().split()) == 3, timeout=15, message="the task ran")
    name, pid, spooler = done.read_text().split()
    assert name == "first" and spooler == "True"
    assert int(pid) in spoolers_of(site)
    wait_until(lambda: not os.path.exists(task), message="the task file is removed")
    site.wait_log("done with task " + os.path.basename(task))
    stats = stats_of(site)
    assert [entry["dir"] for entry in stats["spoolers"]] == [str(site.spool)]
    assert [entry["name"] for entry in stats["caches"]] == ["main", "second"]


def stats_of(site):
    status, _, body, _ = http_request(site.stats_port, path="/")
    assert status == 200
    return json.loads(body)


@pytest.mark.parametrize("lazy", ["true", "false"])
def test_preloaded_workers_get_their_own_id_postfork_and_timer(api_site, lazy):
    site = api_site(extra=f"lazy-apps = {lazy}")
    ids = set()
    wait_until(lambda: ids.add(get_json(site.port, "/facts")["worker_id"]) or ids == {1, 2}, message="both worker ids")
    for worker_id in (1, 2):
        wait_until((site.out / f"postfork-{worker_id}").exists, message=f"postfork in worker {worker_id}")
    ticks = site.out / "timer"
    wait_until(lambda: ticks.exists() and len(ticks.read_text().splitlines()) >= 2, timeout=15, message="timer ticks")
    assert {line.split()[1] for line in ticks.read_text().splitlines()} == {"1"}


SPOOLER_APP = """
import uwsgi

def application(environ, start_response):
    query = environ.get("QUERY_STRING", "")
    task = {b"name": query.encode()}
    if query.startswith("later"):
        task[b"at"] = str(int(__import__("time").time()) + 3).encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [uwsgi.spool(task)]
"""

TASKS_RETRY = """
import uwsgi

def run(task):
    return uwsgi.SPOOL_RETRY

uwsgi.spooler = run
"""

TASKS_WRITE = """
import os, time, uwsgi

OUT = os.environ["TASK_OUT"]

def run(task):
    name = task[b"name"].decode()
    attempts = os.path.join(OUT, name + ".attempts")
    with open(attempts, "a") as tries:
        tries.write("x")
    if name.startswith("flaky") and len(open(attempts).read()) < 2:
        raise RuntimeError("first attempt fails")
    with open(os.path.join(OUT, name + ".done"), "w") as done:
        done.write("%s at %d in %s" % (name, time.time(), os.getcwd()))
    return uwsgi.SPOOL_OK

uwsgi.spooler = run
"""


@pytest.fixture
def spooler_site(start_liege, tmp_path):
    """An app that spools `{name}` tasks; the spooler function lives in `tasks.py` (spooler-import)."""
    def start(tasks, extra=""):
        app = tmp_path / "app"
        app.mkdir(exist_ok=True)
        (app / "app.py").write_text(SPOOLER_APP)
        (app / "tasks.py").write_text(tasks)
        out = tmp_path / "out"
        out.mkdir(exist_ok=True)
        port = free_port()
        server = start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {app}
module = app
spooler = {tmp_path / "spool"}
spooler-import = tasks
spooler-frequency = 1
env = TASK_OUT={out}
{extra}
""", wait=False)
        server.wait_log("worker 1 ready")
        server.wait_log("spooler 1 ready")
        server.port, server.app, server.out = port, app, out
        return server
    return start


def spool(site, name):
    status, _, body, _ = http_request(site.port, path="/?" + name)
    assert status == 200
    return body.decode()


def test_a_task_queued_before_a_reload_runs_after_it_with_the_new_code(spooler_site, tmp_path):
    site = spooler_site(TASKS_RETRY)
    task = spool(site, "survivor")
    assert task.startswith(str(tmp_path / "spool") + "/")
    site.wait_log("managing request " + os.path.basename(task), count=2)
    assert os.path.exists(task), "SPOOL_RETRY keeps the task"
    old = spoolers_of(site)
    (site.app / "tasks.py").write_text(TASKS_WRITE)
    site.signal(signal.SIGHUP)
    done = site.out / "survivor.done"
    wait_until(done.exists, timeout=30, message="the task ran after the reload")
    wait_until(lambda: not os.path.exists(task), message="SPOOL_OK removes the task")
    assert not set(old) & set(spoolers_of(site)), "the spooler was replaced"
    assert done.read_text().endswith("in " + str(tmp_path / "spool")), "tasks run in the spooler directory"


def test_a_task_that_raises_is_retried_and_one_with_at_waits(spooler_site):
    site = spooler_site(TASKS_WRITE, extra="spooler-processes = 2")
    wait_until(lambda: len(spoolers_of(site)) == 2, message="two spooler processes")
    spool(site, "flaky")
    wait_until((site.out / "flaky.done").exists, timeout=20, message="the retried task succeeded")
    assert (site.out / "flaky.attempts").read_text() == "xx"
    assert "RuntimeError: first attempt fails" in site.log()
    queued = int(__import__("time").time())
    spool(site, "later")
    wait_until((site.out / "later.done").exists, timeout=20, message="the task with at ran")
    assert int(open(site.out / "later.done").read().split()[2]) >= queued + 3
    assert (site.out / "later.attempts").read_text() == "x", "run once, by one of the two spoolers"


def test_a_dead_spooler_is_restarted_and_spoolers_stop_with_the_master(spooler_site):
    site = spooler_site(TASKS_WRITE)
    [first] = spoolers_of(site)
    os.kill(first, signal.SIGKILL)
    found = []
    wait_until(lambda: found.append(spoolers_of(site)) or found[-1] not in ([], [first]), timeout=20, message="a new spooler")
    [second] = found[-1]
    spool(site, "after-crash")
    wait_until((site.out / "after-crash.done").exists, timeout=20, message="the new spooler runs tasks")
    site.signal(signal.SIGTERM)
    assert site.exit_code() == 0
    wait_until(lambda: not os.path.exists(f"/proc/{second}"), message="the spooler is gone")


def test_a_django_view_imports_uwsgi(start_liege, django_project):
    (django_project / "uwsgi_view_urls.py").write_text(
        "from django.http import JsonResponse\n"
        "from django.urls import path\n"
        "import uwsgi\n\n"
        "def facts(request):\n"
        "    uwsgi.cache_update('django', 'yes')\n"
        "    return JsonResponse({'worker_id': uwsgi.worker_id(), 'numproc': uwsgi.numproc,\n"
        "                         'module': uwsgi.opt['module'].decode(), 'cache': uwsgi.cache_get('django').decode()})\n\n"
        "urlpatterns = [path('facts/', facts)]\n")
    (django_project / "uwsgi_view_settings.py").write_text(
        "from mysite.settings import *\nROOT_URLCONF = 'uwsgi_view_urls'\n")
    port = free_port()
    start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {django_project}
module = mysite.wsgi:application
virtualenv = {VENV}
env = DJANGO_SETTINGS_MODULE=uwsgi_view_settings
processes = 2
cache2 = name=default,items=16
""", wait=False).wait_ready(count=2)
    status, _, body, _ = http_request(port, path="/facts/", headers={"Host": "localhost"})
    assert status == 200, body
    answer = json.loads(body)
    assert answer["worker_id"] in (1, 2)
    assert answer == {"worker_id": answer["worker_id"], "numproc": 2, "module": "mysite.wsgi:application", "cache": "yes"}


def check_config(liege_bin, tmp_path, text):
    ini = tmp_path / "check.ini"
    ini.write_text("[uwsgi]\nhttp-socket = 127.0.0.1:9\n" + text)
    return subprocess.run([liege_bin, "--check-config", str(ini)], capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("line, message", [
    ("cache2 = name=c", "a cache needs items=N"),
    ("cache2 = items=10", "a cache needs name=NAME"),
    ("cache2 = name=c,items=10,bitmap=1", "bitmap (items spread over several blocks) is not supported"),
    ("cache2 = name=c,items=10,nodes=127.0.0.1:4242", "nodes is not supported"),
    ("cache2 = name=c,items=10,colour=red", "unknown key \"colour\""),
    ("cache2 = name=c,items=lots", "items \"lots\": expected a number"),
    ("spooler-import = tasks", "\"spooler-import\" needs a spooler directory"),
])
def test_bad_cache_and_spooler_lines_are_located_errors(liege_bin, tmp_path, line, message):
    result = check_config(liege_bin, tmp_path, line + "\n")
    assert result.returncode != 0
    assert f"check.ini:3" in result.stderr and message in result.stderr, result.stderr


def test_real_world_cache_and_spooler_lines_pass(liege_bin, tmp_path):
    result = check_config(liege_bin, tmp_path, "cache2 = name=mycache,items=1000,blocksize=4096,keysize=256,purge_lru=1\n"
                          "cache2 = name=sessions,items=100,store=/tmp/sessions.cache,hash=murmur2,lazy_expire=1\n"
                          "spooler = /tmp/spool\nspooler-import = app.tasks\nspooler-chdir = /tmp\nspooler-processes = 2\n"
                          "log-format = %(addr) %(user_id) %(status)\n")
    assert result.returncode == 0, result.stderr


def test_the_guides_spooler_example(start_liege, tmp_path):
    """docs/uwsgi-api.md's spooler: its config lines, its tasks module and its view line, as printed."""
    from docs_support import doc_block, substituted
    shop = tmp_path / "srv"
    (shop / "shop").mkdir(parents=True)
    (shop / "invoices").mkdir()
    (shop / "shop" / "__init__.py").write_text("")
    (shop / "shop" / "tasks.py").write_text(doc_block("uwsgi-api.md", "shop/tasks.py"))
    view = doc_block("uwsgi-api.md", "view").strip()
    (shop / "shop" / "wsgi.py").write_text(
        "import uwsgi\n\n"
        "def application(environ, start_response):\n"
        f"    {view}\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'queued']\n")
    lines = substituted(doc_block("uwsgi-api.md", "spooler.ini"), ("/var/spool/shop", str(tmp_path / "spool")),
                        ("/srv/shop", str(shop)))
    port = free_port()
    server = start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nchdir = {shop}\nmodule = shop.wsgi\n{lines}", wait=False)
    server.wait_log("worker 1 ready")
    assert http_request(port)[2] == b"queued"
    invoice = shop / "invoices" / "1234.txt"
    wait_until(lambda: invoice.exists() and invoice.read_text(), timeout=20, message="the invoice task ran")
    assert invoice.read_text() == "invoice for order 1234\n"


def test_spooler_harakiri_kills_a_stuck_task_which_stays_queued(spooler_site):
    site = spooler_site(TASKS_RETRY.replace("return uwsgi.SPOOL_RETRY", "__import__('time').sleep(60)"),
                        extra="spooler-harakiri = 1")
    task = spool(site, "stuck")
    site.wait_log("(spooler-harakiri: its task ran too long and stays queued)")
    assert os.path.exists(task)
    site.wait_log("managing request " + os.path.basename(task), count=2)


def test_spooler_max_tasks_recycles_and_quiet_drops_the_task_lines(spooler_site):
    site = spooler_site(TASKS_WRITE, extra="spooler-max-tasks = 1\nspooler-quiet = true")
    [first] = spoolers_of(site)
    spool(site, "one")
    spool(site, "two")
    for name in ("one", "two"):
        wait_until((site.out / f"{name}.done").exists, timeout=20, message=f"task {name} ran")
    site.wait_log("maximum number of tasks reached (1): recycling")
    wait_until(lambda: spoolers_of(site) and first not in spoolers_of(site), message="a fresh spooler")
    assert "managing request" not in site.log() and "done with task" not in site.log()


def test_a_task_file_written_by_uwsgi_runs(spooler_site, tmp_path):
    """uWSGI's format: modifier1 17, a 16-bit little-endian size, modifier2 0, then 16-bit-length keys and values."""
    site = spooler_site(TASKS_WRITE)
    pairs = b""
    for key, value in ((b"name", b"from-uwsgi"), (b"extra", b"1")):
        pairs += len(key).to_bytes(2, "little") + key + len(value).to_bytes(2, "little") + value
    task = tmp_path / "spool" / "uwsgi_spoolfile_on_oldhost_1234_1_42_1700000000_1"
    task.write_bytes(bytes((17,)) + len(pairs).to_bytes(2, "little") + bytes((0,)) + pairs)
    wait_until((site.out / "from-uwsgi.done").exists, timeout=20, message="the uWSGI task ran")
    wait_until(lambda: not task.exists(), message="and was removed")
