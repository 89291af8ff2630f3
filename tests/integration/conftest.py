"""Integration test harness: one real Prefect server for the session, the
built mahavishnu binary run with a clean environment, and a REST helper for
setting up and checking the server's state.

Run:  MAHAVISHNU_BIN=build/mahavishnu python -m pytest -q tests/integration
Prefect is started with the interpreter running pytest (sys.executable), so
the virtualenv that has `prefect` installed must be the one running pytest.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from mv_helpers import Rest, free_port, unique

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("MAHAVISHNU_BIN") or str(REPO / "build" / "mahavishnu")

SERVER_START_DEADLINE = 120.0
SERVER_POLL_INTERVAL = 0.5


def _log_tail(path, lines=60):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError as exc:
        return f"(no server log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


class PrefectServer:
    def __init__(self, url, proc, log_path, home):
        self.url = url                  # http://127.0.0.1:PORT
        self.api_url = url + "/api"     # what clients use
        self.proc = proc
        self.log_path = log_path
        self.home = home

    def log_tail(self, lines=60):
        return _log_tail(self.log_path, lines)


def _stop_group(proc):
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"mahavishnu binary not found or not executable: {BIN} "
                    "(set MAHAVISHNU_BIN or build it with cmake)")
    base = tmp_path_factory.mktemp("prefect-server")
    home = base / "prefect-home"
    cwd = base / "cwd"
    home.mkdir()
    cwd.mkdir()
    log_path = base / "server.log"
    port = free_port()

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({
        "HOME": str(base),
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    })
    cmd = [sys.executable, "-m", "prefect", "server", "start",
           "--host", "127.0.0.1", "--port", str(port), "--no-ui", "--analytics-off"]
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    log.close()
    url = f"http://127.0.0.1:{port}"
    server = PrefectServer(url, proc, log_path, home)
    try:
        deadline = time.monotonic() + SERVER_START_DEADLINE
        while True:
            if proc.poll() is not None:
                pytest.fail(f"prefect server exited with {proc.returncode} before "
                            f"answering /api/health; log tail:\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"prefect server did not answer {url}/api/health within "
                            f"{SERVER_START_DEADLINE:.0f} s; log tail:\n{server.log_tail()}")
            time.sleep(SERVER_POLL_INTERVAL)
        yield server
    finally:
        _stop_group(proc)


@pytest.fixture(scope="session")
def rest(prefect_server):
    client = Rest(prefect_server.api_url)
    yield client
    client.close()


class Runner:
    """Runs the binary with a clean environment from a fresh directory.

    run(*args, env=None, cwd=None, input=None, timeout=60, stdout=None)
      -> (rc, stdout, stderr)

    env entries are added to the clean environment; a value of None removes
    the variable (e.g. env={"PREFECT_API_URL": None}). stdin is /dev/null
    (never a TTY) unless input is given (then a pipe). stdout may be an open
    file to send standard output there instead of capturing it."""

    def __init__(self, api_url, base):
        self.api_url = api_url
        self.base = Path(base)
        self.home = self.base / "home"
        self.xdg = self.home / ".config"
        self.cwd = self.base / "cwd"
        for d in (self.home, self.xdg, self.cwd):
            d.mkdir(parents=True, exist_ok=True)
        self.bin = BIN

    def environ(self, extra=None):
        env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.xdg),
        }
        if self.api_url:
            env["PREFECT_API_URL"] = self.api_url
        for key, value in (extra or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = str(value)
        return env

    def __call__(self, *args, env=None, cwd=None, input=None, timeout=60, stdout=None):
        cmd = [self.bin, *[str(a) for a in args]]
        kwargs = dict(env=self.environ(env), cwd=str(cwd or self.cwd), timeout=timeout,
                      stderr=subprocess.PIPE)
        if input is None:
            kwargs["stdin"] = subprocess.DEVNULL
        else:
            kwargs["input"] = input.encode() if isinstance(input, str) else input
        kwargs["stdout"] = stdout if stdout is not None else subprocess.PIPE
        proc = subprocess.run(cmd, **kwargs)
        out = proc.stdout.decode("utf-8") if proc.stdout is not None else ""
        err = proc.stderr.decode("utf-8")
        return proc.returncode, out, err

    def write(self, relpath, text):
        """Write a file relative to the run directory (e.g. settings/local.yaml)."""
        path = self.cwd / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path


@pytest.fixture
def run(prefect_server, tmp_path):
    return Runner(prefect_server.api_url, tmp_path / "run")


@pytest.fixture
def scratch(rest):
    """Creates flows (and their runs/deployments) via REST for one test and
    deletes them, and any flow registered with track(), afterwards."""
    s = Scratch(rest)
    yield s
    s.cleanup()


class Scratch:
    def __init__(self, rest):
        self.rest = rest
        self.ids = []
        self.names = []

    def flow(self, name=None, tags=(), labels=None, runs=(), deployment=None):
        """runs: state types, oldest first. deployment: a version string
        (or "" for a deployment without version)."""
        flow = self.rest.create_flow(name or unique("flow"), tags, labels)
        self.ids.append(flow["id"])
        for state in runs:
            self.rest.create_flow_run(flow["id"], state)
        if deployment is not None:
            self.rest.create_deployment(flow["id"], unique("dep"), deployment or None)
        return flow

    def track(self, name):
        """A flow the binary creates: delete it by name at the end."""
        self.names.append(name)
        return name

    def cleanup(self):
        for name in self.names:
            try:
                flow = self.rest.flow_by_name(name)
            except Exception:
                flow = None
            if flow:
                self.ids.append(flow["id"])
        for fid in self.ids:
            try:
                self.rest.delete_flow(fid)
            except Exception:
                pass
