"""The options that say which app to load and in what surroundings."""
from support import free_port, http_request


def write_app(directory, name, body):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(body)


def test_wsgi_file_with_callable(start_liege, tmp_path):
    write_app(tmp_path / "site", "entry.py",
              "def app(environ, start_response):\n"
              "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
              "    return [b'from wsgi-file']\n")
    port = free_port()
    start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {tmp_path}/site/entry.py
callable = app
""")
    assert http_request(port)[2] == b"from wsgi-file"


def test_module_with_colon_callable_and_factory(start_liege, tmp_path):
    write_app(tmp_path / "pkg", "__init__.py", "")
    write_app(tmp_path / "pkg", "factory.py",
              "def make():\n"
              "    def app(environ, start_response):\n"
              "        start_response('200 OK', [('Content-Type', 'text/plain')])\n"
              "        return [b'made by a factory']\n"
              "    return app\n")
    port = free_port()
    start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {tmp_path}
module = pkg.factory:make()
""")
    assert http_request(port)[2] == b"made by a factory"


def test_pythonpath_entries_come_first_in_order(start_liege, tmp_path):
    write_app(tmp_path / "first", "shared.py", "WHO = b'first'\n")
    write_app(tmp_path / "second", "shared.py", "WHO = b'second'\n")
    write_app(tmp_path / "second", "pathapp.py",
              "import shared\n"
              "def application(environ, start_response):\n"
              "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
              "    return [shared.WHO]\n")
    port = free_port()
    start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
pythonpath = {tmp_path}/first
pythonpath = {tmp_path}/second
module = pathapp
""")
    assert http_request(port)[2] == b"first"


def test_env_sets_and_unenv_removes_variables(start_liege, tmp_path):
    write_app(tmp_path, "envapp.py",
              "import os\n"
              "def application(environ, start_response):\n"
              "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
              "    return [('%s|%s|%s' % (os.environ.get('GREETING'), os.environ.get('WITH_EQUALS'),\n"
              "             os.environ.get('LIEGE_TEST_DROP', 'gone'))).encode()]\n")
    port = free_port()
    start_liege(f"""
[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {tmp_path}
module = envapp
env = GREETING=hello
env = WITH_EQUALS=a=b
unenv = LIEGE_TEST_DROP
""", env={"LIEGE_TEST_DROP": "present"})
    assert http_request(port)[2] == b"hello|a=b|gone"


def test_yaml_config_runs_the_same_app(liege_bin, tmp_path):
    from conftest import APPS
    from support import Liege
    port = free_port()
    config = tmp_path / "hello.yaml"
    config.write_text(f"""
uwsgi:
  http-socket: 127.0.0.1:{port}
  chdir: {APPS}
  module: hello
  processes: 2
""")
    server = Liege(liege_bin, ["--yaml", str(config)], tmp_path / "yaml.log")
    try:
        server.wait_ready()
        assert http_request(port)[2] == b"Hello, World!"
    finally:
        server.stop()
