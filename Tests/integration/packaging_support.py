"""Helpers for the packaging tests: the static release binary, `make install`/`make deb` into scratch
directories, a scratch dpkg root, and a mount namespace with the Swift toolchain hidden."""
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

VERSION = re.search(r'string = "(.*)"', (ROOT / "Sources/LiegeConfig/LiegeVersion.swift").read_text()).group(1)
ARCH = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
DEB_NAME = f"liege_{VERSION}_{ARCH}.deb"     # what `make deb` writes


def release_binary():
    """The release binary `make test` builds (static Swift runtime); fails with what to run otherwise."""
    path = pathlib.Path(os.environ.get("LIEGE_RELEASE_BIN") or ROOT / ".build" / "release" / "liege")
    if not os.access(path, os.X_OK):
        pytest.fail(f"release binary not found at {path}; run `make release` (make test builds it)")
    return path


def make(*targets, **variables):
    """`make -o release TARGETS VAR=value...` in the repository: the release binary is taken as built."""
    command = ["make", "--no-print-directory", "-C", str(ROOT), "-o", "release", *targets,
               *(f"{key}={value}" for key, value in variables.items())]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def linked_libraries(binary):
    """ldd's resolved paths (and the lines it could not resolve)."""
    output = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in output.splitlines() if "=>" in line or line.strip().startswith("/")]


def depends(deb):
    """Depends of a .deb as {package: minimum version or None}."""
    field = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True, text=True, check=True).stdout
    result = {}
    for entry in field.strip().split(","):
        match = re.fullmatch(r"\s*([a-z0-9.+-]+)(?:\s*\(>=\s*([^)]+)\))?\s*", entry)
        assert match, f"unexpected Depends entry {entry!r} in {field!r}"
        result[match.group(1)] = match.group(2)
    return result


def scratch_dpkg_root(root, installed=()):
    """An empty dpkg database under `root` that knows `installed` packages as this host has them (their
    status stanzas only, no files): dpkg then checks a package's Depends against real Debian versions."""
    admin = root / "var" / "lib" / "dpkg"
    for sub in ("info", "updates", "triggers"):
        (admin / sub).mkdir(parents=True, exist_ok=True)
    stanzas = []
    for package in installed:
        stanzas.append(subprocess.run(["dpkg-query", "-s", package], capture_output=True, text=True,
                                      check=True).stdout.strip())
        arch = subprocess.run(["dpkg-query", "-W", "-f=${Architecture}", package], capture_output=True, text=True,
                              check=True).stdout
        for name in (package, f"{package}:{arch}"):
            (admin / "info" / f"{name}.list").touch()
    (admin / "status").write_text("\n\n".join(stanzas) + ("\n\n" if stanzas else ""))
    return root


def dpkg(root, *args):
    return subprocess.run(["dpkg", f"--root={root}", f"--log={root}/dpkg.log", *args], capture_output=True,
                          text=True, timeout=120)


def toolchain_directory(debug_binary):
    """Where the Swift runtime of a non-static build comes from: the toolchain prefix above
    `usr/lib/swift` in ldd's path of libswiftCore (e.g. /opt/swift)."""
    for line in linked_libraries(debug_binary):
        match = re.search(r"=>\s*(/\S*?)/usr/lib/swift\S*/libswiftCore\.so", line)
        if match:
            return pathlib.Path(match.group(1))
    swift = shutil.which("swift")
    if swift:
        return pathlib.Path(os.path.realpath(swift)).parents[2]
    return None


def masked(toolchain, *command):
    """`command` in a private mount namespace where an empty tmpfs hides `toolchain`."""
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            'mount -t tmpfs -o size=1m liege-test-mask "$0" && exec "$@"', str(toolchain), *map(str, command)]
