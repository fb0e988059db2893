"""The configs of the ASGI guide (docs/asgi.md), its nginx section and the migrating sections for
uvicorn, daphne and gunicorn: each is valid as printed, the FastAPI one serves a real FastAPI app, and
`root-path` does what the guide says."""
import json
import re
import subprocess

import pytest

from conftest import VENV
from docs_support import doc_block, substituted
from support import free_port, get

BLOCKS = [
    ("asgi.md", "asgi-django.ini"),
    ("asgi.md", "asgi-fastapi.ini"),
    ("asgi.md", "asgi-channels-redis.ini"),
    ("nginx.md", "asgi-nginx.ini"),
    ("migrating.md", "from-uvicorn.ini"),
    ("migrating.md", "from-daphne.ini"),
    ("migrating.md", "from-gunicorn.ini"),
]

FASTAPI_APP = '''
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item}")
async def item(item: int):
    return {"item": item}
'''

ROOT_PATH_APP = '''
import json


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = json.dumps({"root_path": scope["root_path"], "path": scope["path"]}).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]})
    await send({"type": "http.response.body", "body": body})
'''


@pytest.mark.parametrize("doc,name", BLOCKS)
def test_the_guide_config_is_valid(liege_bin, tmp_path, doc, name):
    ini = tmp_path / name
    ini.write_text(doc_block(doc, name))
    result = subprocess.run([liege_bin, "--check-config", "--ini", str(ini)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_migrating_configs_carry_the_command_line_values():
    """Each translation keeps the values of the command it translates (workers, root path, lifespan...)."""
    uvicorn = doc_block("migrating.md", "from-uvicorn.ini")
    for line in ("processes = 4", "root-path = /x", "asgi-lifespan = on", "http-socket = 127.0.0.1:8000",
                 "asgi = mysite.asgi:application"):
        assert re.search(rf"^{re.escape(line)}$", uvicorn, re.M), line
    daphne = doc_block("migrating.md", "from-daphne.ini")
    for line in ("http-socket = 127.0.0.1:8001", "root-path = /x"):
        assert re.search(rf"^{re.escape(line)}$", daphne, re.M), line
    gunicorn = doc_block("migrating.md", "from-gunicorn.ini")
    for line in ("processes = 4", "max-requests = 1000", "max-requests-delta = 50", "worker-reload-mercy = 30",
                 "http-keepalive = 5"):
        assert re.search(rf"^{re.escape(line)}$", gunicorn, re.M), line


def test_the_fastapi_config_serves_a_fastapi_app(start_liege, tmp_path):
    (tmp_path / "main.py").write_text(FASTAPI_APP)
    port = free_port()
    ini = substituted(doc_block("asgi.md", "asgi-fastapi.ini"),
                      ("127.0.0.1:8000", f"127.0.0.1:{port}"), ("chdir = /srv/api", f"chdir = {tmp_path}"),
                      ("virtualenv = /srv/api/venv", f"virtualenv = {VENV}"), ("processes = 4", "processes = 1"))
    server = start_liege(ini, name="api")
    status, body = get(port, "/items/42")
    assert (status, json.loads(body)) == (200, {"item": 42}), server.log()
    status, _body = get(port, "/items/not-a-number")
    assert status == 422


def test_root_path_is_the_prefix_and_path_includes_it(start_liege, tmp_path):
    """docs/asgi.md: with `root-path = /shop`, a request for /cart/1 has root_path /shop and path /shop/cart/1."""
    (tmp_path / "rootapp.py").write_text(ROOT_PATH_APP)
    port = free_port()
    setting = doc_block("asgi.md", "asgi-root-path.ini").strip()
    assert setting == "root-path = /shop"
    start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nchdir = {tmp_path}\nasgi = rootapp:app\n"
                f"virtualenv = {VENV}\n{setting}\n", name="rootpath")
    status, body = get(port, "/cart/1")
    assert (status, json.loads(body)) == (200, {"root_path": "/shop", "path": "/shop/cart/1"})
