"""The emperor through the real binary: vassals come, reload, go; ConfigMap swaps; isolation; emperor death."""
import os
import re
import signal
import threading

from emperor_support import (alive, body_of, free_port, get, port_closed, time, vassal_ini, wait_until, worker_pid,
                             write_app)


def test_add_touch_edit_remove(emperor):
    server, vassals = emperor()
    port = free_port()
    write_app(vassals, "shopapp", "v1")
    (vassals / "shop.ini").write_text(vassal_ini(port, "shopapp"))

    body = wait_until(lambda: body_of(port), 60, message="vassal shop serves")
    assert body.startswith("v1 ")
    master = server.master_of("shop")
    assert master is not None
    server.wait_log("vassal shop (pid %d) ready" % master)

    # touch: graceful reload, same master, new workers
    before = worker_pid(body)
    os.utime(vassals / "shop.ini")
    body = wait_until(lambda: (b := body_of(port)) and worker_pid(b) != before and b, 60, message="new worker after touch")
    assert server.master_of("shop") == master
    server.wait_log("vassal shop (pid %d) reloaded" % master)

    # edit: the file (and the app it names) change; the app reloads with the new body, same master
    write_app(vassals, "shopapp", "v2")
    (vassals / "shop.ini").write_text(vassal_ini(port, "shopapp", "; edited\n"))
    wait_until(lambda: (body_of(port) or "").startswith("v2 "), 60, message="new body after edit")
    assert server.master_of("shop") == master

    # remove: stopped gracefully, port closed, no process left
    (vassals / "shop.ini").unlink()
    wait_until(lambda: port_closed(port), 60, message="port closed after removal")
    wait_until(lambda: not alive(master), 30, message="master gone")
    assert "liege master shop" not in " ".join(server.masters().values())
    assert "vassal shop (/" in server.log() and "removed" in server.log()


def test_rename_is_removal_plus_new(emperor):
    server, vassals = emperor()
    port = free_port()
    write_app(vassals, "renamed", "hello")
    (vassals / "first.ini").write_text(vassal_ini(port, "renamed"))
    wait_until(lambda: body_of(port), 60, message="vassal first serves")
    first = server.master_of("first")

    os.rename(vassals / "first.ini", vassals / "second.ini")
    wait_until(lambda: server.master_of("second"), 60, message="vassal second started")
    wait_until(lambda: not alive(first), 30, message="vassal first stopped")
    wait_until(lambda: body_of(port), 60, message="vassal second serves")
    assert server.master_of("first") is None
    assert "vassal first (" in server.log() and "vassal second started" in server.log()


def test_invalid_edit_keeps_the_running_vassal(emperor):
    server, vassals = emperor()
    port = free_port()
    write_app(vassals, "steady", "steady")
    (vassals / "steady.ini").write_text(vassal_ini(port, "steady"))
    body = wait_until(lambda: body_of(port), 60, message="vassal serves")
    master = server.master_of("steady")

    (vassals / "steady.ini").write_text(vassal_ini(port, "steady", "procesess = 4\n"))
    server.wait_log('unknown option "procesess"')
    assert "keeping the running vassal" in server.log()
    time.sleep(1)
    assert body_of(port) == body          # same worker, nothing reloaded
    assert server.master_of("steady") == master


def test_invalid_new_file_is_not_started_until_fixed(emperor):
    server, vassals = emperor()
    port = free_port()
    write_app(vassals, "fixme", "fixed")
    (vassals / "fixme.ini").write_text(vassal_ini(port, "fixme", "procesess = 2\n"))
    server.wait_log("not started")
    line = next(l for l in server.log().splitlines() if "not started" in l)
    assert "fixme.ini:6:" in line and "procesess" in line
    time.sleep(2)
    assert server.master_of("fixme") is None
    assert server.log().count("not started") == 1     # no retry until it changes

    (vassals / "fixme.ini").write_text(vassal_ini(port, "fixme"))
    wait_until(lambda: body_of(port), 60, message="fixed vassal serves")


def test_configmap_symlink_swap_reloads_only_changed_vassals(emperor, tmp_path):
    vassals = tmp_path / "configmap"
    vassals.mkdir()
    apps = tmp_path / "apps"
    apps.mkdir()
    write_app(apps, "cmapp", "cm")
    port_a, port_b = free_port(), free_port()

    def publish(generation, extra_a):
        folder = vassals / f"..2026_11_21_{generation}"
        folder.mkdir()
        (folder / "alpha.ini").write_text(vassal_ini(port_a, "cmapp", f"chdir = {apps}\n{extra_a}"))
        (folder / "beta.ini").write_text(vassal_ini(port_b, "cmapp", f"chdir = {apps}\n"))
        os.symlink(folder.name, vassals / "..data_tmp")
        os.rename(vassals / "..data_tmp", vassals / "..data")       # kubelet's atomic swap
        return folder

    old = publish(1, "")
    for name in ("alpha.ini", "beta.ini"):
        os.symlink(f"..data/{name}", vassals / name)
    server, _ = emperor(directory=vassals)
    alpha = worker_pid(wait_until(lambda: body_of(port_a), 60, message="alpha serves"))
    beta = worker_pid(wait_until(lambda: body_of(port_b), 60, message="beta serves"))

    publish(2, "; a new comment\n")
    for entry in old.iterdir():
        entry.unlink()
    old.rmdir()
    wait_until(lambda: worker_pid(body_of(port_a)) not in (None, alpha), 60, message="alpha reloaded")
    time.sleep(1.5)
    assert worker_pid(body_of(port_b)) == beta     # identical content: not reloaded
    assert "vassal beta (pid" not in "\n".join(l for l in server.log().splitlines() if "reloading" in l)


def test_broken_vassal_backs_off_and_never_disturbs_the_others(emperor, tmp_path):
    server, vassals = emperor("--emperor-throttle", "200")
    ports = [free_port(), free_port()]
    write_app(vassals, "goodapp", "good")
    (vassals / "broken_app.py").write_text("raise RuntimeError('this app cannot be imported')\n")
    for index, port in enumerate(ports):
        (vassals / f"good{index}.ini").write_text(vassal_ini(port, "goodapp"))
    (vassals / "broken.ini").write_text(vassal_ini(free_port(), "broken_app"))
    firsts = [wait_until(lambda p=p: body_of(p), 60, message="good vassal serves") for p in ports]

    def delays():
        return [int(re.search(r"respawn in (\d+) ms", l).group(1)) for l in server.log().splitlines()
                if "vassal broken " in l and "respawn in" in l]

    # the good vassals keep serving (same workers) while the broken one fails over and over
    deadline = time.monotonic() + 90
    while len(delays()) < 4:
        assert time.monotonic() < deadline, server.log()
        assert [body_of(p) for p in ports] == firsts
        time.sleep(0.2)
    assert delays()[:4] == [200, 400, 800, 1600]
    starts = [l for l in server.log().splitlines() if "vassal broken started" in l]
    assert len(delays()) <= len(starts) <= len(delays()) + 1

    # SIGURG resets the back-off: the next failure is the first in a row again
    mark = len(server.log())
    server.process.send_signal(signal.SIGURG)
    wait_until(lambda: "vassal broken " in server.log()[mark:] and "failure 1 in a row" in server.log()[mark:], 60,
               message="back-off reset after SIGURG")
    assert [body_of(p) for p in ports] == firsts


def test_emperor_killed_leaves_no_vassal_behind(emperor):
    server, vassals = emperor()
    ports = [free_port(), free_port()]
    write_app(vassals, "orphanapp", "orphan")
    for index, port in enumerate(ports):
        (vassals / f"orphan{index}.ini").write_text(vassal_ini(port, "orphanapp", "processes = 2\n"))
    for port in ports:
        wait_until(lambda p=port: body_of(p), 60, message="vassal serves")
    processes = server.everything()
    assert len(processes) >= 6          # 2 masters + 4 workers

    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)
    wait_until(lambda: not any(alive(p) for p in processes), 20, message="every vassal process gone")
    assert all(port_closed(p) for p in ports)


def test_sigterm_stops_every_vassal_gracefully_and_exits_0(emperor):
    server, vassals = emperor()
    port = free_port()
    write_app(vassals, "termapp", "term")
    (vassals / "term.ini").write_text(vassal_ini(port, "termapp"))
    wait_until(lambda: body_of(port), 60, message="vassal serves")
    processes = server.everything()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=60) == 0
    assert "graceful shutdown of every vassal" in server.log()
    assert "[term " in server.log() and "SIGTERM: graceful shutdown" in server.log()
    wait_until(lambda: not any(alive(p) for p in processes), 20, message="vassal processes gone")
    assert port_closed(port)


def test_sighup_reloads_every_vassal(emperor):
    server, vassals = emperor()
    ports = [free_port(), free_port()]
    write_app(vassals, "hupapp", "hup")
    for index, port in enumerate(ports):
        (vassals / f"hup{index}.ini").write_text(vassal_ini(port, "hupapp"))
    before = [worker_pid(wait_until(lambda p=p: body_of(p), 60, message="vassal serves")) for p in ports]
    masters = sorted(server.masters())
    server.process.send_signal(signal.SIGHUP)
    for port, old in zip(ports, before):
        wait_until(lambda p=port, o=old: worker_pid(body_of(p)) not in (None, o), 60, message="reloaded")
    assert sorted(server.masters()) == masters


def test_glob_source_yaml_and_ignored_names(emperor, tmp_path):
    vassals = tmp_path / "globbed"
    vassals.mkdir()
    port, hidden_port, yaml_port = free_port(), free_port(), free_port()
    write_app(vassals, "globapp", "glob")
    (vassals / "match.ini").write_text(vassal_ini(port, "globapp"))
    (vassals / ".hidden.ini").write_text(vassal_ini(hidden_port, "globapp"))
    (vassals / "match.ini~").write_text(vassal_ini(hidden_port, "globapp"))
    (vassals / "other.yaml").write_text(f"uwsgi:\n  http-socket: 127.0.0.1:{yaml_port}\n  chdir: '%d'\n  module: globapp\n")
    server, _ = emperor(directory=vassals, source=str(vassals / "*.ini"))
    wait_until(lambda: body_of(port), 60, message="globbed vassal serves")
    time.sleep(1.5)
    assert body_of(hidden_port) is None and body_of(yaml_port) is None
    assert sorted(c.split()[-1] for c in server.masters().values()) == ["match"]


def test_yaml_vassal(emperor):
    server, vassals = emperor()
    port = free_port()
    write_app(vassals, "yamlapp", "yaml")
    (vassals / "blog.yml").write_text(f"uwsgi:\n  http-socket: 127.0.0.1:{port}\n  chdir: '%d'\n  module: yamlapp\n")
    assert wait_until(lambda: body_of(port), 60, message="yaml vassal serves").startswith("yaml ")
    assert server.master_of("blog") is not None


def test_a_vassal_that_does_not_stop_is_killed_after_the_curse_tolerance(emperor):
    server, vassals = emperor("--emperor-curse-tolerance", "2")
    port = free_port()
    (vassals / "slowapp.py").write_text(
        "import time\n\ndef application(environ, start_response):\n"
        "    if environ['PATH_INFO'] == '/slow':\n        time.sleep(60)\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [b'slow pid=0']\n")
    (vassals / "slow.ini").write_text(vassal_ini(port, "slowapp", "worker-reload-mercy = 60\nreload-mercy = 60\n"))
    wait_until(lambda: body_of(port), 60, message="vassal serves")
    processes = server.everything()
    threading.Thread(target=lambda: slow_get(port), daemon=True).start()
    time.sleep(0.5)
    (vassals / "slow.ini").unlink()
    server.wait_log("still running: SIGKILL")
    wait_until(lambda: not any(alive(p) for p in processes), 30, message="vassal and its workers killed")
    assert port_closed(port)


def slow_get(port):
    try:
        return get(port, "/slow", timeout=70)
    except OSError:
        return None


def test_symlinked_vassal_reloads_when_its_target_is_touched(emperor, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    write_app(project, "linkedapp", "linked")
    port = free_port()
    (project / "uwsgi.ini").write_text(vassal_ini(port, "linkedapp", f"chdir = {project}\n"))
    server, vassals = emperor("--emperor-freq", "3600")        # no safety-net rescan: inotify alone
    os.symlink(project / "uwsgi.ini", vassals / "linked.ini")
    before = worker_pid(wait_until(lambda: body_of(port), 60, message="linked vassal serves"))
    time.sleep(0.3)
    os.utime(project / "uwsgi.ini")                            # no event in the vassals directory itself
    wait_until(lambda: worker_pid(body_of(port)) not in (None, before), 30, message="reload after touching the target")


def test_missing_directory_is_picked_up_when_it_appears_and_duplicates_are_refused(emperor, tmp_path):
    later = tmp_path / "later"
    other = tmp_path / "other"
    other.mkdir()
    server, _ = emperor("--emperor", str(other), "--emperor-freq", "1", directory=tmp_path / "unused",
                        source=str(later))
    server.wait_log(f"cannot read vassal directory {later}")
    port = free_port()
    staging = tmp_path / "staging"
    staging.mkdir()
    write_app(staging, "lateapp", "late")
    (staging / "late.ini").write_text(vassal_ini(port, "lateapp"))
    os.rename(staging, later)
    wait_until(lambda: body_of(port), 60, message="vassal of a directory created later serves")
    (other / "late.ini").write_text(vassal_ini(free_port(), "lateapp"))
    server.wait_log(f"{other}/late.ini are both vassal")
    assert len(server.masters()) == 1


def test_sighup_retries_a_vassal_whose_include_was_fixed(emperor, tmp_path):
    server, vassals = emperor()
    port = free_port()
    write_app(vassals, "incapp", "inc")
    common = tmp_path / "common.ini"
    common.write_text("[uwsgi]\nprocesses = many\n")
    (vassals / "inc.ini").write_text(vassal_ini(port, "incapp", f"include = {common}\n"))
    server.wait_log("not started")
    common.write_text("[uwsgi]\nprocesses = 1\n")
    server.process.send_signal(signal.SIGHUP)
    wait_until(lambda: body_of(port), 60, message="vassal started after SIGHUP")
