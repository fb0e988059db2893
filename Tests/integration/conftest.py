"""Shared fixtures for the integration tests: they start the real `liege` binary against real apps."""
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from support import Liege, free_port, wait_until  # noqa: E402
from emperor_support import Emperor  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures"
APPS = FIXTURES / "apps"
VENV = ROOT / ".venv"


@pytest.fixture(scope="session")
def liege_bin():
    path = os.environ.get("LIEGE_BIN") or str(ROOT / ".build" / "debug" / "liege")
    assert os.access(path, os.X_OK), f"liege binary not found at {path}; run `make build`"
    return path


@pytest.fixture
def start_liege(liege_bin, tmp_path):
    """Starts a master from an ini text; stops every one started in the test, and checks none leaks."""
    started = []

    def start(ini_text, name="app", extra_args=(), wait=True, env=None):
        ini = tmp_path / f"{name}.ini"
        ini.write_text(ini_text)
        server = Liege(liege_bin, ["--ini", str(ini), *extra_args], tmp_path / f"{name}.log", env=env)
        started.append(server)
        if wait:
            server.wait_ready()
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def emperor(liege_bin, tmp_path):
    """Starts `liege --emperor` on tmp_path/vassals (or `directory`; `source` replaces the watched
    argument, e.g. a glob) with extra arguments; returns (emperor, vassals directory). Stops every one
    started in the test, and checks no vassal process is left."""
    started = []

    def start(*args, env=None, directory=None, source=None):
        vassals = directory or tmp_path / "vassals"
        vassals.mkdir(exist_ok=True)
        server = Emperor(liege_bin, ["--emperor", source or str(vassals), *args], tmp_path / f"emperor{len(started)}.log",
                         env=env)
        started.append(server)
        server.wait_log("emperor governing")
        return server, vassals

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def django_project(tmp_path_factory):
    """A real Django project made by `django-admin startproject`, DEBUG off, migrated (SQLite)."""
    base = tmp_path_factory.mktemp("django")
    subprocess.run([str(VENV / "bin" / "django-admin"), "startproject", "mysite", str(base)], check=True)
    settings = base / "mysite" / "settings.py"
    text = settings.read_text()
    text = text.replace("DEBUG = True", "DEBUG = False")
    text = text.replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = ['localhost', '127.0.0.1']")
    text += "\nSTATIC_ROOT = BASE_DIR / 'collected-static'\n"
    settings.write_text(text)
    subprocess.run([str(VENV / "bin" / "python"), "manage.py", "migrate", "-v", "0"], cwd=base, check=True)
    return base


__all__ = ["free_port", "wait_until", "APPS", "VENV", "FIXTURES", "signal", "socket", "time"]
