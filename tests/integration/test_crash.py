"""Crash safety with a real server: a Prefect server of this module's own
(not the session's), killed with SIGKILL and started again on the same port
and the same SQLite file, with a process worker that rides the restart out.

- `flow execute --wait` and `flow-runs logs --follow` across a restart: both
  keep waiting (one line when the server is lost, one when it is back) and
  end by the run's true final state.
- `flow execute --wait` with the server down past --timeout: ends within
  --timeout and a few seconds, exit 5, one line naming the run, that it goes
  on and `flow-runs get ID`; `logs --follow` stopped with Ctrl-C meanwhile.
- SIGINT and SIGTERM while waiting: exit 130 / 143 and what to run.
- `backfill` with the server killed mid-way, and SIGTERM while the server is
  down, and SIGINT while it is up: each says how many runs were created and
  to run it again; the re-run ends with exactly the planned runs.
- `sweep --concurrency 1` across a restart, then SIGTERM: exit 143 saying
  how many runs exist; the re-run makes exactly one run per repository.

Every subprocess has a timeout; the server and worker are process groups
of their own, killed in the fixtures' teardown whatever happens."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import (BIN, WORKER_SETTINGS, Runner, _log_tail, local_prefect_env, process_alive,
                      read_pid_file)
from mv_helpers import Rest, free_port, unique

SERVER_START_DEADLINE = 120.0
WIDE = {"COLUMNS": "250"}
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
OUTAGE = 3.0            # seconds between the kill and the restart


class CrashServer:
    """`prefect server start` on a fixed port and PREFECT_HOME (so the same
    SQLite file), in a process group of its own, that can be killed and
    started again."""

    def __init__(self, base):
        self.base = Path(base)
        self.home = self.base / "prefect-home"
        self.cwd = self.base / "cwd"
        self.home.mkdir(parents=True)
        self.cwd.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = self.url + "/api"
        self.proc = None
        self.starts = 0
        self.up_seconds = []        # how long each start took to answer /api/health

    def log_path(self):
        return self.base / f"server-{self.starts}.log"

    def start(self):
        self.starts += 1
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update({
            "HOME": str(self.base),
            "PREFECT_HOME": str(self.home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_ENABLED": "false",
            "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        })
        cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
               "--port", str(self.port), "--no-ui", "--analytics-off"]
        with open(self.log_path(), "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        t0 = time.monotonic()
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"prefect server exited with {self.proc.returncode}; log:\n"
                            f"{_log_tail(self.log_path())}")
            if self.answering():
                self.up_seconds.append(time.monotonic() - t0)
                return
            if time.monotonic() - t0 > SERVER_START_DEADLINE:
                pytest.fail(f"prefect server did not answer within {SERVER_START_DEADLINE} s; "
                            f"log:\n{_log_tail(self.log_path())}")
            time.sleep(0.25)

    def answering(self):
        try:
            with urllib.request.urlopen(self.api_url + "/health", timeout=2) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def kill(self):
        """SIGKILL to the whole group: no shutdown, as a crash or OOM kill would."""
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)
        assert not self.answering()

    def ensure_up(self):
        if self.proc is None or self.proc.poll() is not None or not self.answering():
            self.kill()
            self.start()


@pytest.fixture(scope="module")
def crash_server(tmp_path_factory):
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"mahavishnu binary not found or not executable: {BIN}")
    server = CrashServer(tmp_path_factory.mktemp("crash-server"))
    try:
        server.start()
        yield server
    finally:
        server.kill()


@pytest.fixture(scope="module")
def crest(crash_server):
    """REST on the crash server; a new connection per test (the server restarts)."""
    client = Rest(crash_server.api_url)
    yield client
    client.close()


@pytest.fixture
def server(crash_server, crest):
    """The crash server, answering when the test begins."""
    crash_server.ensure_up()
    crest.close()
    return crash_server


@pytest.fixture(scope="module")
def crash_worker(crash_server, tmp_path_factory):
    """A process worker of the crash server's, started through the program;
    (runner, env, pool)."""
    crash_server.ensure_up()
    base = tmp_path_factory.mktemp("crash-worker")
    runner = Runner(crash_server.api_url, base / "run")
    state = base / "state"
    env = dict(local_prefect_env(state), **WORKER_SETTINGS)
    pool = unique("crash-pool")
    name = "worker-" + pool
    try:
        rc, out, err = runner("prefect", "worker", "start", "--pool", pool, "--create-pool",
                              "-o", "json", env=env, timeout=150)
        assert rc == 0, err
        yield runner, env, pool, state
    finally:
        pid = read_pid_file(state, name)
        if crash_server.answering():
            runner("prefect", "worker", "stop", "--pool", pool, env=env, timeout=60)
        if pid and process_alive(pid):
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def flows_dir(tmp_path_factory):
    """The fixture flows this module runs, in a directory of their own (see run_flows_dir)."""
    d = tmp_path_factory.mktemp("crash-flows") / "flows"
    d.mkdir()
    src = Path(__file__).resolve().parents[1] / "fixtures" / "flows"
    for name in ("run_ticks.py", "run_repo.py"):
        (d / name).write_text((src / name).read_text())
    return d


def deploy(crash_worker, flows_dir, entry):
    runner, env, pool, _ = crash_worker
    flow, name = unique("crash-flow"), unique("d")
    rc, out, err = runner("prefect", "deploy", flow, "--name", name, "--entrypoint",
                          f"{flows_dir / entry}", "--work-pool", pool, "-o", "json", env=env,
                          timeout=60)
    assert rc == 0, err
    return flow, name, json.loads(out)["id"]


@pytest.fixture(scope="module")
def ticks(crash_worker, flows_dir):
    return deploy(crash_worker, flows_dir, "run_ticks.py:ticks_flow")


@pytest.fixture
def mv(crash_server, tmp_path):
    return Runner(crash_server.api_url, tmp_path / "run")


def popen(mv, *args, cwd=None, env=None):
    return subprocess.Popen([mv.bin, *[str(a) for a in args]], env=mv.environ(env),
                            cwd=str(cwd or mv.cwd), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc, timeout):
    """(rc, stdout, stderr) of a Popen'd command; killed when it overruns."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=10)
        pytest.fail(f"{proc.args[1:]} still running after {timeout} s; stderr:\n"
                    f"{err.decode()}")
    return proc.returncode, out.decode(), err.decode()


def until(predicate, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def runs_of(crest, deployment_id, *tags):
    body = {"flow_runs": {"deployment_id": {"any_": [deployment_id]}}, "limit": 200}
    if tags:
        body["flow_runs"]["tags"] = {"all_": list(tags)}
    out = []
    while True:
        body["offset"] = len(out)
        page = crest.call("POST", "/flow_runs/filter", body)
        out.extend(page)
        if len(page) < 200:
            return out


def new_run(crest, deployment_id, before, timeout=30):
    def check():
        fresh = [r for r in runs_of(crest, deployment_id) if r["id"] not in before]
        return fresh[0] if fresh else None
    return until(check, timeout, "the command's run on the server")


def get_run(crest, run_id):
    return crest.call("GET", f"/flow_runs/{run_id}")


def log_messages(crest, run_id):
    return [l["message"] for l in crest.call("POST", "/logs/filter", {
        "logs": {"flow_run_id": {"any_": [run_id]}}, "sort": "TIMESTAMP_ASC", "limit": 200})]


def lines_with(text, fragment):
    return [l for l in text.splitlines() if fragment in l]


def restart(server, outage=OUTAGE):
    """Kill the server, leave it down for `outage` seconds, start it again:
    (when it was killed, when it answered again) as monotonic times."""
    server.kill()
    killed = time.monotonic()
    time.sleep(outage)
    server.start()
    return killed, time.monotonic()


# --- waiting and following across a restart ----------------------------------------

def test_wait_and_follow_ride_out_a_server_restart(server, crest, mv, ticks, crash_worker):
    flow, name, dep_id = ticks
    before = {r["id"] for r in runs_of(crest, dep_id)}
    t0 = time.monotonic()
    execute = popen(mv, "prefect", "flow", "execute", flow, "-d", name, "--param",
                    "seconds=18", "--wait", "--timeout", "150", "-o", "json")
    follow = None
    try:
        run_id = new_run(crest, dep_id, before)["id"]
        follow = popen(mv, "prefect", "flow-runs", "logs", run_id, "--follow")
        until(lambda: any(m.startswith("tick 2 of") for m in log_messages(crest, run_id)),
              90, "the run's second tick")
        killed, back = restart(server)
        rc, out, err = finish(execute, 120)
        ended = time.monotonic()
        frc, fout, ferr = finish(follow, 30)
    finally:
        for p in (execute, follow):
            if p and p.poll() is None:
                p.kill()
                p.communicate()
    print(f"\nride-out: run {run_id}: killed at {killed - t0:.1f} s, answering again at "
          f"{back - t0:.1f} s ({back - killed:.1f} s down), --wait ended at {ended - t0:.1f} s")

    # the waiter kept waiting and ended by the run's true final state
    assert rc == 0, (err, _log_tail(crash_worker[3] / "mahavishnu" /
                                    f"worker-{crash_worker[2]}.log"))
    doc = json.loads(out)
    assert doc["id"] == run_id
    assert doc["state_type"] == "COMPLETED"
    assert get_run(crest, run_id)["state_type"] == "COMPLETED"
    assert ended > back, "the waiter ended before the server was back"
    lost = lines_with(err, "lost the Prefect API")
    assert len(lost) == 1, err
    assert server.api_url in lost[0] and run_id in lost[0] and "Ctrl-C" in lost[0]
    again = lines_with(err, "answers again")
    assert len(again) == 1 and run_id in again[0], err
    assert err.index("lost the Prefect API") < err.index("answers again")

    # the follower too, and printed each log line once
    assert frc == 0, ferr
    assert len(lines_with(ferr, "lost the Prefect API")) == 1, ferr
    assert len(lines_with(ferr, "answers again")) == 1, ferr
    shown = [l for l in fout.splitlines() if "tick " in l or "ticks done" in l]
    assert any("tick 1 of 18" in l for l in shown), fout
    assert any("ticks done" in l for l in shown), fout     # logged after the restart
    assert len(shown) == len(set(shown)), fout              # nothing printed twice


def test_wait_gives_up_at_its_timeout_while_the_server_is_down(server, crest, mv, ticks):
    flow, name, dep_id = ticks
    before = {r["id"] for r in runs_of(crest, dep_id)}
    timeout = 15
    t0 = time.monotonic()
    execute = popen(mv, "prefect", "flow", "execute", flow, "-d", name, "--param",
                    "seconds=30", "--wait", "--timeout", timeout, "-o", "json")
    follow = None
    try:
        run_id = new_run(crest, dep_id, before)["id"]
        follow = popen(mv, "prefect", "flow-runs", "logs", run_id, "--follow")
        # killed once the run's process has reached the server (it then rides it out)
        until(lambda: get_run(crest, run_id)["state_type"] == "RUNNING", timeout - 3,
              "the run to be Running")
        assert execute.poll() is None and follow.poll() is None
        server.kill()
        killed = time.monotonic()
        rc, out, err = finish(execute, timeout + 30)
        ended = time.monotonic()
        # the follower has no --timeout: it waits for the server until Ctrl-C
        assert follow.poll() is None, "logs --follow ended while the server was down"
        follow.send_signal(signal.SIGINT)
        frc, fout, ferr = finish(follow, 15)
    finally:
        for p in (execute, follow):
            if p and p.poll() is None:
                p.kill()
                p.communicate()
    print(f"\ndown past --timeout {timeout}: killed at {killed - t0:.1f} s, --wait ended at "
          f"{ended - t0:.1f} s")

    assert rc == 5, err
    assert timeout <= ended - t0 < timeout + 5, f"ended after {ended - t0:.1f} s"
    assert json.loads(out)["id"] == run_id
    assert len(lines_with(err, "lost the Prefect API")) == 1, err
    last = [l for l in err.splitlines() if l.strip()][-1]
    assert f"gave up waiting after {timeout}s" in last, err
    assert run_id in last and "goes on" in last, err
    assert f"'mahavishnu prefect flow-runs get {run_id}'" in last, err
    assert server.api_url in last and "not answering for" in last, err

    assert frc == 130, ferr
    assert len(lines_with(ferr, "lost the Prefect API")) == 1, ferr
    stopped = lines_with(ferr, "stopped following")
    assert len(stopped) == 1 and "not answering for" in stopped[0], ferr
    assert f"'mahavishnu prefect flow-runs logs {run_id} --follow'" in stopped[0], ferr

    # back up: the run the waiter gave up on goes on
    server.start()
    assert get_run(crest, run_id)["state_type"] == "RUNNING"


def test_wait_gives_up_on_time_while_the_server_is_stalled(server, crest, mv, ticks):
    """SIGSTOP: the server's socket still accepts, nothing answers (a hung
    server); no poll may hold the wait past its --timeout."""
    flow, name, dep_id = ticks
    before = {r["id"] for r in runs_of(crest, dep_id)}
    timeout = 6
    t0 = time.monotonic()
    execute = popen(mv, "prefect", "flow", "execute", flow, "-d", name, "--param",
                    "seconds=1", "--wait", "--timeout", timeout, "-o", "json")
    stopped = False
    try:
        run_id = new_run(crest, dep_id, before)["id"]
        assert execute.stderr.readline().strip(), "no state line on stderr"
        os.killpg(server.proc.pid, signal.SIGSTOP)
        stopped = True
        rc, out, err = finish(execute, timeout + 30)
        ended = time.monotonic()
    finally:
        if stopped:
            os.killpg(server.proc.pid, signal.SIGCONT)
        if execute.poll() is None:
            execute.kill()
            execute.communicate()
    print(f"\nstalled past --timeout {timeout}: --wait ended at {ended - t0:.1f} s")
    assert rc == 5, err
    assert timeout <= ended - t0 < timeout + 4, f"ended after {ended - t0:.1f} s"
    assert len(lines_with(err, "lost the Prefect API")) == 1, err
    last = [l for l in err.splitlines() if l.strip()][-1]
    assert f"gave up waiting after {timeout}s" in last and "not answering for" in last, err
    assert f"'mahavishnu prefect flow-runs get {run_id}'" in last, err
    # going on, the server answers again and the run ends
    until(lambda: get_run(crest, run_id)["state_type"] in FINAL, 90, f"run {run_id} to end")
    assert get_run(crest, run_id)["state_type"] == "COMPLETED"


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["sigint", "sigterm"])
def test_signal_while_waiting_says_what_to_run(server, crest, mv, ticks, sig, code):
    flow, name, dep_id = ticks
    before = {r["id"] for r in runs_of(crest, dep_id)}
    execute = popen(mv, "prefect", "flow", "execute", flow, "-d", name, "--param",
                    "seconds=3", "--wait", "-o", "json")
    try:
        run_id = new_run(crest, dep_id, before)["id"]
        first = execute.stderr.readline().decode()      # a state line: it is waiting
        assert first.strip(), "no state line on stderr"
        execute.send_signal(sig)
        rc, out, err = finish(execute, 15)
    finally:
        if execute.poll() is None:
            execute.kill()
            execute.communicate()
    assert rc == code, err
    assert json.loads(out)["id"] == run_id
    said = lines_with(err, "stopped waiting")
    assert len(said) == 1 and "goes on" in said[0], err
    assert f"'mahavishnu prefect flow-runs logs {run_id} --follow'" in said[0], err
    # stopping the wait does not stop the run
    assert get_run(crest, run_id)["state_type"] not in ("CANCELLING", "CANCELLED")
    if sig == signal.SIGTERM:
        until(lambda: get_run(crest, run_id)["state_type"] in FINAL, 90, f"run {run_id} to end")
        assert get_run(crest, run_id)["state_type"] == "COMPLETED"


# --- backfill ----------------------------------------------------------------------

# A run a day from 2031 (so that nothing runs and the late-run service leaves
# the runs alone): 150 runs in 6 requests of 25. Prefect on SQLite creates
# about 30 runs a second here, so this takes about 5 s: long enough to be cut
# after the first request, where a few dozen runs could be over first.
DAILY = ("--start", "2031-01-01", "--end", "2031-05-30", "--max-runs", "1000")
DAILY_RUNS = 150


@pytest.fixture
def daily(crest):
    """A deployment without schedules (its backfill is a run a day at 00:00
    UTC) and without a pool (its runs stay Scheduled)."""
    flow = crest.call("POST", "/flows/", {"name": unique("crash-bf")})
    return crest.call("POST", "/deployments/", {"name": unique("dep"), "flow_id": flow["id"],
                                                 "schedules": []})


def backfill_count(crest, dep):
    return crest.call("POST", "/flow_runs/count", {"flow_runs": {
        "deployment_id": {"any_": [dep["id"]]}, "tags": {"all_": ["backfill"]}}})


def start_backfill(mv, crest, dep, at_least=25):
    """The backfill, once the server has at least `at_least` of its runs."""
    proc = popen(mv, "prefect", "backfill", dep["id"], *DAILY, "-o", "json", env=WIDE)
    until(lambda: backfill_count(crest, dep) >= at_least or proc.poll() is not None, 60,
          "the backfill's first runs", interval=0.02)
    assert proc.poll() is None, "the backfill ended before it could be cut: " \
        f"{proc.communicate()[1].decode()}"
    return proc


def rerun_is_exact(mv, crest, dep, partial):
    rc, out, err = mv("prefect", "backfill", dep["id"], *DAILY, "-o", "json", env=WIDE,
                      timeout=120)
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    assert doc["planned"] == DAILY_RUNS
    assert doc["existed"] == partial and doc["created"] == DAILY_RUNS - partial
    runs = runs_of(crest, dep["id"], "backfill")
    assert len(runs) == DAILY_RUNS
    assert len({r["expected_start_time"] for r in runs}) == DAILY_RUNS
    assert len({r["idempotency_key"] for r in runs}) == DAILY_RUNS


def test_backfill_cut_by_a_server_kill_says_how_far_it_got_and_a_rerun_completes(
        server, crest, mv, daily):
    proc = start_backfill(mv, crest, daily)
    try:
        server.kill()
        killed = time.monotonic()
        rc, out, err = finish(proc, 60)
        ended = time.monotonic()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    print(f"\nbackfill cut by a kill: ended {ended - killed:.1f} s after the kill")
    assert rc == 6, err
    assert out == ""
    assert ended - killed < 20
    lines = err.splitlines()
    assert lines[0].startswith("mahavishnu: stopped with at least "), err
    assert f"of the {DAILY_RUNS} missing runs created" in lines[0], err
    assert server.api_url in lines[0], err
    said = int(lines[0].split("at least ")[1].split()[0])
    assert lines[1].startswith("hint: run the same backfill again once the server answers")

    server.start()
    partial = backfill_count(crest, daily)
    assert said <= partial < DAILY_RUNS
    rerun_is_exact(mv, crest, daily, partial)


@pytest.mark.parametrize("sig, code, down", [(signal.SIGINT, 130, False),
                                             (signal.SIGTERM, 143, True)],
                         ids=["sigint", "sigterm-server-down"])
def test_backfill_signalled_says_how_far_it_got_and_a_rerun_completes(server, crest, mv, daily,
                                                                      sig, code, down):
    proc = start_backfill(mv, crest, daily)
    try:
        if down:        # it is retrying a server that is gone
            server.kill()
            time.sleep(0.3)
        proc.send_signal(sig)
        signalled = time.monotonic()
        rc, out, err = finish(proc, 60)
        ended = time.monotonic()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    print(f"\nbackfill {signal.Signals(sig).name}{' server down' if down else ''}: ended "
          f"{ended - signalled:.1f} s after the signal")
    assert rc == code, err
    assert out == ""
    assert ended - signalled < 15
    lines = err.splitlines()
    said = re.match(r"mahavishnu: interrupted with (at least )?(\d+) of the (\d+) missing runs "
                    r"created$", lines[0])
    assert said, err
    # read back when the server answers; what it answered before it went, when it is down
    assert bool(said.group(1)) == down, err
    assert int(said.group(3)) == DAILY_RUNS
    assert lines[1].startswith("hint: run the same backfill again"), err

    if down:
        server.start()
    partial = backfill_count(crest, daily)
    assert int(said.group(2)) <= partial < DAILY_RUNS
    if not down:
        assert int(said.group(2)) == partial
    rerun_is_exact(mv, crest, daily, partial)


# --- sweep -------------------------------------------------------------------------

SWEEP_REPOS = ("alpha", "bravo", "charlie")


def test_sweep_rides_out_a_restart_and_after_sigterm_a_rerun_makes_one_run_each(
        server, crest, mv, crash_worker, flows_dir, tmp_path):
    flow, name, dep_id = deploy(crash_worker, flows_dir, "run_repo.py:repo_flow")
    tag = unique("crash")
    reg = tmp_path / "repos.yaml"
    reg.write_text("repos:\n" + "".join(
        f"  - name: {n}\n    path: {tmp_path / n}\n    tags: [{tag}]\n" for n in SWEEP_REPOS))
    env = dict(WIDE, MAHAVISHNU_REPOS_PATH=str(reg))
    # alpha's run sleeps through the outage (a flow's process rides a restart
    # out, retrying its requests, as long as it is not finishing meanwhile)
    args = ("sweep", "--tag", tag, "--deployment", f"{flow}/{name}", "--param", "seconds=20")
    t0 = time.monotonic()
    # one run at a time: the sweep waits for alpha's run before it creates bravo's
    proc = popen(mv, *args, "--concurrency", "1", env=env)
    err_lines = []

    def read_until(fragment, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            line = proc.stderr.readline().decode()
            if not line:
                break
            err_lines.append(line)
            if fragment in line:
                return line
        pytest.fail(f"no {fragment!r} on the sweep's stderr: {''.join(err_lines)}")

    try:
        created = read_until("alpha: run ", 30)
        alpha_id = created.split("(")[1].split(")")[0]
        until(lambda: get_run(crest, alpha_id)["state_type"] == "RUNNING", 90,
              "alpha's run to be Running")
        killed, back = restart(server)
        assert proc.poll() is None, "the sweep ended while the server was down"
        read_until("bravo: run ", 90)
        proc.send_signal(signal.SIGTERM)
        rc, out, rest_err = finish(proc, 20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    err = "".join(err_lines) + rest_err
    print(f"\nsweep: killed at {killed - t0:.1f} s, answering again at {back - t0:.1f} s")

    assert rc == 143, err
    assert len(lines_with(err, "lost the Prefect API")) == 1, err
    assert len(lines_with(err, "answers again")) == 1, err
    stopped = lines_with(err, "stopped with 2 of 3 runs created")
    assert len(stopped) == 1 and "run the same command again" in stopped[0], err
    # alpha's own process usually rides the outage out, but Prefect's engine may
    # also crash a run whose server went away under it (seen in CI: a
    # CancelledError in the flow's sleep); either way it ended, and the re-run
    # below must not make it again
    alpha = until(lambda: (lambda r: r if r["state_type"] in FINAL else None)(
        get_run(crest, alpha_id)), 60, "alpha's run to end")
    assert alpha["state_type"] in ("COMPLETED", "CRASHED"), (alpha["state"], _log_tail(
        crash_worker[3] / "mahavishnu" / f"worker-{crash_worker[2]}.log"))

    # the same command (--concurrency is not part of the plan; without it the
    # missing run is created at once)
    rc, out, err = mv(*args, "-o", "json", env=env, timeout=60)
    assert rc == 0, err
    assert "resuming sweep" in err and "2 of 3 runs exist" in err, err
    doc = json.loads(out)
    assert doc["missing"] == 0
    runs = runs_of(crest, dep_id, "sweep:" + doc["sweep_id"])
    repos = sorted(t for r in runs for t in r["tags"] if t.startswith("repo:"))
    assert repos == sorted("repo:" + n for n in SWEEP_REPOS)      # one each, none twice
    assert alpha_id in {r["id"] for r in runs}
