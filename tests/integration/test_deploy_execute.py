"""mahavishnu prefect deploy, undeploy, deployments list|get and flow execute,
against the session's server and a real process worker started through the
program (the process_worker and worker_deployments fixtures in conftest.py).

Runs of deployed flows really execute: the worker takes them from its pool
and runs the fixture flow files (tests/fixtures/flows/run_*.py) in a Python
subprocess, so exit codes are checked against what happened on the server."""

import json
import re
import select
import signal
import subprocess
import time
from datetime import datetime, timezone

import pytest

from conftest import FINAL_STATES, local_prefect_env, process_alive
from fault_proxy import Fault, FaultProxy
from mv_helpers import UUID_RE, check_error, parse_panel, parse_table, strip_ansi, unique

RUN_TIMEOUT = 120       # generous: a run starts a Python process with Prefect on 2 cores
WIDE = {"COLUMNS": "250"}   # tables and panels without truncated cells


# --- helpers -----------------------------------------------------------------

def panels(text):
    """Every Rich panel in text, in order: [(title, fields)]."""
    out, current = [], None
    for line in strip_ansi(text).splitlines():
        if line.startswith("┏"):
            current = [line]
        elif current is not None:
            current.append(line)
            if line.startswith("└"):
                out.append(parse_panel("\n".join(current)))
                current = None
    return out


def panel_params(text):
    """The 'Parameters:' block of the last panel in text -> {key: shown value}."""
    params, inside = {}, False
    for line in strip_ansi(text).splitlines():
        if line.startswith("┏"):
            params, inside = {}, False
        inner = line[1:-1] if line.startswith("│") else None
        if inner is None:
            continue
        if inner.strip() == "Parameters:":
            inside = True
        elif inside:
            m = re.match(r"^\s+([A-Za-z_][A-Za-z0-9_]*):\s+(.*?)\s*$", inner)
            if m:
                params[m.group(1)] = m.group(2)
    return params


def echo_record(logs):
    """The run_echo.py fixture's 'ECHO {...}' log line, decoded."""
    for rec in logs:
        if rec["message"].startswith("ECHO "):
            return json.loads(rec["message"][5:])
    return None


def now_utc():
    return datetime.now(timezone.utc)


def infra_pid(run):
    pid = run.get("infrastructure_pid")
    return int(str(pid).rsplit(":", 1)[-1]) if pid else None


def popen(run, *args, env=None):
    """The binary in the background, as run() would start it; stdin /dev/null."""
    return subprocess.Popen([run.bin, *[str(a) for a in args]], env=run.environ(env),
                            cwd=str(run.cwd), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def read_line(stream, timeout):
    """One line from a pipe, or None when none arrives within timeout."""
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline().decode() if ready else None


def new_run_of(runs, deployment_id, before_ids, timeout=30):
    def check():
        fresh = [r for r in runs.runs_of_deployment(deployment_id) if r["id"] not in before_ids]
        return fresh[0] if len(fresh) == 1 else None
    return runs.until(check, timeout, f"one new run of deployment {deployment_id}")


@pytest.fixture(scope="module")
def idle_pool(rest):
    """A process pool no worker polls: scheduled runs of deployments in it stay
    scheduled."""
    name = unique("mv-idle")
    rest.call("POST", "/work_pools/", {"name": name, "type": "process"})
    yield name
    rest.raw("DELETE", f"/work_pools/{name}")


# --- deploy ------------------------------------------------------------------

def test_deploy_table_panel_and_what_the_worker_needs(run, rest, scratch, process_worker,
                                                      run_flows_dir):
    flow = scratch.track(unique("dep-table"))
    name = unique("d")
    # a relative entrypoint, resolved against the current directory
    rc, out, err = run("prefect", "deploy", flow, "--name", name,
                       "--entrypoint", "flows/run_echo.py:echo",
                       "--work-pool", process_worker.pool, "--cron", "0 2 * * *",
                       "--param", "env=prod", "--param", "retries=3",
                       "--tags", "etl,nightly", "--description", "echo it",
                       "--version", "1.2.3", "--paused", "--concurrency-limit", "2",
                       cwd=run_flows_dir.parent, env=WIDE)
    assert (rc, err) == (0, ""), err
    title, fields = panels(out)[0]
    assert title == "✓ Flow Deployed"

    f = rest.flow_by_name(flow)
    assert f is not None, "deploy did not create the flow"
    [dep] = rest.deployments_of(f["id"])
    assert fields["Deployment"] == name
    assert fields["Flow"] == flow
    assert fields["ID"] == dep["id"]
    assert fields["Work Pool"] == process_worker.pool
    assert "0 2 * * *" in fields["Schedule"]
    assert fields["Entrypoint"] == "run_echo.py:echo"
    assert fields["Version"] == "1.2.3"
    assert fields["Description"] == "echo it"
    assert fields["Tags"] == "etl, nightly"

    # what a process worker needs: the pool, an entrypoint relative to a
    # working-directory pull step naming the file's absolute directory
    assert dep["name"] == name
    assert dep["work_pool_name"] == process_worker.pool
    assert dep["entrypoint"] == "run_echo.py:echo"
    assert dep["pull_steps"] == [{"prefect.deployments.steps.set_working_directory":
                                  {"directory": str(run_flows_dir)}}]
    assert dep["parameters"] == {"env": "prod", "retries": 3}
    assert [s["schedule"]["cron"] for s in dep["schedules"]] == ["0 2 * * *"]
    assert dep["schedules"][0]["schedule"]["timezone"] == "UTC"
    assert dep["tags"] == ["etl", "nightly"]
    assert dep["description"] == "echo it"
    assert dep["version"] == "1.2.3"
    assert dep["paused"] is True
    # Prefect 3 keeps a deployment's limit as a global concurrency limit
    assert (dep["global_concurrency_limit"] or {}).get("limit") == 2
    props = dep["parameter_openapi_schema"]["properties"]
    assert props["retries"]["type"] == "integer"
    assert props["env"]["type"] == "string"


def test_deploy_json_creates_missing_pool_with_create_pool(run, rest, scratch, run_flows_dir):
    flow = scratch.track(unique("dep-json"))
    pool = unique("mv-newpool")
    try:
        rc, out, err = run("prefect", "deploy", flow, "-n", "d",
                           "--entrypoint", f"{run_flows_dir}/run_ok.py:ok_flow",
                           "-w", pool, "--create-pool", "--interval", "3600",
                           "--timezone", "Europe/Paris", "-o", "json")
        assert (rc, err) == (0, ""), err
        doc = json.loads(out)
        status, created_pool = rest.raw("GET", f"/work_pools/{pool}")
        assert status == 200, "--create-pool did not create the pool"
        assert created_pool["type"] == "process"
        f = rest.flow_by_name(flow)
        [dep] = rest.deployments_of(f["id"])
        assert doc["id"] == dep["id"]
        assert doc["name"] == "d"
        assert doc["flow_id"] == f["id"]
        assert doc["work_pool_name"] == pool == dep["work_pool_name"]
        assert doc["entrypoint"] == "run_ok.py:ok_flow"
        [sched] = dep["schedules"]
        assert sched["schedule"]["interval"] == 3600
        assert sched["schedule"]["timezone"] == "Europe/Paris"
        assert dep["paused"] is False
    finally:
        scratch.cleanup()
        rest.raw("DELETE", f"/work_pools/{pool}")


def test_deploy_uses_the_flow_registry_entry_of_flow_create(run, rest, scratch, idle_pool,
                                                            run_flows_dir):
    flow = scratch.track(unique("dep-registry"))
    env = local_prefect_env(run.base / "state")
    rc, out, err = run("prefect", "flow", "create", "--name", flow,
                       "--entrypoint", f"{run_flows_dir}/run_fail.py:fail_flow", env=env)
    assert (rc, err) == (0, ""), err
    rc, out, err = run("prefect", "deploy", flow, "--name", "d", "--work-pool", idle_pool,
                       "-o", "json", env=env)
    assert (rc, err) == (0, ""), err
    [dep] = rest.deployments_of(rest.flow_by_name(flow)["id"])
    assert dep["entrypoint"] == "run_fail.py:fail_flow"
    assert dep["pull_steps"][0]["prefect.deployments.steps.set_working_directory"] == {
        "directory": str(run_flows_dir)}


def test_redeploy_keeps_unmentioned_schedule_and_merges_parameters(run, rest, scratch,
                                                                   idle_pool, run_flows_dir):
    flow = scratch.track(unique("redeploy"))
    name = unique("d")
    base = ("prefect", "deploy", flow, "--name", name, "--work-pool", idle_pool,
            "--entrypoint", f"{run_flows_dir}/run_echo.py:echo", "-o", "json")

    rc, out, err = run(*base, "--cron", "0 2 * * *", "--param", "env=prod")
    assert (rc, err) == (0, ""), err
    first = json.loads(out)
    sched_id = first["schedules"][0]["id"]

    # another parameter, no --cron: the schedule stays, parameters merge
    rc, out, err = run(*base, "--param", "retries=2")
    assert (rc, err) == (0, ""), err
    assert json.loads(out)["id"] == first["id"], "re-deploying made a new deployment"
    dep = rest.call("GET", f"/deployments/{first['id']}")
    assert [s["schedule"]["cron"] for s in dep["schedules"]] == ["0 2 * * *"]
    assert [s["id"] for s in dep["schedules"]] == [sched_id]
    assert dep["parameters"] == {"env": "prod", "retries": 2}

    # a changed parameter replaces its value, the others stay
    rc, out, err = run(*base, "--param", "env=staging")
    assert (rc, err) == (0, ""), err
    dep = rest.call("GET", f"/deployments/{first['id']}")
    assert dep["parameters"] == {"env": "staging", "retries": 2}
    assert [s["id"] for s in dep["schedules"]] == [sched_id]
    assert len(rest.deployments_of(dep["flow_id"])) == 1


def test_redeploy_with_a_second_cron_adds_it_beside_the_first(run, rest, scratch, idle_pool,
                                                              run_flows_dir):
    flow = scratch.track(unique("redeploy-cron"))
    name = unique("d")
    base = ("prefect", "deploy", flow, "--name", name, "--work-pool", idle_pool,
            "--entrypoint", f"{run_flows_dir}/run_echo.py:echo", "-o", "json")
    rc, out, err = run(*base, "--cron", "0 2 * * *", "--param", "env=prod")
    assert (rc, err) == (0, ""), err
    first = json.loads(out)
    [old] = first["schedules"]

    rc, out, err = run(*base, "--cron", "30 3 * * 1")
    assert (rc, err) == (0, ""), err
    dep = rest.call("GET", f"/deployments/{first['id']}")
    by_cron = {s["schedule"]["cron"]: s for s in dep["schedules"]}
    assert sorted(by_cron) == ["0 2 * * *", "30 3 * * 1"]
    assert dep["parameters"] == {"env": "prod"}
    # the schedule that was there is kept, not replaced by a copy: its ID (which
    # `schedule delete` takes) still names it
    assert by_cron["0 2 * * *"]["id"] == old["id"], \
        "re-deploying with --cron replaced the existing schedule with a new one"

    # the same --cron again adds nothing
    rc, out, err = run(*base, "--cron", "30 3 * * 1")
    assert (rc, err) == (0, ""), err
    dep = rest.call("GET", f"/deployments/{first['id']}")
    assert sorted(s["schedule"]["cron"] for s in dep["schedules"]) == ["0 2 * * *",
                                                                       "30 3 * * 1"]


# --- undeploy ------------------------------------------------------------------

def test_undeploy_yes_deletes_it_and_reports_its_scheduled_runs(run, rest, runs, scratch,
                                                                 idle_pool, run_flows_dir):
    flow = scratch.track(unique("undeploy"))
    name = unique("d")
    rc, out, err = run("prefect", "deploy", flow, "--name", name, "--work-pool", idle_pool,
                       "--entrypoint", f"{run_flows_dir}/run_ok.py:ok_flow",
                       "--cron", "0 2 * * *", "-o", "json")
    assert (rc, err) == (0, ""), err
    dep_id = json.loads(out)["id"]
    # Prefect's scheduler creates the upcoming runs of a new deployment soon after
    scheduled = runs.until(lambda: [r for r in runs.runs_of_deployment(dep_id)
                                    if r["state_type"] == "SCHEDULED"],
                           60, "the scheduler to create runs of the new deployment")
    time.sleep(1)   # let the scheduler finish inserting that batch
    scheduled = [r for r in runs.runs_of_deployment(dep_id) if r["state_type"] == "SCHEDULED"]

    rc, out, err = run("prefect", "undeploy", name, "--yes", "-o", "json")
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    assert doc["id"] == dep_id
    assert doc["name"] == name
    assert doc["flow"] == flow
    assert doc["deleted"] is True
    assert doc["scheduled_runs_deleted"] == len(scheduled) > 0
    status, _ = rest.raw("GET", f"/deployments/{dep_id}")
    assert status == 404
    for r in scheduled:
        assert rest.raw("GET", f"/flow_runs/{r['id']}")[0] == 404


def test_undeploy_table_by_flow_slash_name(run, rest, scratch, idle_pool, run_flows_dir):
    flow = scratch.track(unique("undeploy-t"))
    name = unique("d")
    rc, out, err = run("prefect", "deploy", flow, "--name", name, "--work-pool", idle_pool,
                       "--entrypoint", f"{run_flows_dir}/run_ok.py:ok_flow", "-o", "json")
    assert rc == 0, err
    dep_id = json.loads(out)["id"]
    rc, out, err = run("prefect", "undeploy", f"{flow}/{name}", "-y", env=WIDE)
    assert (rc, err) == (0, ""), err
    title, fields = panels(out)[0]
    assert title == "✓ Deployment Deleted"
    assert fields["Deployment"] == name
    assert fields["Flow"] == flow
    assert fields["ID"] == dep_id
    assert fields["Scheduled Runs"].startswith("0 ")
    assert rest.raw("GET", f"/deployments/{dep_id}")[0] == 404
    assert rest.flow_by_name(flow) is not None, "undeploy must keep the flow"


@pytest.mark.parametrize("stdin", [None, "y\n"], ids=["devnull", "pipe"])
def test_undeploy_without_yes_off_a_terminal_is_a_usage_error(run, rest, scratch, idle_pool,
                                                              run_flows_dir, stdin):
    flow = scratch.track(unique("undeploy-n"))
    name = unique("d")
    rc, out, err = run("prefect", "deploy", flow, "--name", name, "--work-pool", idle_pool,
                       "--entrypoint", f"{run_flows_dir}/run_ok.py:ok_flow", "-o", "json")
    assert rc == 0, err
    dep_id = json.loads(out)["id"]
    rc, out, err = run("prefect", "undeploy", name, input=stdin)
    assert rc == 2
    assert out == ""
    check_error(err, hint=True)
    assert "--yes" in err
    assert rest.raw("GET", f"/deployments/{dep_id}")[0] == 200, "deleted without --yes"


# --- deployments list / get ------------------------------------------------------

def test_deployments_list_filtered_by_flow_json(run, rest, worker_deployments):
    ok = worker_deployments["ok"]
    rc, out, err = run("prefect", "deployments", "list", "--flow", ok.flow, "-o", "json")
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    assert [d["id"] for d in doc] == [ok.id]
    assert doc[0]["name"] == ok.name
    assert doc[0]["work_pool_name"] == ok.doc["work_pool_name"]


def test_deployments_list_table(run, rest, process_worker, worker_deployments):
    sleep = worker_deployments["sleep"]
    rc, out, err = run("prefect", "deployments", "list", "-f", sleep.flow, env=WIDE)
    assert (rc, err) == (0, ""), err
    title, header, rows = parse_table(out)
    assert title == "Deployments (1)"
    for col in ("Name", "Flow", "Work Pool", "Status", "Created"):
        assert col in header, header
    assert header.index("Name") < header.index("Flow") < header.index("Work Pool") \
        < header.index("Status") < header.index("Created")
    [row] = rows
    cell = dict(zip(header, row))
    assert cell["Name"] == sleep.name
    assert cell["Flow"] == sleep.flow
    assert cell["Work Pool"] == process_worker.pool
    server = rest.call("GET", f"/deployments/{sleep.id}")["status"]
    assert cell["Status"] == {"READY": "ready", "NOT_READY": "not ready"}[server]
    assert cell["Created"].endswith("ago") or cell["Created"] == "just now", cell


def test_deployments_get_table_and_json(run, rest, process_worker, worker_deployments):
    echo = worker_deployments["echo"]
    rc, out, err = run("prefect", "deployments", "get", echo.name, env=WIDE)
    assert (rc, err) == (0, ""), err
    title, fields = panels(out)[0]
    assert title == "Deployment Details"
    assert fields["Deployment"] == echo.name
    assert fields["Flow"] == echo.flow
    assert fields["ID"] == echo.id
    assert fields["Work Pool"] == process_worker.pool
    assert fields["Entrypoint"] == "run_echo.py:echo"
    assert fields["Schedule"] == "-"

    for ref in (echo.id, echo.id[:13], f"{echo.flow}/{echo.name}"):
        rc, out, err = run("prefect", "deployments", "get", ref, "-o", "json")
        assert (rc, err) == (0, ""), (ref, err)
        doc = json.loads(out)
        assert doc["id"] == echo.id, ref
        assert doc["flow_name"] == echo.flow
        assert doc["entrypoint"] == "run_echo.py:echo"


def test_deployment_name_shared_by_two_flows_is_ambiguous(run, rest, scratch):
    name = unique("shared")
    a = scratch.flow(unique("amb-a"))
    b = scratch.flow(unique("amb-b"))
    da = rest.create_deployment(a["id"], name)
    db = rest.create_deployment(b["id"], name)
    rc, out, err = run("prefect", "deployments", "get", name)
    assert rc == 1
    assert out == ""
    line = check_error(err)
    for flow, dep in ((a, da), (b, db)):
        assert f"{flow['name']}/{name}" in line
        assert dep["id"] in line
    rc, out, err = run("prefect", "deployments", "get", f"{b['name']}/{name}", "-o", "json")
    assert (rc, err) == (0, ""), err
    assert json.loads(out)["id"] == db["id"]


# --- flow execute on the worker ------------------------------------------------

def test_execute_wait_completed_table(run, rest, runs, worker_deployments, process_worker):
    ok = worker_deployments["ok"]
    rc, out, err = run("prefect", "flow", "execute", ok.flow, "--wait", env=WIDE,
                       timeout=RUN_TIMEOUT)
    assert rc == 0, (out, err, process_worker.log_tail())
    shown = panels(out)
    assert [t for t, _ in shown] == ["✓ Flow Execution Started", "✓ Flow Run Completed"]
    started, done = shown[0][1], shown[1][1]
    run_id = started["Run ID"]
    assert UUID_RE.match(run_id)
    assert done["Run ID"] == run_id
    assert started["Flow"] == ok.flow
    assert started["Deployment"].startswith(ok.name)
    assert done["Status"] == "✓ Completed"

    server = runs.get(run_id)
    assert server["state_type"] == "COMPLETED"
    assert server["deployment_id"] == ok.id
    assert server["flow_id"] == ok.flow_id
    assert server["name"] == started["Name"]
    assert server["labels"].get("prefect.worker.type") == "process", \
        "the run was not executed by the process worker"
    # off a terminal: one line per state change on stderr, the last the final state
    lines = [l for l in err.splitlines() if l.strip()]
    assert lines and "Completed" in lines[-1], err
    assert all(not l.startswith("mahavishnu:") for l in lines), err


def test_wait_polls_twice_a_second_and_stops_at_the_final_state(run, runs, worker_deployments,
                                                                process_worker):
    """--wait asks for the run every 0.5 s (each poll starting 0.5 s after the last
    started), never more often, and ends on the first poll that sees the final state."""
    polls = []   # (wall clock when the poll reached the proxy, the answer's state)

    def record(request):
        if request.method == "GET" and re.fullmatch(r"/flow_runs/[0-9a-f-]{36}", request.path):
            at = time.time()
            return Fault(response=lambda answer: polls.append((at, answer["state_type"])) or answer)
        return None

    ok = worker_deployments["ok"]
    proxy = FaultProxy(run.api_url, record)
    try:
        rc, out, err = run("--api-url", proxy.api_url, "prefect", "flow", "execute", ok.flow,
                           "--wait", "-o", "json", timeout=RUN_TIMEOUT)
    finally:
        proxy.stop()
    assert rc == 0, (out, err, process_worker.log_tail())
    assert len(polls) >= 2, polls
    gaps = [b[0] - a[0] for a, b in zip(polls, polls[1:])]
    assert min(gaps) >= 0.45, gaps
    finals = [state for _, state in polls if state in FINAL_STATES]
    assert finals == ["COMPLETED"], polls   # the wait ended on the poll that saw it
    stamp = runs.get(json.loads(out)["id"])["state"]["timestamp"]
    recorded = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    assert polls[-1][0] - recorded < 0.5 + 0.5, (polls[-1][0] - recorded, gaps)


def test_execute_wait_failed_json(run, runs, worker_deployments, process_worker):
    fail = worker_deployments["fail"]
    rc, out, err = run("prefect", "flow", "execute", fail.flow, "--wait", "-o", "json",
                       timeout=RUN_TIMEOUT)
    assert rc == 1, (out, err, process_worker.log_tail())
    doc = json.loads(out)   # one document: the finished run
    assert doc["state_type"] == "FAILED"
    server = runs.get(doc["id"])
    assert server["state_type"] == "FAILED"
    assert server["deployment_id"] == fail.id
    assert "failed on purpose" in server["state"]["message"]


def test_execute_param_arrives_typed_on_the_worker(run, runs, worker_deployments,
                                                   process_worker):
    echo = worker_deployments["echo"]
    rc, out, err = run("prefect", "flow", "execute", echo.flow, "--param", "retries=3",
                       "-p", "env=prod", "--param", "batch_date=2024-01-31",
                       "--wait", "--logs", "-o", "json", timeout=RUN_TIMEOUT)
    assert rc == 0, (out, err, process_worker.log_tail())
    doc = json.loads(out)
    server = runs.get(doc["id"])
    assert server["state_type"] == "COMPLETED"
    # on the server: 3 is the integer 3 (not "3", not 3.0), and 2024-01-31 stays a string
    assert server["parameters"] == {"retries": 3, "env": "prod", "batch_date": "2024-01-31"}
    assert type(server["parameters"]["retries"]) is int
    # in the flow: the run logged what it received, with Python's type names
    rec = echo_record(runs.wait_log(doc["id"], "ECHO "))
    assert rec == {"params": {"env": "prod", "retries": 3, "batch_date": "2024-01-31"},
                   "types": {"env": "str", "retries": "int", "batch_date": "str"}}
    # --logs printed the run's log lines on stderr, not stdout
    assert "ECHO " in err
    assert '"retries": 3' in err


def test_execute_params_json_with_schema_check_passes(run, runs, worker_deployments):
    """--params takes an object; the deployment's schema accepts it; without
    --wait the command returns at once and the worker still runs it."""
    echo = worker_deployments["echo"]
    rc, out, err = run("prefect", "flow", "execute", echo.flow, "--params",
                       '{"retries": 7, "env": "qa"}', "-o", "json")
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    assert doc["state_type"] in ("SCHEDULED", "PENDING")
    assert doc["parameters"] == {"retries": 7, "env": "qa"}
    rc2, out2, err2 = run("prefect", "flow-runs", "logs", doc["id"], "--follow",
                          timeout=RUN_TIMEOUT)
    assert rc2 == 0, err2
    assert runs.get(doc["id"])["state_type"] == "COMPLETED"
    assert '"retries": 7' in out2


def test_execute_without_wait_table(run, runs, worker_deployments):
    ok = worker_deployments["ok"]
    rc, out, err = run("prefect", "flow", "execute", ok.flow, "-d", ok.name, env=WIDE)
    assert (rc, err) == (0, ""), err
    [(title, fields)] = panels(out)
    assert title == "✓ Flow Execution Started"
    assert fields["Flow"] == ok.flow
    server = runs.get(fields["Run ID"])
    assert server["deployment_id"] == ok.id
    assert fields["Name"] == server["name"]
    assert runs.wait_final(fields["Run ID"], RUN_TIMEOUT)["state_type"] == "COMPLETED"


def test_timeout_exits_5_the_run_goes_on_and_cancel_kills_it(run, rest, runs,
                                                            worker_deployments,
                                                            process_worker):
    sleep = worker_deployments["sleep"]
    t0 = time.monotonic()
    rc, out, err = run("prefect", "flow", "execute", sleep.flow, "--param", "seconds=60",
                       "--wait", "--timeout", "3", "-o", "json", timeout=60)
    elapsed = time.monotonic() - t0
    assert rc == 5, (out, err)
    assert 3 <= elapsed < 20, elapsed
    doc = json.loads(out)
    run_id = doc["id"]
    assert "mahavishnu: " in err and "goes on" in err
    assert run_id in err        # and how to follow it
    # the run goes on: not final, and it gets to Running on the worker
    assert runs.get(run_id)["state_type"] not in FINAL_STATES
    running = runs.wait_state(run_id, ("RUNNING",), RUN_TIMEOUT)
    runs.wait_log(run_id, "sleeping 60 s")
    pid = infra_pid(running)
    assert pid and process_alive(pid), running.get("infrastructure_pid")

    # flow-runs cancel: the worker stops the process, the run ends Cancelled
    rc, out, err = run("prefect", "flow-runs", "cancel", run_id, env=WIDE)
    assert (rc, err) == (0, ""), err
    title, fields = panels(out)[0]
    assert "Cancel" in title
    assert fields["Run ID"] == run_id
    assert runs.get(run_id)["state_type"] in ("CANCELLING", "CANCELLED")

    rc, out, err = run("prefect", "flow-runs", "logs", run_id, "--follow", timeout=90)
    assert rc == 4, (out, err, process_worker.log_tail())
    final = runs.get(run_id)
    assert final["state_type"] == "CANCELLED"
    started = datetime.fromisoformat(final["start_time"].replace("Z", "+00:00"))
    ended = datetime.fromisoformat(final["end_time"].replace("Z", "+00:00"))
    assert (ended - started).total_seconds() < 50, "the run was not stopped early"
    runs.until(lambda: not process_alive(pid), 15, f"the flow's process {pid} to end")


def test_execute_wait_exits_4_when_the_run_is_cancelled(run, runs, worker_deployments,
                                                       process_worker):
    sleep = worker_deployments["sleep"]
    before = {r["id"] for r in runs.runs_of_deployment(sleep.id)}
    proc = popen(run, "prefect", "flow", "execute", sleep.flow, "-p", "seconds=60",
                 "--wait", "-o", "json")
    try:
        target = new_run_of(runs, sleep.id, before)
        runs.wait_state(target["id"], ("RUNNING",), RUN_TIMEOUT)
        rc, out, err = run("prefect", "flow-runs", "cancel", target["id"][:12])
        assert rc == 0, err
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 4, (out, err, process_worker.log_tail())
    doc = json.loads(out)
    assert doc["id"] == target["id"]
    assert doc["state_type"] == "CANCELLED"
    assert runs.get(target["id"])["state_type"] == "CANCELLED"


def test_ctrl_c_while_waiting_exits_130_and_says_how_to_follow(run, runs, worker_deployments):
    ok = worker_deployments["ok"]
    before = {r["id"] for r in runs.runs_of_deployment(ok.id)}
    proc = popen(run, "prefect", "flow", "execute", ok.flow, "--wait")
    try:
        # the first state line on stderr: the command is following the run
        first = read_line(proc.stderr, 30)
        assert first, "no state line on stderr"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    out, err = out.decode(), first + err.decode()
    assert proc.returncode == 130, (out, err)
    target = new_run_of(runs, ok.id, before)
    assert "flow-runs logs" in err and target["id"] in err, err
    # the run is not cancelled by stopping the wait
    assert runs.wait_final(target["id"], RUN_TIMEOUT)["state_type"] == "COMPLETED"


# --- flow execute locally (no deployment) ----------------------------------------

def test_local_execute_from_flow_create_entrypoint(run, rest, runs, scratch, run_flows_dir):
    flow = scratch.track(unique("local-ok"))
    env = dict(local_prefect_env(run.base / "state"), **WIDE)
    rc, out, err = run("prefect", "flow", "create", "--name", flow,
                       "--entrypoint", f"{run_flows_dir}/run_echo.py:echo", env=env)
    assert (rc, err) == (0, ""), err
    rc, out, err = run("prefect", "flow", "execute", flow, "--wait", "--param", "retries=3",
                       env=env, timeout=RUN_TIMEOUT)
    assert rc == 0, (out, err)
    shown = panels(out)
    assert shown[-1][0] == "✓ Flow Run Completed"
    run_id = shown[-1][1]["Run ID"]
    assert panel_params(out) == {"retries": "3"}

    server = runs.get(run_id)
    assert server["state_type"] == "COMPLETED"
    assert server["flow_id"] == rest.flow_by_name(flow)["id"]
    assert server["deployment_id"] is None
    assert server["parameters"] == {"retries": 3}
    rec = echo_record(runs.wait_log(run_id, "ECHO "))
    assert rec["params"]["retries"] == 3 and rec["types"]["retries"] == "int"


def test_local_execute_failing_flow_with_entrypoint_option(run, rest, runs, scratch,
                                                          run_flows_dir):
    flow = scratch.flow(unique("local-fail"))
    env = local_prefect_env(run.base / "state")
    rc, out, err = run("prefect", "flow", "execute", flow["name"], "--entrypoint",
                       f"{run_flows_dir}/run_fail.py:fail_flow", "--wait", "-o", "json",
                       env=env, timeout=RUN_TIMEOUT)
    assert rc == 1, (out, err)
    doc = json.loads(out)
    [server] = rest.runs_of(flow["id"])
    assert server["id"] == doc["id"]
    assert server["state_type"] == doc["state_type"] == "FAILED"


def test_execute_with_neither_deployment_nor_code(run, rest, runs, scratch):
    flow = scratch.flow(unique("no-code"))
    t0 = now_utc()
    rc, out, err = run("prefect", "flow", "execute", flow["name"], "--wait",
                       env=local_prefect_env(run.base / "state"))
    assert rc == 1
    assert out == ""
    line = check_error(err, hint=True, contains=(flow["name"],))
    hint = err.splitlines()[1]
    assert "deploy" in hint and "--entrypoint" in hint, hint
    assert rest.runs_of(flow["id"]) == []
    assert runs.manual_runs_since(t0) == []


# --- bad input changes nothing on the server --------------------------------------

BAD_INPUT = [
    # id, args ({flow}: a fresh flow name; {ok}/{echo}: deployed flows;
    #           {dir}: the run flows directory; {pool}: the worker's pool),
    # exit code, fragments of the error line, hint (True: exactly one, None: any)
    ("execute-unknown-flow", ["flow", "execute", "{flow}", "--wait"], 1, ["{flow}"], None),
    ("execute-unknown-deployment", ["flow", "execute", "{ok}", "--deployment", "nope-dep"],
     1, ["nope-dep"], None),
    ("execute-param-without-equals", ["flow", "execute", "{echo}", "--param", "foo"],
     2, ["--param", "foo"], None),
    ("execute-param-wrong-type", ["flow", "execute", "{echo}", "--param", "retries=abc",
                                  "--wait"], 1, ["retries"], None),
    ("execute-param-unknown-key", ["flow", "execute", "{echo}", "--param", "retriez=1"],
     1, ["retriez"], None),
    ("execute-params-not-object", ["flow", "execute", "{echo}", "--params", "[1, 2]"],
     2, ["--params"], None),
    ("execute-missing-entrypoint-file",
     ["flow", "execute", "{bare}", "--entrypoint", "{dir}/missing.py:ok_flow"], 1,
     ["missing.py"], None),
    ("execute-entrypoint-not-a-flow",
     ["flow", "execute", "{bare}", "--entrypoint", "{dir}/run_sleep.py:not_a_flow"], 1,
     ["not_a_flow"], None),
    # a deployed flow runs on the worker, but a missing file given on the command
    # line is still bad input (PRODUCT.md: validate locally before any request)
    ("execute-deployed-flow-missing-entrypoint-file",
     ["flow", "execute", "{ok}", "--entrypoint", "{dir}/missing.py:ok_flow"], 1,
     ["missing.py"], None),
    ("deploy-unknown-flow-code", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}"],
     1, ["{flow}"], True),
    ("deploy-unknown-pool", ["deploy", "{flow}", "--name", "d", "--work-pool", "{flow}-pool",
                             "--entrypoint", "{dir}/run_ok.py:ok_flow"],
     2, ["{flow}-pool", "without a terminal"], True),
    ("deploy-param-without-equals", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}",
                                     "--entrypoint", "{dir}/run_ok.py:ok_flow", "-p", "foo"],
     2, ["--param", "foo"], None),
    ("deploy-param-wrong-type", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}",
                                 "--entrypoint", "{dir}/run_echo.py:echo",
                                 "--param", "retries=abc"], 1, ["retries"], None),
    ("deploy-missing-entrypoint-file", ["deploy", "{flow}", "--name", "d", "--work-pool",
                                        "{pool}", "--entrypoint", "{dir}/missing.py:ok_flow"],
     1, ["missing.py"], None),
    ("deploy-function-not-a-flow", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}",
                                    "--entrypoint", "{dir}/run_sleep.py:not_a_flow"],
     1, ["not_a_flow"], None),
    ("deploy-function-missing", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}",
                                 "--entrypoint", "{dir}/run_ok.py:no_such_function"],
     1, ["no_such_function"], None),
    ("deploy-entrypoint-without-function", ["deploy", "{flow}", "--name", "d", "--work-pool",
                                            "{pool}", "--entrypoint", "{dir}/run_ok.py"],
     2, ["run_ok.py"], None),
    ("deploy-invalid-cron", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}",
                             "--entrypoint", "{dir}/run_ok.py:ok_flow", "--cron", "61 * * * *"],
     2, ["--cron", "minute", "61"], None),
    ("deploy-cron-field-count", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}",
                                 "--entrypoint", "{dir}/run_ok.py:ok_flow", "--cron", "* * *"],
     2, ["--cron"], None),
    ("deploy-interval-zero", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}",
                              "--entrypoint", "{dir}/run_ok.py:ok_flow", "--interval", "0"],
     2, ["--interval", "0"], None),
    ("deploy-unknown-timezone", ["deploy", "{flow}", "--name", "d", "--work-pool", "{pool}",
                                 "--entrypoint", "{dir}/run_ok.py:ok_flow", "--cron",
                                 "0 2 * * *", "--timezone", "Nowhere/Zone"],
     2, ["Nowhere/Zone"], None),
    ("undeploy-unknown", ["undeploy", "{flow}", "--yes"], 1, ["{flow}"], None),
    ("deployments-get-unknown", ["deployments", "get", "{flow}"], 1, ["{flow}"], None),
]


@pytest.mark.parametrize("args, code, fragments, hint",
                         [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_one_line_and_creates_nothing(run, rest, runs, scratch,
                                                   worker_deployments, process_worker,
                                                   run_flows_dir, args, code, fragments, hint):
    fresh = unique("bad-flow")
    bare = scratch.flow(unique("bare"))     # a flow with no deployment and no known code
    names = {"flow": fresh, "bare": bare["name"], "ok": worker_deployments["ok"].flow,
             "echo": worker_deployments["echo"].flow, "dir": str(run_flows_dir),
             "pool": process_worker.pool}
    fill = lambda s: s.format(**names)
    before = runs.counts()
    runs_before = {k: len(rest.runs_of(d.flow_id)) for k, d in worker_deployments.items()}
    t0 = now_utc()

    rc, out, err = run("prefect", *[fill(a) for a in args],
                       env=local_prefect_env(run.base / "state"))

    assert rc == code, (out, err)
    assert out == ""
    check_error(err, hint=hint, contains=[fill(f) for f in fragments])
    assert runs.counts() == before
    assert rest.flow_by_name(fresh) is None
    assert rest.raw("GET", f"/work_pools/{fresh}-pool")[0] == 404
    assert runs.manual_runs_since(t0) == []
    assert rest.runs_of(bare["id"]) == []
    assert {k: len(rest.runs_of(d.flow_id)) for k, d in worker_deployments.items()} \
        == runs_before


def test_redeploy_keeps_the_pool_and_working_directory_not_mentioned(run, rest, scratch,
                                                                     idle_pool, run_flows_dir,
                                                                     tmp_path):
    # first deploy names the pool and a working directory; the re-deploy names neither
    flow = scratch.track(unique("redeploy-pool"))
    name = unique("d")
    entry = ("--entrypoint", f"{run_flows_dir}/run_echo.py:echo")
    rc, out, err = run("prefect", "deploy", flow, "--name", name, "--work-pool", idle_pool,
                       *entry, "--path", str(tmp_path), "-o", "json")
    assert (rc, err) == (0, ""), err
    first = json.loads(out)
    rc, out, err = run("prefect", "deploy", flow, "--name", name, "--param", "env=prod",
                       "-o", "json")
    assert (rc, err) == (0, ""), err
    dep = rest.call("GET", f"/deployments/{first['id']}")
    assert dep["work_pool_name"] == idle_pool
    assert dep["pull_steps"] == first["pull_steps"]
    assert dep["pull_steps"][0]["prefect.deployments.steps.set_working_directory"][
        "directory"] == str(tmp_path)
    assert dep["parameters"] == {"env": "prod"}


@pytest.mark.parametrize("flag", [["--timeout", "60"], ["--logs"]])
def test_wait_options_without_wait_are_usage_errors(run, flag):
    rc, out, err = run("prefect", "flow", "execute", "any-flow", *flag,
                       env={"PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert (rc, out) == (2, "")
    check_error(err, hint=True, contains=(f"{flag[0]} goes with --wait",))


def test_local_execute_of_a_flow_the_server_has_not_seen_creates_it(run, rest, runs, scratch):
    """Recorded by `flow validate` only: the first run creates the flow on the server,
    as Prefect's own first run of a flow does."""
    name = scratch.track(unique("unseen"))
    src = run.write("unseen_flow.py", "from prefect import flow\n\n\n"
                                      f'@flow(name="{name}")\ndef unseen(n: int = 1):\n'
                                      "    return n\n")
    env = local_prefect_env(run.base / "state")
    rc, out, err = run("prefect", "flow", "validate", src, env=env)
    assert rc == 0, err
    assert rest.flow_by_name(name) is None
    rc, out, err = run("prefect", "flow", "execute", name, "--param", "n=2", "--wait",
                       "-o", "json", env=env, timeout=RUN_TIMEOUT)
    assert rc == 0, (out, err)
    doc = json.loads(out)
    flow = rest.flow_by_name(name)
    assert flow is not None and doc["flow_id"] == flow["id"]
    assert doc["state_type"] == "COMPLETED" and doc["parameters"] == {"n": 2}
