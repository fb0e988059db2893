"""docs/systemd.md's unit file: valid for systemd, and its commands behave as the unit expects."""
import re
import shlex
import shutil
import signal
import socket
import subprocess

import pytest

from conftest import ROOT
from emperor_support import Emperor, body_of, free_port, vassal_ini, wait_until, write_app

DOC = ROOT / "docs" / "systemd.md"


def unit_text():
    return re.search(r"```ini\n(\[Unit\].*?)```", DOC.read_text(), re.S).group(1)


def setting(text, key):
    return re.search(rf"^{key}=(.*)$", text, re.M).group(1)


def test_unit_file_has_the_settings_the_emperor_relies_on():
    text = unit_text()
    assert setting(text, "Type") == "notify"
    assert setting(text, "ExecReload") == "/bin/kill -HUP $MAINPID"
    assert setting(text, "KillSignal") == "SIGTERM"
    assert setting(text, "KillMode") == "mixed"
    assert int(setting(text, "TimeoutStopSec")) > 30          # longer than emperor-curse-tolerance
    assert setting(text, "Restart") == "always"
    assert setting(text, "ExecStart").startswith("/usr/bin/liege --emperor ")


def test_the_guide_shows_the_unit_the_package_installs():
    packaged = (ROOT / "packaging" / "liege-emperor.service").read_text()
    assert unit_text() == packaged.replace("@BINDIR@", "/usr/bin").replace("@SYSCONFDIR@", "/etc")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify_accepts_the_unit(liege_bin, tmp_path):
    unit = tmp_path / "liege-emperor.service"
    unit.write_text(unit_text().replace("/usr/bin/liege", liege_bin))
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr          # unknown keys are only warnings: refuse them too


def test_the_units_commands_start_reload_and_stop_the_emperor(liege_bin, tmp_path):
    vassals = tmp_path / "vassals"
    vassals.mkdir()
    write_app(vassals, "unitapp", "unit")
    port = free_port()
    (vassals / "unit.ini").write_text(vassal_ini(port, "unitapp"))
    command = shlex.split(setting(unit_text(), "ExecStart"))
    command = [liege_bin if part == "/usr/bin/liege" else part for part in command]
    command = [str(vassals) if part == "/etc/liege/vassals" else part for part in command]
    command = [str(tmp_path / "emperor.pid") if part == "/run/liege/emperor.pid" else part for part in command]
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(60)
    server = Emperor(command[0], command[1:], tmp_path / "unit.log", env={"NOTIFY_SOCKET": str(tmp_path / "notify")})
    try:
        messages = []

        def receive(token):
            while not any(token in m for m in messages):
                messages.append(notify.recv(4096).decode())

        receive("READY=1")
        assert body_of(port)
        assert (tmp_path / "emperor.pid").read_text().strip() == str(server.pid)
        reload = setting(unit_text(), "ExecReload").replace("$MAINPID", str(server.pid))
        subprocess.run(shlex.split(reload), check=True, timeout=30)
        receive("RELOADING=1")
        server.process.send_signal(getattr(signal, setting(unit_text(), "KillSignal")))
        receive("STOPPING=1")
        assert server.process.wait(timeout=int(setting(unit_text(), "TimeoutStopSec"))) == 0
        assert not (tmp_path / "emperor.pid").exists()
    finally:
        notify.close()
        server.stop()
