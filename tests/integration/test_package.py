"""The Debian package (CPack, from the build directory of the binary under
test): its control fields and files, the program run from the unpacked
package against the session's server, the man pages read by man(1),
`mahavishnu help` opening a page on a terminal and printing --help off one,
and, in CI as root, `dpkg -i` itself."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

BIN = Path(os.environ.get("MAHAVISHNU_BIN", REPO / "build" / "mahavishnu")).resolve()
BUILD = BIN.parent
DEPENDS = ("libcurl4", "libjansson4", "libyaml-0-2", "libtree-sitter0")

pytestmark = pytest.mark.skipif(not (BUILD / "CPackConfig.cmake").exists(),
                                reason="the binary is not in a CMake build directory")


@pytest.fixture(scope="module")
def deb(tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    proc = subprocess.run(["cpack", "-G", "DEB", "-B", str(out)], cwd=BUILD,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = out.glob("mahavishnu_*.deb")
    return path


@pytest.fixture(scope="module")
def unpacked(deb, tmp_path_factory):
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=60)
    return root


def field(deb, name):
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_control_fields_name_the_libraries(deb):
    assert field(deb, "Package") == "mahavishnu"
    depends = [d.split()[0] for d in field(deb, "Depends").split(", ")]
    assert set(DEPENDS) <= set(depends), depends
    version = subprocess.run([str(BIN), "--version"], capture_output=True, text=True).stdout
    assert version.split()[1] == field(deb, "Version")


def test_package_holds_program_pages_and_completions(unpacked):
    usr = unpacked / "usr"
    assert (usr / "bin" / "mahavishnu").is_file()
    pages = sorted(p.name for p in (usr / "share" / "man" / "man1").iterdir())
    assert "mahavishnu.1.gz" in pages and "mahavishnu-prefect-flow.1.gz" in pages
    assert (usr / "share" / "bash-completion" / "completions" / "mahavishnu").is_file()
    assert (usr / "share" / "zsh" / "vendor-completions" / "_mahavishnu").is_file()
    assert (usr / "share" / "fish" / "vendor_completions.d" / "mahavishnu.fish").is_file()


def test_unpacked_program_talks_to_the_server(unpacked, run, scratch):
    run.bin = str(unpacked / "usr" / "bin" / "mahavishnu")
    rc, out, err = run("--version")
    assert rc == 0 and out.startswith("mahavishnu ")
    rc, out, err = run("prefect", "flow", "list", "-o", "json")
    assert rc == 0, err
    assert isinstance(json.loads(out), list)


def man_env(unpacked, run):
    return dict(run.environ(), MANPATH=str(unpacked / "usr" / "share" / "man"), MANPAGER="cat",
                PAGER="cat", MANWIDTH="100")


def test_man_pages_render_every_command(unpacked, run):
    env = man_env(unpacked, run)
    proc = subprocess.run(["man", "mahavishnu-prefect-flow"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "MAHAVISHNU-PREFECT-FLOW(1)" in proc.stdout
    for command in ("prefect flow create", "prefect flow list", "prefect flow execute"):
        assert command in proc.stdout
    assert "--entrypoint" in proc.stdout.replace("‐", "-")
    top = subprocess.run(["man", "mahavishnu"], capture_output=True, text=True, env=env,
                         timeout=60).stdout
    assert "EXIT STATUS" in top and "GLOBAL OPTIONS" in top and "mahavishnu-sweep(1)" in top


def test_help_opens_the_page_on_a_terminal_and_prints_help_off_one(unpacked, run):
    env = man_env(unpacked, run)
    binary = unpacked / "usr" / "bin" / "mahavishnu"
    proc = subprocess.run(["script", "-qec", f"{binary} help prefect flow list", "/dev/null"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "MAHAVISHNU-PREFECT-FLOW(1)" in proc.stdout
    run.bin = str(binary)
    rc, out, err = run("help", "prefect", "flow", "list", env={"MANPATH": env["MANPATH"]})
    assert rc == 0 and out.startswith("usage: mahavishnu prefect flow list")
    rc, out, err = run("help", "prefect", "flw")
    assert rc == 2 and "'flw' is not a mahavishnu command" in err


@pytest.mark.skipif(os.environ.get("CI") != "true" or os.geteuid() != 0 or
                    not shutil.which("dpkg"), reason="dpkg -i only in CI, as root")
def test_dpkg_installs_and_removes_the_package(deb):
    subprocess.run(["dpkg", "-i", str(deb)], check=True, capture_output=True, timeout=120)
    try:
        out = subprocess.run(["/usr/bin/mahavishnu", "--version"], capture_output=True,
                             text=True, check=True).stdout
        assert out.startswith("mahavishnu ")
        assert subprocess.run(["man", "-w", "mahavishnu"], capture_output=True).returncode == 0
    finally:
        subprocess.run(["dpkg", "-r", "mahavishnu"], check=True, capture_output=True,
                       timeout=120)
