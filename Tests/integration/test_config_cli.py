"""The config language through the real binary: `liege --check-config` / `--print-config`."""
import os
import subprocess

import pytest

LIEGE = os.environ.get("LIEGE_BIN", "")

SHOP_INI = """\
[uwsgi]
http-socket = :8080
socket = /run/shop.sock
socket = 127.0.0.1:3031
master
processes = 4
module = shop.wsgi:application
env = DJANGO_SETTINGS_MODULE=shop.settings
env = MODE=%(mode)
mode = production
vacuum = yes
buffer-size = 32K
processes = 6
"""

SHOP_YAML = """\
uwsgi:
  http-socket: :8080
  socket:
    - /run/shop.sock
    - 127.0.0.1:3031
  master:
  processes: 4
  module: shop.wsgi:application
  env: [DJANGO_SETTINGS_MODULE=shop.settings, "MODE=%(mode)"]
  mode: production
  vacuum: yes
  buffer-size: 32K
  processes: 6
"""

SHOP_ARGS = [
    "--http-socket", ":8080", "--socket", "/run/shop.sock", "--socket=127.0.0.1:3031", "--master",
    "--processes", "4", "--module", "shop.wsgi:application", "--env", "DJANGO_SETTINGS_MODULE=shop.settings",
    "--env", "MODE=%(mode)", "--mode", "production", "--vacuum", "--buffer-size", "32K", "--processes", "6",
]

SHOP_PRINTED = """\
http-socket = :8080
socket = /run/shop.sock
socket = 127.0.0.1:3031
master = true
processes = 6
module = shop.wsgi:application
env = DJANGO_SETTINGS_MODULE=shop.settings
env = MODE=production
vacuum = true
buffer-size = 32768
"""


def liege(*args, cwd, env=None):
    assert LIEGE and os.access(LIEGE, os.X_OK), "set LIEGE_BIN to the liege binary"
    environment = {**os.environ, **(env or {})}
    return subprocess.run([LIEGE, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=30)


def write(directory, name, text):
    (directory / name).write_text(text)


def assert_one_error(result, expected):
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [expected]


def test_typo_is_located_with_a_suggestion(tmp_path):
    write(tmp_path, "bad.ini", "[uwsgi]\nmaster = true\nprocesess = 4\n")
    result = liege("--check-config", "--ini", "bad.ini", cwd=tmp_path)
    assert_one_error(result, 'bad.ini:3: unknown option "procesess" (did you mean "processes"?)')


def test_every_error_is_reported_together(tmp_path):
    write(tmp_path, "bad.ini", "[uwsgi]\nmaster = ture\nprocesess = 4\nthreads = -1\n")
    result = liege("--check-config", "bad.ini", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'bad.ini:2: "master" expects a boolean (true/false, yes/no, on/off, 1/0), got "ture"',
        'bad.ini:3: unknown option "procesess" (did you mean "processes"?)',
        'bad.ini:4: "threads" must not be negative, got "-1"',
    ]


def test_good_config_checks_clean(tmp_path):
    write(tmp_path, "shop.ini", SHOP_INI)
    result = liege("--check-config", "shop.ini", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_ini_yaml_and_command_line_print_identical_bytes(tmp_path):
    write(tmp_path, "shop.ini", SHOP_INI)
    write(tmp_path, "shop.yaml", SHOP_YAML)
    outputs = [
        liege("--print-config", "--ini", "shop.ini", cwd=tmp_path),
        liege("--print-config", "--yaml", "shop.yaml", cwd=tmp_path),
        liege("--print-config", *SHOP_ARGS, cwd=tmp_path),
    ]
    for result in outputs:
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout == SHOP_PRINTED


def test_command_line_overrides_in_place(tmp_path):
    write(tmp_path, "a.ini", "[uwsgi]\nprocesses = 3\n")
    result = liege("--print-config", "--processes", "2", "--ini", "a.ini", "--processes", "4", cwd=tmp_path)
    assert result.stdout == "processes = 4\n"


def test_include_cycle(tmp_path):
    write(tmp_path, "a.ini", "[uwsgi]\ninclude = b.ini\n")
    write(tmp_path, "b.ini", "[uwsgi]\nmaster = true\ninclude = a.ini\n")
    assert_one_error(liege("--check-config", "a.ini", cwd=tmp_path), "b.ini:3: include cycle: a.ini -> b.ini -> a.ini")


def test_undefined_placeholder(tmp_path):
    write(tmp_path, "app.ini", "[uwsgi]\nmaster = true\nchdir = /srv/%(x)\n")
    assert_one_error(liege("--check-config", "app.ini", cwd=tmp_path),
                     'app.ini:3: "%(x)" is not defined (no option or placeholder "x")')


def test_missing_file_reference(tmp_path):
    write(tmp_path, "app.ini", "[uwsgi]\nenv = SECRET=@(secret.txt)\n")
    assert_one_error(liege("--check-config", "app.ini", cwd=tmp_path),
                     'app.ini:2: cannot read "secret.txt" for "@(secret.txt)"')
    write(tmp_path, "secret.txt", "s3cret\n")
    assert liege("--print-config", "app.ini", cwd=tmp_path).stdout == "env = SECRET=s3cret\n"


def test_invalid_yaml(tmp_path):
    write(tmp_path, "app.yaml", "uwsgi:\n  socket: [a, b\n  master: true\n")
    assert_one_error(liege("--check-config", "app.yaml", cwd=tmp_path),
                     "app.yaml:3:9: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)")


def test_unknown_magic_variable(tmp_path):
    write(tmp_path, "app.ini", "[uwsgi]\nenv = TODAY=%Y\n")
    assert_one_error(liege("--check-config", "app.ini", cwd=tmp_path),
                     'app.ini:2: unknown magic variable "%Y" (write "%%Y" for a literal "%Y")')


def test_magic_variables_and_environment(tmp_path):
    (tmp_path / "vassals").mkdir()
    write(tmp_path / "vassals", "shop.ini", "[uwsgi]\nchdir = %d\nmodule = %n.wsgi\nenv = STAGE=$(STAGE)\n")
    result = liege("--print-config", "vassals/shop.ini", cwd=tmp_path, env={"STAGE": "prod"})
    assert result.returncode == 0
    assert result.stdout == f"chdir = {tmp_path}/vassals/\nmodule = shop.wsgi\nenv = STAGE=prod\n"


def test_http_is_read_as_http_socket_with_a_notice(tmp_path):
    result = liege("--print-config", "--http", ":9090", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "http-socket = :9090\n"
    assert '"http" is read as "http-socket"' in result.stderr


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_the_registry(tmp_path, flag):
    result = liege(flag, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: liege")
    for option in ("--processes", "--http-socket", "--harakiri", "--set-placeholder"):
        assert option in result.stdout


def test_version(tmp_path):
    assert liege("--version", cwd=tmp_path).stdout == "liege 0.1.0\n"


def test_options_markdown_matches_the_committed_file(tmp_path):
    committed = (os.path.dirname(__file__) + "/../../docs/options.md")
    with open(committed, encoding="utf-8") as handle:
        assert liege("--print-options-markdown", cwd=tmp_path).stdout == handle.read()
