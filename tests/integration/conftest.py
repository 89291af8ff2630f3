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
    # scripts/test-postgres runs the suite on PostgreSQL: a postgresql:// URL is
    # given to Prefect with its async driver, as `server start --database` does
    database = os.environ.get("MAHAVISHNU_TEST_DATABASE")
    if database:
        for plain in ("postgresql://", "postgres://"):
            if database.startswith(plain):
                database = "postgresql+asyncpg://" + database[len(plain):]
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database
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


# ---------------------------------------------------------------------------
# Deployments, flow execution and local processes: a real Prefect process
# worker started through the program, the tests/fixtures/flows/run_*.py flows
# deployed to it, and helpers that watch runs on the server.

import json as _json
import shutil as _shutil
from dataclasses import dataclass as _dataclass

RUN_FLOWS_SRC = REPO / "tests" / "fixtures" / "flows"
RUN_FLOW_SPECS = {            # key -> (file, function)
    "ok": ("run_ok.py", "ok_flow"),
    "fail": ("run_fail.py", "fail_flow"),
    "echo": ("run_echo.py", "echo"),
    "sleep": ("run_sleep.py", "sleep_flow"),
}
FINAL_STATES = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
WORKER_START_TIMEOUT = 150.0
# Harness settings for the worker (research/prefect-api.md section 8): poll the
# pool every second, take runs up to 5 s ahead, look for cancelled runs every
# 5 s besides the event stream, send logs to the API twice a second.
WORKER_SETTINGS = {
    "PREFECT_WORKER_QUERY_SECONDS": "1",
    "PREFECT_WORKER_PREFETCH_SECONDS": "5",
    "PREFECT_WORKER_CANCELLATION_POLL_SECONDS": "5",
    "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.5",
}


def local_prefect_env(state_dir):
    """env= entries for commands that start Prefect programs or run flow code:
    the `prefect` script and the Python of the interpreter running pytest, and
    an XDG state directory of the caller's (pid files and logs go there)."""
    bindir = Path(sys.executable).parent
    return {
        "XDG_STATE_HOME": str(state_dir),
        "MAHAVISHNU_PREFECT_COMMAND": str(bindir / "prefect"),
        "MAHAVISHNU_PYTHON": sys.executable,
    }


def process_alive(pid):
    """True when pid names a live process (a zombie counts as gone)."""
    try:
        with open(f"/proc/{int(pid)}/status") as f:
            for line in f:
                if line.startswith("State:"):
                    return "Z" not in line.split()[1]
    except (OSError, ValueError):
        return False
    return True


def read_pid_file(state_dir, name):
    try:
        # "PID START-TIME": the program records the start time to tell a reused PID apart
        return int((Path(state_dir) / "mahavishnu" / f"{name}.pid").read_text().split()[0])
    except (OSError, ValueError):
        return None


@_dataclass
class ProcessWorker:
    pool: str               # the work pool it polls (created by --create-pool)
    pid: int
    log: str                # its log file, as worker start reported it
    state_dir: Path         # its XDG_STATE_HOME
    env: dict               # env= for run() so commands share its settings
    runner: "Runner"        # a session-wide Runner
    start: tuple            # (rc, stdout, stderr) of `worker start -o json`

    def log_tail(self, lines=40):
        return _log_tail(self.log, lines)


@pytest.fixture(scope="session")
def run_flows_dir(tmp_path_factory):
    """The run_*.py fixture flows copied into a directory of their own. A process
    worker runs a deployment in its code's directory, first on sys.path, and
    tests/fixtures/flows also holds files such as warnings.py that would shadow
    the standard library there (the run crashes on import)."""
    d = tmp_path_factory.mktemp("run-flows") / "flows"
    d.mkdir()
    for src in sorted(RUN_FLOWS_SRC.glob("run_*.py")):
        _shutil.copy(src, d / src.name)
    return d


@pytest.fixture(scope="session")
def process_worker(prefect_server, rest, tmp_path_factory):
    """`mahavishnu prefect worker start --pool <unique> --create-pool`, stopped
    with `worker stop --pool` at the end of the session."""
    base = tmp_path_factory.mktemp("process-worker")
    runner = Runner(prefect_server.api_url, base / "run")
    state = base / "state"
    env = dict(local_prefect_env(state), **WORKER_SETTINGS)
    pool = unique("mv-pool")
    name = "worker-" + pool
    start = runner("prefect", "worker", "start", "--pool", pool, "--create-pool",
                   "-o", "json", env=env, timeout=WORKER_START_TIMEOUT)
    try:
        rc, out, err = start
        if rc != 0:
            pytest.fail(f"worker start --pool {pool} exited {rc}: {err}\nworker log:\n"
                        f"{_log_tail(state / 'mahavishnu' / (name + '.log'))}")
        doc = _json.loads(out)
        yield ProcessWorker(pool=pool, pid=int(doc["pid"]), log=doc["log"], state_dir=state,
                            env=env, runner=runner, start=start)
    finally:
        stop = runner("prefect", "worker", "stop", "--pool", pool, env=env, timeout=60)
        pid = read_pid_file(state, name)
        leftover = pid is not None and process_alive(pid)
        if leftover:    # the program did not stop the worker it started
            os.kill(pid, signal.SIGKILL)
        rest.raw("DELETE", f"/work_pools/{pool}")
        if stop[0] != 0 or leftover:
            pytest.fail(f"worker stop --pool {pool}: exit {stop[0]}, stderr {stop[2]!r}, "
                        f"worker still running: {leftover}")


@_dataclass
class DeployedFlow:
    key: str                # ok, fail, echo, sleep
    flow: str               # the flow's name on the server
    flow_id: str
    name: str               # the deployment's name
    id: str                 # the deployment's id
    entrypoint: str         # absolute FILE.py:FUNC
    doc: dict               # `deploy -o json` output


@pytest.fixture(scope="session")
def worker_deployments(process_worker, run_flows_dir, rest):
    """Each run_*.py flow deployed once (through the program) to the worker's
    pool under a flow name of its own: {key: DeployedFlow}."""
    deployed = {}
    try:
        for key, (fname, func) in RUN_FLOW_SPECS.items():
            flow = unique(f"run-{key}")
            name = unique(f"d-{key}")
            entrypoint = f"{run_flows_dir / fname}:{func}"
            rc, out, err = process_worker.runner(
                "prefect", "deploy", flow, "--name", name, "--entrypoint", entrypoint,
                "--work-pool", process_worker.pool, "-o", "json", env=process_worker.env)
            if rc != 0:
                pytest.fail(f"deploy {flow} --name {name} exited {rc}: {err}")
            doc = _json.loads(out)
            deployed[key] = DeployedFlow(key=key, flow=flow, flow_id=doc["flow_id"], name=name,
                                         id=doc["id"], entrypoint=entrypoint, doc=doc)
        yield deployed
    finally:
        for d in deployed.values():
            try:
                rest.delete_flow(d.flow_id)
            except Exception:
                pass


class RunWatch:
    """Reads flow runs, their logs and the server's object counts, and polls
    with deadlines."""

    def __init__(self, rest):
        self.rest = rest

    @staticmethod
    def until(predicate, timeout, what, interval=0.25):
        """predicate() until it returns something truthy; fails after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
            time.sleep(interval)

    def get(self, run_id):
        return self.rest.call("GET", f"/flow_runs/{run_id}")

    def wait_state(self, run_id, types, timeout=90):
        def check():
            run = self.get(run_id)
            return run if run["state_type"] in types else None
        return self.until(check, timeout, f"run {run_id} to reach {types}")

    def wait_final(self, run_id, timeout=90):
        return self.wait_state(run_id, FINAL_STATES, timeout)

    def logs(self, run_id, min_level=0):
        out = []
        while True:
            page = self.rest.call("POST", "/logs/filter", {
                "logs": {"flow_run_id": {"any_": [run_id]},
                         "level": {"ge_": min_level}},
                "sort": "TIMESTAMP_ASC", "offset": len(out), "limit": 200})
            out.extend(page)
            if len(page) < 200:
                return out

    def wait_log(self, run_id, fragment, timeout=30):
        """The run's log records once one contains fragment."""
        def check():
            logs = self.logs(run_id)
            return logs if any(fragment in l["message"] for l in logs) else None
        return self.until(check, timeout, f"a log line with {fragment!r} from run {run_id}")

    def runs_of_deployment(self, deployment_id):
        return self.rest.call("POST", "/flow_runs/filter", {
            "flow_runs": {"deployment_id": {"any_": [deployment_id]}},
            "sort": "EXPECTED_START_TIME_DESC", "limit": 200})

    def manual_runs_since(self, since):
        """Runs expected to start at or after since (an aware datetime) that the
        scheduler did not create: what a command run after since created."""
        return [r for r in self.rest.call("POST", "/flow_runs/filter", {
                    "flow_runs": {"expected_start_time": {"after_": since.isoformat()}},
                    "limit": 200})
                if not r["auto_scheduled"]]

    def counts(self):
        """What bad input must not change."""
        c = lambda path: self.rest.call("POST", path, {})
        return {"flows": c("/flows/count"), "deployments": c("/deployments/count"),
                "work_pools": c("/work_pools/count")}


@pytest.fixture(scope="session")
def runs(rest):
    return RunWatch(rest)


# ---------------------------------------------------------------------------
# Schedules and backfill: deployments made over REST, with the schedules a
# test needs (no work pool, no worker: their runs stay Scheduled).

@pytest.fixture
def make_deployment(rest, scratch):
    """make(schedules=(), **fields) -> the new deployment (with "flow_name") of
    a new flow that scratch deletes afterwards, runs and all. schedules are
    DeploymentScheduleCreate objects, e.g. {"schedule": {"cron": "0 0 * * *"}}."""
    def make(schedules=(), **fields):
        flow = scratch.flow(unique("sched-flow"))
        body = {"name": unique("dep"), "flow_id": flow["id"], "schedules": list(schedules)}
        body.update(fields)
        dep = rest.call("POST", "/deployments/", body)
        dep["flow_name"] = flow["name"]
        return dep
    return make
