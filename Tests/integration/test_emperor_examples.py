"""The example vassals of `make run`: valid configs, and all serving under an emperor."""
import re
import shutil
import subprocess

from conftest import ROOT
from emperor_support import Emperor, body_of, free_port, wait_until

EXAMPLES = sorted((ROOT / "vassals").glob("*.ini"))


def test_every_example_vassal_passes_check_config(liege_bin):
    assert {p.name for p in EXAMPLES} >= {"hello.ini", "jobs.ini", "cheap.ini"}
    for path in EXAMPLES:
        result = subprocess.run([liege_bin, "--check-config", "--ini", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path.name}: {result.stderr}"


def test_make_run_emperor_serves_every_example(liege_bin, tmp_path):
    vassals = tmp_path / "vassals"
    shutil.copytree(ROOT / "vassals", vassals)
    ports = {}
    for path in vassals.glob("*.ini"):
        port = free_port()
        text, count = re.subn(r"^http-socket = 127\.0\.0\.1:80\d\d$", f"http-socket = 127.0.0.1:{port}", path.read_text(),
                              flags=re.M)
        assert count == 1, path.name
        path.write_text(text)
        ports[path.stem] = port
    server = Emperor(liege_bin, ["--emperor", str(vassals)], tmp_path / "run.log")
    try:
        for name, port in ports.items():
            body = wait_until(lambda p=port: body_of(p), 60, message=f"example {name} serves")
            assert body
        assert "Hello from Liege" in body_of(ports["hello"])
        css = body_of(ports["hello"], "/static/style.css")   # served by static-map, not by the app
        assert css == (vassals / "hello" / "static" / "style.css").read_text()
    finally:
        server.stop()
