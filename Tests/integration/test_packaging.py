"""Installable without Swift: the static release binary, `make install`, `make deb` installed into a
scratch dpkg root, and the packaged binary serving with the toolchain hidden by a mount namespace."""
import os
import stat
import subprocess

import pytest

from conftest import ROOT
from emperor_support import Emperor, body_of, free_port, vassal_ini, wait_until, write_app
from packaging_support import (DEB_NAME, depends, dpkg, linked_libraries, make, masked, release_binary, scratch_dpkg_root,
                               toolchain_directory)

# What the binary may link: Debian's C/C++ runtime, libpython3 and libyaml (plus libpython's own libz, libexpat).
EXPECTED_DEPENDS = {"libc6", "libstdc++6", "libgcc-s1", "libpython3.11", "libyaml-0-2"}
UNIT = "liege-emperor.service"


def packaged_unit(bindir, sysconfdir="/etc"):
    text = (ROOT / "packaging" / UNIT).read_text()
    return text.replace("@BINDIR@", bindir).replace("@SYSCONFDIR@", sysconfdir)


@pytest.fixture(scope="module")
def deb(tmp_path_factory):
    directory = tmp_path_factory.mktemp("deb")
    make("deb", DEB_DIR=directory, RELEASE_BIN=release_binary(), DEB_COMPRESSION="gzip")
    debs = list(directory.glob("*.deb"))
    assert [deb.name for deb in debs] == [DEB_NAME]
    return debs[0]


@pytest.fixture(scope="module")
def installed_root(deb, tmp_path_factory):
    """The .deb installed with dpkg into a scratch root whose database has the Depends as this host has them."""
    root = scratch_dpkg_root(tmp_path_factory.mktemp("root"), installed=depends(deb))
    result = dpkg(root, "-i", str(deb))
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_the_release_binary_links_no_swift_library():
    libraries = linked_libraries(release_binary())
    assert libraries, "ldd printed no library"
    assert not [line for line in libraries if "swift" in line.lower() or "dispatch" in line.lower()], libraries
    assert not [line for line in libraries if "not found" in line], libraries
    assert any("libpython3" in line for line in libraries) and any("libyaml" in line for line in libraries)


def test_make_install_puts_the_binary_the_unit_and_an_empty_vassals_dir(tmp_path):
    stage = tmp_path / "stage"
    make("install", DESTDIR=stage, PREFIX="/opt/liege", RELEASE_BIN=release_binary())
    binary = stage / "opt/liege/bin/liege"
    assert binary.read_bytes() == release_binary().read_bytes()
    assert stat.S_IMODE(binary.stat().st_mode) == 0o755
    assert (stage / "opt/liege/lib/systemd/system" / UNIT).read_text() == packaged_unit("/opt/liege/bin")
    assert "ExecStart=/opt/liege/bin/liege --emperor /etc/liege/vassals " in packaged_unit("/opt/liege/bin")
    vassals = stage / "etc/liege/vassals"
    assert vassals.is_dir() and not list(vassals.iterdir())
    assert (stage / "opt/liege/share/doc/liege/docs/quickstart.md").read_text() == (ROOT / "docs/quickstart.md").read_text()


def test_the_deb_names_the_debian_packages_it_links(deb):
    needs = depends(deb)
    assert EXPECTED_DEPENDS <= needs.keys(), needs
    assert not [name for name in needs if "swift" in name], needs
    for package, minimum in needs.items():      # each one is a real Debian package, new enough here
        installed = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
        assert installed.returncode == 0, f"{package} is not a package installed here"
        assert minimum is None or subprocess.run(["dpkg", "--compare-versions", installed.stdout, "ge", minimum]).returncode == 0
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Architecture"], capture_output=True, text=True,
                            check=True).stdout
    assert "Package: liege" in fields


def test_dpkg_refuses_the_deb_where_its_depends_are_missing(deb, tmp_path):
    result = dpkg(scratch_dpkg_root(tmp_path / "empty"), "-i", str(deb))
    assert result.returncode != 0
    assert "depends on libpython3.11" in result.stderr, result.stderr


def test_the_deb_installs_its_files_and_removes_them(installed_root, deb):
    root = installed_root
    status = dpkg(root, "-s", "liege").stdout
    assert "Status: install ok installed" in status
    listed = set(dpkg(root, "-L", "liege").stdout.split())
    for path in ("/usr/bin/liege", f"/usr/lib/systemd/system/{UNIT}", "/etc/liege/vassals",
                 "/usr/share/doc/liege/README.md", "/usr/share/doc/liege/docs/quickstart.md"):
        assert path in listed, path
    assert (root / "usr/bin/liege").read_bytes() == release_binary().read_bytes()
    assert (root / "usr/lib/systemd/system" / UNIT).read_text() == packaged_unit("/usr/bin")
    assert (root / "etc/liege/vassals").is_dir() and not list((root / "etc/liege/vassals").iterdir())
    # Removing a copy of the root shows the package takes its files with it.
    copy = root.parent / "removed"
    subprocess.run(["cp", "-a", str(root), str(copy)], check=True)
    result = dpkg(copy, "--purge", "liege")
    assert result.returncode == 0, result.stderr
    assert not (copy / "usr/bin/liege").exists() and not (copy / "etc/liege").exists()


def test_the_packaged_emperor_serves_with_the_swift_toolchain_masked(installed_root, liege_bin, tmp_path):
    toolchain = toolchain_directory(liege_bin)
    if toolchain is None or str(toolchain) in ("/", "/usr"):
        pytest.skip(f"the Swift runtime comes from {toolchain}: it cannot be masked without hiding the system")
    if os.geteuid() != 0:
        pytest.skip("mounting over the toolchain needs root (make test runs as root)")
    # The mask works: the toolchain-linked debug binary cannot even start inside it.
    broken = subprocess.run(masked(toolchain, liege_bin, "--version"), capture_output=True, text=True, timeout=30)
    assert broken.returncode != 0 and "libswift" in broken.stderr, broken.stderr
    binary = installed_root / "usr/bin/liege"
    assert subprocess.run(masked(toolchain, binary, "--version"), capture_output=True, text=True,
                          timeout=30).stdout.startswith("liege ")
    # The package's emperor on the package's vassals directory, as its unit starts it.
    vassals = installed_root / "etc/liege/vassals"
    app = tmp_path / "app"
    app.mkdir()
    write_app(app, "packaged", "served without swift")
    port = free_port()
    (vassals / "packaged.ini").write_text(vassal_ini(port, "packaged").replace("chdir = %d", f"chdir = {app}"))
    command = masked(toolchain, binary, "--emperor", vassals)
    emperor = Emperor(command[0], command[1:], tmp_path / "emperor.log")
    try:
        body = wait_until(lambda: body_of(port), 60, message="the packaged vassal serves")
        assert body.startswith("served without swift")
        worker = wait_until(lambda: [p for p in emperor.everything() if "liege worker" in open(f"/proc/{p}/cmdline").read()
                                     .replace("\0", " ")], 30, message="a worker")[0]
        assert os.readlink(f"/proc/{worker}/exe") == str(binary)
        maps = open(f"/proc/{worker}/maps").read()
        assert "swift" not in maps.lower(), [line for line in maps.splitlines() if "swift" in line.lower()][:5]
    finally:
        emperor.stop()
        (vassals / "packaged.ini").unlink()
