"""uWSGI configs that run unchanged (issue 16, loading options and the config language): accepted,
refused with a located message, and what the accepted ones do to a running vassal."""
import os
import pathlib
import signal
import socket
import stat
import subprocess

import pytest

from emperor_support import vassal_ini, write_app
from support import alive, cmdline, free_port, http_request, wait_until

HELLO = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures" / "apps" / "hello.py"


def check_config(liege_bin, ini_path):
    return subprocess.run([liege_bin, "--check-config", str(ini_path)], capture_output=True, text=True, timeout=30)


def print_config(liege_bin, ini_path):
    result = subprocess.run([liege_bin, "--print-config", str(ini_path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_real_world_loading_options_are_accepted(liege_bin, tmp_path):
    ini = tmp_path / "site.ini"
    ini.write_text(f"""[uwsgi]
plugins = python3,http
plugin = python311
plugins = /usr/lib/uwsgi/plugins/router_static_plugin.so logfile
uwsgi-socket = 127.0.0.1:{free_port()}
wsgi-file = {HELLO}
thunder-lock = true
reaper = true
no-defer-accept = true
ignore-sigpipe = true
ignore-write-errors = true
disable-write-exception = true
http-auto-chunked = true
no-default-app = true
log-master = true
auto-procname = true
show-config = true
umask = 022
vhost = false
""")
    result = check_config(liege_bin, ini)
    assert result.returncode == 0, result.stderr
    assert f"socket = 127.0.0.1:" in print_config(liege_bin, ini)


def test_plugins_liege_cannot_provide_gevent_and_vhost_are_located_errors(liege_bin, tmp_path):
    ini = tmp_path / "bad.ini"
    ini.write_text(f"""[uwsgi]
wsgi-file = {HELLO}
plugins = python3,php
plugin = gevent
plugins = frobnicator
gevent = 100
vhost = true
umask = 999
""")
    result = check_config(liege_bin, ini)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any("bad.ini:3:" in line and '"php"' in line and "Python apps" in line for line in lines), lines
    assert any("bad.ini:4:" in line and '"gevent"' in line and "threads" in line for line in lines), lines
    assert any("bad.ini:5:" in line and "unknown plugin" in line and "frobnicator" in line for line in lines), lines
    assert any("bad.ini:6:" in line and "threads = N" in line and "asgi" in line for line in lines), lines
    assert any("bad.ini:7:" in line and "one vassal per virtual host" in line for line in lines), lines
    assert any("bad.ini:8:" in line and "octal" in line for line in lines), lines


def test_uid_and_gid_naming_nobody_fail_check_config(liege_bin, tmp_path):
    ini = tmp_path / "users.ini"
    ini.write_text(f"[uwsgi]\nwsgi-file = {HELLO}\nuid = no-such-user-here\ngid = no-such-group-here\n")
    result = check_config(liege_bin, ini)
    assert result.returncode == 1
    assert 'users.ini:3: "uid" names user "no-such-user-here", which does not exist' in result.stderr
    assert 'users.ini:4: "gid" names group "no-such-group-here", which does not exist' in result.stderr
    ini.write_text(f"[uwsgi]\nwsgi-file = {HELLO}\nuid = {os.getuid()}\ngid = {os.getgid()}\n")
    assert check_config(liege_bin, ini).returncode == 0


def test_config_language_loops_exec_sections_and_month(liege_bin, tmp_path):
    (tmp_path / "conf.d").mkdir()
    for name in ("b.conf", "a.conf"):
        (tmp_path / "conf.d" / name).write_text("")
    (tmp_path / "hosts.txt").write_text("alpha\n\nbeta\n")
    ini = tmp_path / "lang.ini"
    ini.write_text(f"""[uwsgi]
wsgi-file = {HELLO}
for-glob = conf.d/*.conf
env = CONF=%(_)
endfor
for-readline = hosts.txt
env = HOST_%(_)=yes
endfor
for = x y
env = WORD=%(_)
endfor
set-ph = greeting=@(exec://echo hello from `expr 40 + 2`)
env = GREETING=%(greeting)
logdate = %%Y-%m-%%d
ini = :extra

[extra]
processes = 3
""")
    printed = print_config(liege_bin, ini)
    assert printed.splitlines() == [
        f"wsgi-file = {HELLO}",
        f"env = CONF={tmp_path}/conf.d/a.conf",
        f"env = CONF={tmp_path}/conf.d/b.conf",
        "env = HOST_alpha=yes",
        "env = HOST_beta=yes",
        "env = WORD=x",
        "env = WORD=y",
        "env = GREETING=hello from 42",
        "logdate = %Y-%m-%d",
        "processes = 3",
    ]


def test_failing_exec_and_placeholder_cycles_are_errors(liege_bin, tmp_path):
    ini = tmp_path / "cycle.ini"
    ini.write_text(f"""[uwsgi]
wsgi-file = {HELLO}
set-ph = a=%(b)
set-ph = b=%(a)
set-placeholder = c=@(exec://exit 3)
env = C=%(c)
for-readline = missing.txt
endfor
""")
    result = check_config(liege_bin, ini)
    assert result.returncode == 1
    assert "cycle.ini:3: placeholder cycle: a -> b -> a" in result.stderr
    assert "cycle.ini:4: placeholder cycle: b -> a -> b" in result.stderr
    assert "cycle.ini:6:" in result.stderr and "exited with status 3" in result.stderr
    assert 'cycle.ini:7: cannot read "missing.txt"' in result.stderr


def test_uwsgi_socket_show_config_umask_and_procname(start_liege, tmp_path):
    port = free_port()
    sock = tmp_path / "app.sock"
    server = start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
uwsgi-socket = {sock}
wsgi-file = {HELLO}
umask = 077
show-config = true
procname-prefix-spaced = [shop]
""")
    assert http_request(port)[2] == b"Hello, World!"
    assert stat.S_IMODE(os.stat(sock).st_mode) == 0o700
    log = server.log()
    assert "configuration:" in log and f"socket = {sock}" in log and "end of configuration" in log
    assert cmdline(server.pid) == "[shop] liege master app"


def test_procname_replaces_the_role_name(start_liege, tmp_path):
    port = free_port()
    server = start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {HELLO}\nprocname = shop\nprocname-prefix = x-\n")
    assert cmdline(server.pid) == "x-shop master"


@pytest.mark.parametrize("option", ["daemonize", "daemonize2"])
def test_daemonize_detaches_and_logs_to_the_file(liege_bin, tmp_path, option):
    port = free_port()
    log = tmp_path / "daemon.log"
    pidfile = tmp_path / "master.pid"
    ini = tmp_path / "daemon.ini"
    ini.write_text(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {HELLO}
{option} = {log}
pidfile = {pidfile}
""")
    launched = subprocess.run([liege_bin, "--ini", str(ini)], capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    assert launched.returncode == 0, launched.stderr
    assert "daemonized" in launched.stderr
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), message="pidfile")
    pid = int(pidfile.read_text())
    try:
        wait_until(lambda: "ready" in log.read_text(), message="ready in the daemon log")
        assert http_request(port)[2] == b"Hello, World!"
        assert os.getsid(pid) == pid, "the daemonized master leads its own session"
        assert "liege master daemon" in cmdline(pid)
    finally:
        os.kill(pid, signal.SIGTERM)
        wait_until(lambda: not alive(pid), message="daemonized master gone")
    assert "master exiting with status 0" in log.read_text()


def test_a_vassal_does_not_detach_but_logs_to_its_daemonize_file(emperor, tmp_path):
    server, vassals = emperor()
    port = free_port()
    log = tmp_path / "vassal.log"
    write_app(vassals, "dapp", "daemon-vassal")
    (vassals / "dapp.ini").write_text(vassal_ini(port, "dapp", f"daemonize = {log}\n"))
    body = wait_until(lambda: http_request(port)[2], 60, message="vassal serves")
    assert body.startswith(b"daemon-vassal")
    master = server.master_of("dapp")
    assert master is not None and os.getsid(master) != master
    wait_until(lambda: log.exists() and "ready" in log.read_text(), message="vassal log in the daemonize file")
    assert '"daemonize" is ignored under the emperor' in server.log()
