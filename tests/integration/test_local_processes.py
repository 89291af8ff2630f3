"""mahavishnu prefect work-pools list|create, worker start|stop and
server start|status|stop: local Prefect processes started through the program,
with pid files and logs under an XDG_STATE_HOME of the test's own."""

import json
import os
import signal
from pathlib import Path

import pytest

from conftest import local_prefect_env, process_alive, read_pid_file
from mv_helpers import check_error, free_port, parse_panel, parse_table, unique

SERVER_START_TIMEOUT = 150
WIDE = {"COLUMNS": "250"}   # tables and panels without truncated cells


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []


# --- work pools -----------------------------------------------------------------

@pytest.fixture
def pools(rest):
    """Names of pools a test creates; deleted afterwards."""
    names = []
    yield names
    for n in names:
        rest.raw("DELETE", f"/work_pools/{n}")


def test_work_pools_create_table(run, rest, pools):
    name = unique("mv-wp")
    pools.append(name)
    rc, out, err = run("prefect", "work-pools", "create", name, "--concurrency-limit", "3",
                       env=WIDE)
    assert (rc, err) == (0, ""), err
    title, fields = parse_panel(out)
    assert title == "✓ Work Pool Created"
    server = rest.call("GET", f"/work_pools/{name}")
    assert fields["Name"] == name
    assert fields["ID"] == server["id"]
    assert fields["Type"] == "process" == server["type"]
    assert fields["Concurrency"] == "3"
    assert server["concurrency_limit"] == 3
    assert f"worker start --pool {name}" in out


def test_work_pools_create_json_default_limit_from_config(run, rest, pools):
    name = unique("mv-wp")
    pools.append(name)
    rc, out, err = run("prefect", "work-pools", "create", name, "-o", "json")
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    server = rest.call("GET", f"/work_pools/{name}")
    assert doc["id"] == server["id"]
    assert doc["name"] == name
    assert doc["type"] == "process"
    assert doc["concurrency_limit"] == server["concurrency_limit"] == 10  # max_concurrent_flows

    name2 = unique("mv-wp")
    pools.append(name2)
    run.write("settings/local.yaml", "prefect:\n  max_concurrent_flows: 4\n")
    rc, out, err = run("prefect", "work-pools", "create", name2, "-o", "json")
    assert (rc, err) == (0, ""), err
    assert rest.call("GET", f"/work_pools/{name2}")["concurrency_limit"] == 4


def test_work_pools_create_duplicate_is_an_error(run, rest, pools):
    name = unique("mv-wp")
    pools.append(name)
    rest.call("POST", "/work_pools/", {"name": name, "type": "process",
                                       "concurrency_limit": 2})
    rc, out, err = run("prefect", "work-pools", "create", name, "-c", "5")
    assert rc == 1 and out == ""
    check_error(err, contains=(name,))
    assert rest.call("GET", f"/work_pools/{name}")["concurrency_limit"] == 2  # unchanged


@pytest.mark.parametrize("name", ["prefect-pool", "Prefect_x", "PREFECTIVE"])
def test_work_pools_create_reserved_prefix_is_a_usage_error(run, rest, pools, name):
    name = f"{name}-{unique('x')}"
    pools.append(name)
    count = rest.call("POST", "/work_pools/count", {})
    rc, out, err = run("prefect", "work-pools", "create", name)
    assert rc == 2 and out == ""
    check_error(err, contains=("prefect",))
    assert rest.call("POST", "/work_pools/count", {}) == count
    assert rest.raw("GET", f"/work_pools/{name}")[0] == 404


@pytest.mark.parametrize("limit", ["0", "-1", "abc"])
def test_work_pools_create_bad_limit(run, rest, pools, limit):
    name = unique("mv-wp")
    pools.append(name)
    rc, out, err = run("prefect", "work-pools", "create", name, "-c", limit)
    assert rc == 2 and out == ""
    check_error(err, contains=("--concurrency-limit",))
    assert rest.raw("GET", f"/work_pools/{name}")[0] == 404


def test_work_pools_list_json_and_table(run, rest, pools, process_worker):
    paused = unique("mv-wp")
    pools.append(paused)
    rest.call("POST", "/work_pools/", {"name": paused, "type": "process",
                                       "is_paused": True, "concurrency_limit": 7})
    server = {p["name"]: p for p in rest.call("POST", "/work_pools/filter", {"limit": 200})}

    rc, out, err = run("prefect", "work-pools", "list", "-o", "json")
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    assert {p["name"] for p in doc} == set(server)
    mine = {p["name"]: p for p in doc}
    assert mine[paused]["is_paused"] is True
    assert mine[paused]["concurrency_limit"] == 7
    assert mine[process_worker.pool]["type"] == "process"

    rc, out, err = run("prefect", "work-pools", "list", env=WIDE)
    assert (rc, err) == (0, ""), err
    title, header, rows = parse_table(out)
    assert title == f"Work Pools ({len(server)})"
    assert header == ["Name", "Type", "Status", "Concurrency", "Paused"]
    cells = {r[0]: dict(zip(header, r)) for r in rows}
    assert set(cells) == set(server)
    assert cells[paused]["Paused"] == "Yes"
    assert cells[paused]["Concurrency"] == "7"
    assert cells[paused]["Status"] == "PAUSED"
    # the worker polls its pool: READY
    assert cells[process_worker.pool]["Status"] == "READY"
    assert cells[process_worker.pool]["Type"] == "process"
    assert cells[process_worker.pool]["Paused"] == "No"


# --- worker start / stop ------------------------------------------------------------

def test_session_worker_was_started_through_the_program(rest, process_worker):
    rc, out, err = process_worker.start
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["pool"] == process_worker.pool
    state = process_worker.state_dir / "mahavishnu"
    assert doc["log"] == str(state / f"worker-{process_worker.pool}.log")
    assert read_pid_file(process_worker.state_dir, f"worker-{process_worker.pool}") == doc["pid"]
    assert process_alive(doc["pid"])
    argv = cmdline(doc["pid"])
    assert b"worker" in argv and process_worker.pool.encode() in argv, argv
    # --create-pool made a process pool; a worker of it is online
    pool = rest.call("GET", f"/work_pools/{process_worker.pool}")
    assert pool["type"] == "process"
    workers = rest.call("POST", f"/work_pools/{process_worker.pool}/workers/filter", {})
    assert any(w["status"] == "ONLINE" for w in workers), workers


def test_worker_start_twice_for_a_pool_is_an_error(run, process_worker):
    rc, out, err = run("prefect", "worker", "start", "--pool", process_worker.pool,
                       env=process_worker.env, timeout=60)
    assert rc == 1 and out == ""
    check_error(err, contains=("already running", str(process_worker.pid)))
    assert read_pid_file(process_worker.state_dir,
                         f"worker-{process_worker.pool}") == process_worker.pid
    assert process_alive(process_worker.pid)


def test_worker_start_unknown_pool_without_create_pool(run, rest, tmp_path):
    pool = unique("mv-nopool")
    env = local_prefect_env(tmp_path / "state")
    rc, out, err = run("prefect", "worker", "start", "--pool", pool, env=env, timeout=60)
    assert rc == 2 and out == ""
    check_error(err, hint=True, contains=(pool,))
    assert "--create-pool" in err
    assert rest.raw("GET", f"/work_pools/{pool}")[0] == 404
    assert read_pid_file(tmp_path / "state", f"worker-{pool}") is None


def test_worker_start_table_then_stop(run, rest, pools, tmp_path):
    pool = unique("mv-wk")
    pools.append(pool)
    rest.call("POST", "/work_pools/", {"name": pool, "type": "process"})
    state = tmp_path / "state"
    env = dict(local_prefect_env(state), PREFECT_WORKER_QUERY_SECONDS="1", **WIDE)
    pid = None
    try:
        rc, out, err = run("prefect", "worker", "start", "--pool", pool, "--name", "mv-w1",
                           env=env, timeout=150)
        assert (rc, err) == (0, ""), err
        pid = read_pid_file(state, f"worker-{pool}")
        title, fields = parse_panel(out)
        assert title == "✓ Worker Started"
        assert fields["Work Pool"] == pool
        assert fields["Type"] == "process"
        assert fields["PID"] == str(pid)
        assert fields["Log"] == str(state / "mahavishnu" / f"worker-{pool}.log")
        assert process_alive(pid)
        workers = rest.call("POST", f"/work_pools/{pool}/workers/filter", {})
        assert [w["name"] for w in workers if w["status"] == "ONLINE"] == ["mv-w1"]

        rc, out, err = run("prefect", "worker", "stop", "--pool", pool, env=env, timeout=60)
        assert (rc, err) == (0, ""), err
        assert pool in out
        assert not process_alive(pid), "worker stop left the worker running"

        # nothing to stop: not an error, and says so
        rc, out, err = run("prefect", "worker", "stop", "--pool", pool, "-o", "json",
                           env=env)
        assert (rc, err) == (0, ""), err
        assert json.loads(out) == {"pool": pool, "stopped": False}
    finally:
        if pid and process_alive(pid):
            os.kill(pid, signal.SIGKILL)


# --- server start / status / stop -------------------------------------------------------

def test_server_start_status_stop_on_a_second_port(run, tmp_path):
    port = free_port()
    state = tmp_path / "state"
    url = f"http://127.0.0.1:{port}/api"
    env = dict(local_prefect_env(state), PREFECT_API_URL=url, **WIDE)
    pid = None
    try:
        rc, out, err = run("prefect", "server", "status", "-o", "json", env=env)
        assert rc == 6, (out, err)
        assert json.loads(out)["answering"] is False

        rc, out, err = run("prefect", "server", "start", "--port", port, env=env,
                           timeout=SERVER_START_TIMEOUT)
        pid = read_pid_file(state, "server")
        assert rc == 0, (out, err)
        title, fields = parse_panel(out)
        assert title == "✓ Prefect Server Started"
        assert fields["API URL"] == url
        assert fields["PID"] == str(pid)
        assert process_alive(pid)
        assert Path(fields["Log"]).parent == state / "mahavishnu"

        rc, out, err = run("prefect", "server", "status", "-o", "json", env=env)
        assert (rc, err) == (0, ""), err
        doc = json.loads(out)
        assert doc["answering"] is True
        assert doc["api_url"] == url
        assert doc["pid"] == pid
        import prefect
        assert doc["version"] == prefect.__version__
        assert doc["started_by_mahavishnu"] is True

        rc, out, err = run("prefect", "server", "status", env=env)
        assert (rc, err) == (0, ""), err
        _, fields = parse_panel(out)
        assert fields["PID"] == str(pid)
        assert "answering" in fields["Status"]

        # a second start finds it running and starts nothing
        rc, out, err = run("prefect", "server", "start", "--port", port, env=env, timeout=60)
        assert rc == 0, err
        assert read_pid_file(state, "server") == pid

        rc, out, err = run("prefect", "server", "stop", env=env, timeout=60)
        assert (rc, err) == (0, ""), err
        assert not process_alive(pid), "server stop left the server running"

        rc, out, err = run("prefect", "server", "status", env=env)
        assert rc == 6, (out, err)
        _, fields = parse_panel(out)
        assert "not answering" in fields["Status"]

        rc, out, err = run("prefect", "server", "stop", env=env)
        assert rc == 0, err
    finally:
        if pid and process_alive(pid):
            os.killpg(os.getpgid(pid), signal.SIGKILL)


def test_server_status_never_shows_a_password_in_the_url(run, prefect_server):
    url = prefect_server.api_url.replace("http://", "http://bob:s3cret@")
    for form in ((), ("-o", "json")):
        rc, out, err = run("prefect", "server", "status", "--api-url", url, *form)
        assert rc == 0, err
        assert "s3cret" not in out + err
        assert "bob:****@" in out


def test_server_status_is_1_when_something_else_answers(run, prefect_server):
    # reached, but not a Prefect API: a wrong path on the real server
    url = prefect_server.api_url[:-len("/api")] + "/nothing-here"
    rc, out, err = run("prefect", "server", "status", "--api-url", url)
    assert rc == 1, (out, err)
