"""mahavishnu prefect flow-runs list|get|logs against the session's server.

Runs that must have really executed (state, parameters, deployment, logs)
come from the process worker (conftest.py: process_worker,
worker_deployments); runs that only need a state or a number are made through
the REST API, on flows of their own, so other tests' runs never matter."""

import json
import re

import pytest

from mv_helpers import CUT_HINT, quiet, check_error, parse_panel, parse_table, strip_ansi, unique

RUN_TIMEOUT = 120
WIDE = {"COLUMNS": "250"}   # tables and panels without truncated cells
LOG_LINE_RE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} +([A-Z]+) +\S+ - (.*)$")


def execute(run, flow, *args):
    rc, out, err = run("prefect", "flow", "execute", flow, "--wait", "-o", "json", *args,
                       timeout=RUN_TIMEOUT)
    return rc, (json.loads(out) if out else None), err


@pytest.fixture(scope="module")
def real_runs(prefect_server, tmp_path_factory, worker_deployments, process_worker, runs):
    """One Completed echo run with parameters and one Failed run, both executed
    by the worker: {"echo": run, "fail": run} as the server has them, with all
    their logs sent."""
    from conftest import Runner
    run = Runner(prefect_server.api_url, tmp_path_factory.mktemp("flow-runs"))
    echo, fail = worker_deployments["echo"], worker_deployments["fail"]
    rc, doc, err = execute(run, echo.flow, "--param", "retries=3", "--param", "env=qa")
    assert rc == 0, (err, process_worker.log_tail())
    rc2, doc2, err2 = execute(run, fail.flow)
    assert rc2 == 1, (err2, process_worker.log_tail())
    for d in (doc, doc2):   # the engine's last line: the logs are all in
        runs.wait_log(d["id"], "Finished in state")
    return {"echo": runs.get(doc["id"]), "fail": runs.get(doc2["id"])}


def list_json(run, *args):
    rc, out, err = run("prefect", "flow-runs", "list", *args, "-o", "json")
    assert rc == 0 and quiet(err), err
    return json.loads(out)


# --- list ---------------------------------------------------------------------

def test_state_failed_lists_exactly_the_failed_runs_of_the_flow(run, rest, scratch):
    flow = scratch.flow(unique("runs-failed"))
    states = ["COMPLETED", "FAILED", "CRASHED", "FAILED", "CANCELLED", "RUNNING", "FAILED",
              "SCHEDULED", "COMPLETED"]
    made = [rest.create_flow_run(flow["id"], s) for s in states]
    failed = {r["id"] for r in made if r["state"]["type"] == "FAILED"}
    # failed runs of another flow must not appear
    scratch.flow(unique("runs-failed-other"), runs=["FAILED", "FAILED"])

    for spelling in ("failed", "FAILED", "Failed"):
        doc = list_json(run, "--flow", flow["name"], "--state", spelling)
        assert {r["id"] for r in doc} == failed, spelling
        assert len(doc) == 3
        assert all(r["state_type"] == "FAILED" for r in doc)

    rc, out, err = run("prefect", "flow-runs", "list", "-f", flow["name"], "-s", "failed")
    assert (rc, err) == (0, ""), err
    title, header, rows = parse_table(out)
    assert title == "Flow Runs (3)"
    status = [dict(zip(header, r))["Status"] for r in rows]
    assert status == ["✗ Failed"] * 3

    # several states match any of them
    doc = list_json(run, "--flow", flow["name"], "--state", "crashed", "--state", "cancelled")
    assert sorted(r["state_type"] for r in doc) == ["CANCELLED", "CRASHED"]
    doc = list_json(run, "--flow", flow["name"], "--state", "failed,completed")
    assert len(doc) == 5


def test_state_filter_with_real_runs(run, real_runs):
    fail, echo = real_runs["fail"], real_runs["echo"]
    doc = list_json(run, "--flow", fail["flow_id"], "--state", "failed")
    assert fail["id"] in {r["id"] for r in doc}
    assert all(r["state_type"] == "FAILED" for r in doc)
    doc = list_json(run, "--flow", fail["flow_id"], "--state", "completed")
    assert fail["id"] not in {r["id"] for r in doc}
    doc = list_json(run, "--flow", echo["flow_id"], "--state", "completed")
    assert echo["id"] in {r["id"] for r in doc}


def test_limit_250_returns_250_rows(run, rest, scratch):
    flow = scratch.flow(unique("runs-many"))
    made = [rest.create_flow_run(flow["id"], "COMPLETED")["id"] for _ in range(260)]

    doc = list_json(run, "--flow", flow["name"], "--limit", "250")
    ids = [r["id"] for r in doc]
    assert len(ids) == 250
    assert len(set(ids)) == 250, "a run was listed twice across pages"
    assert set(ids) <= set(made)
    assert all(r["flow_id"] == flow["id"] for r in doc)

    rc, out, err = run("prefect", "flow-runs", "list", "--flow", flow["name"], "-l", "250")
    assert rc == 0
    title, header, rows = parse_table(out)
    assert title == "Flow Runs (250 of 260)"
    assert len(rows) == 250
    assert CUT_HINT.fullmatch(err).groups() == ("250", "260", "flow runs"), err

    assert len(list_json(run, "--flow", flow["name"])) == 50       # the default
    assert len(list_json(run, "--flow", flow["name"], "--limit", "300")) == 260


def test_table_columns_and_a_real_row(run, real_runs, worker_deployments):
    echo = real_runs["echo"]
    rc, out, err = run("prefect", "flow-runs", "list", "--flow", echo["flow_id"], env=WIDE)
    assert (rc, err) == (0, ""), err
    title, header, rows = parse_table(out)
    assert re.fullmatch(r"Flow Runs \(\d+\)", title), title
    # the spec's columns, in its order (extra columns may sit between them)
    spec = ["Run ID", "Flow", "Status", "Start Time", "Duration"]
    assert [c for c in header if c in spec] == spec, header
    cells = [dict(zip(header, r)) for r in rows]
    mine = [c for c in cells if echo["id"].startswith(c["Run ID"].rstrip("…"))]
    assert len(mine) == 1, (echo["id"], cells)
    row = mine[0]
    assert row["Flow"] == worker_deployments["echo"].flow
    assert row["Status"] == "✓ Completed"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row["Start Time"]), row
    assert re.fullmatch(r"[\d.]+(ms|s)|\d+m ?\d*s?|\d+h.*", row["Duration"]), row
    if "Name" in row:
        assert row["Name"] == echo["name"]


def test_list_json_rows_carry_flow_and_deployment_names(run, real_runs, worker_deployments):
    echo = real_runs["echo"]
    [doc] = [r for r in list_json(run, "--flow", worker_deployments["echo"].flow)
             if r["id"] == echo["id"]]
    assert doc["flow_name"] == worker_deployments["echo"].flow
    assert doc["deployment_name"] == worker_deployments["echo"].name
    assert doc["state_type"] == "COMPLETED"
    assert doc["parameters"] == {"retries": 3, "env": "qa"}


def test_list_by_deployment(run, real_runs, worker_deployments):
    fail = worker_deployments["fail"]
    doc = list_json(run, "--deployment", f"{fail.flow}/{fail.name}")
    assert real_runs["fail"]["id"] in {r["id"] for r in doc}
    assert all(r["deployment_id"] == fail.id for r in doc)


def test_list_unknown_flow_is_an_error(run):
    name = unique("no-such-flow")
    rc, out, err = run("prefect", "flow-runs", "list", "--flow", name)
    assert rc == 1 and out == ""
    check_error(err, contains=(name,))


def test_list_unknown_state_is_a_usage_error(run):
    rc, out, err = run("prefect", "flow-runs", "list", "--state", "bogus")
    assert rc == 2 and out == ""
    check_error(err, contains=("bogus",))


# --- get ----------------------------------------------------------------------

def test_get_table_by_id(run, real_runs, process_worker, worker_deployments):
    echo = real_runs["echo"]
    rc, out, err = run("prefect", "flow-runs", "get", echo["id"], env=WIDE)
    assert (rc, err) == (0, ""), err
    title, fields = parse_panel(out)
    assert title == "Flow Run Details"
    assert fields["Run ID"] == echo["id"]
    assert fields["Name"] == echo["name"]
    assert fields["Flow"] == worker_deployments["echo"].flow
    assert fields["Status"] == "✓ Completed"
    assert fields["Deployment"] == worker_deployments["echo"].name
    assert fields["Work Pool"] == process_worker.pool
    assert fields["End Time"] != "-"
    text = strip_ansi(out)
    assert re.search(r"│\s+retries:\s+3\s", text), text
    assert re.search(r"│\s+env:\s+qa\s", text), text


def test_get_failed_run_shows_its_message(run, real_runs):
    fail = real_runs["fail"]
    rc, out, err = run("prefect", "flow-runs", "get", fail["id"], env=WIDE)
    assert (rc, err) == (0, ""), err
    _, fields = parse_panel(out)
    assert fields["Status"] == "✗ Failed"
    assert fields["Message"].startswith("Flow run encountered an exception")


def _unique_prefix(rest, run_id, length=8):
    """run_id[:length], checked to match no other run on the server."""
    prefix = run_id[:length]
    others, offset = 0, 0
    while True:
        page = rest.call("POST", "/flow_runs/filter", {"offset": offset, "limit": 200})
        others += sum(1 for r in page if r["id"].startswith(prefix) and r["id"] != run_id)
        offset += len(page)
        if len(page) < 200:
            break
    assert others == 0, f"prefix {prefix} is not unique on the server"
    return prefix


def test_get_json_by_id_and_unique_prefix(run, rest, real_runs, process_worker,
                                          worker_deployments):
    echo = real_runs["echo"]
    for ref in (echo["id"], _unique_prefix(rest, echo["id"]), echo["id"][:13].upper()):
        rc, out, err = run("prefect", "flow-runs", "get", ref, "-o", "json")
        assert (rc, err) == (0, ""), (ref, err)
        doc = json.loads(out)
        assert doc["id"] == echo["id"], ref
        assert doc["state_type"] == "COMPLETED"
        assert doc["state"]["type"] == "COMPLETED"
        assert doc["parameters"] == {"retries": 3, "env": "qa"}
        assert doc["deployment_id"] == worker_deployments["echo"].id
        assert doc["deployment_name"] == worker_deployments["echo"].name
        assert doc["flow_name"] == worker_deployments["echo"].flow
        assert doc["work_pool_name"] == process_worker.pool


def test_get_by_run_name(run, rest, scratch):
    flow = scratch.flow(unique("runs-named"))
    name = unique("run-name")
    made = rest.create_flow_run(flow["id"], "CRASHED", name=name)
    rc, out, err = run("prefect", "flow-runs", "get", name, "-o", "json")
    assert (rc, err) == (0, ""), err
    assert json.loads(out)["id"] == made["id"]
    rc, out, err = run("prefect", "flow-runs", "get", name, env=WIDE)
    assert (rc, err) == (0, ""), err
    _, fields = parse_panel(out)
    assert fields["Run ID"] == made["id"]
    assert fields["Name"] == name
    assert fields["Status"].endswith("Crashed")
    assert fields["Deployment"] == "-"


def test_get_ambiguous_name_lists_both(run, rest, scratch):
    flow = scratch.flow(unique("runs-twins"))
    name = unique("twin")
    a = rest.create_flow_run(flow["id"], "COMPLETED", name=name)
    b = rest.create_flow_run(flow["id"], "FAILED", name=name)
    rc, out, err = run("prefect", "flow-runs", "get", name)
    assert rc == 1 and out == ""
    line = check_error(err)
    assert a["id"] in line and b["id"] in line


def test_get_unknown_run(run):
    ref = unique("nosuchrun")
    rc, out, err = run("prefect", "flow-runs", "get", ref)
    assert rc == 1 and out == ""
    check_error(err, contains=(ref,))


# --- logs ---------------------------------------------------------------------

def printed_records(out):
    """(level, message) of each record's first line in flow-runs logs output."""
    found = []
    for line in strip_ansi(out).splitlines():
        m = LOG_LINE_RE.match(line)
        if m:
            found.append((m.group(1), m.group(2)))
    return found


def test_logs_prints_the_runs_log_lines_oldest_first(run, runs, real_runs):
    fail = real_runs["fail"]
    rc, out, err = run("prefect", "flow-runs", "logs", fail["id"])
    assert (rc, err) == (0, ""), err
    server = runs.logs(fail["id"], min_level=20)
    shown = printed_records(out)
    assert len(shown) == len(server), (shown, [l["message"] for l in server])
    assert [m for _, m in shown] == [l["message"].splitlines()[0] for l in server]
    messages = [m for _, m in shown]
    assert any(m.startswith("Beginning flow run") for m in messages)
    assert ("ERROR", "run_fail fixture is about to raise") in shown
    assert "RuntimeError: run_fail fixture failed on purpose" in out   # traceback lines too


def test_logs_level_error_filters(run, runs, real_runs):
    fail = real_runs["fail"]
    rc, out, err = run("prefect", "flow-runs", "logs", fail["id"], "--level", "ERROR")
    assert (rc, err) == (0, ""), err
    shown = printed_records(out)
    assert shown, out
    assert {lvl for lvl, _ in shown} <= {"ERROR", "CRITICAL"}, shown
    assert ("ERROR", "run_fail fixture is about to raise") in shown
    assert not any(m.startswith("Beginning flow run") for _, m in shown)
    assert len(shown) == len(runs.logs(fail["id"], min_level=40))

    rc, out, err = run("prefect", "flow-runs", "logs", fail["id"], "-l", "error", "-o", "json")
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    assert [r["id"] for r in doc] == [r["id"] for r in runs.logs(fail["id"], min_level=40)]
    assert all(r["level"] >= 40 for r in doc)


def test_logs_json_and_follow_of_a_finished_run(run, runs, real_runs):
    echo = real_runs["echo"]
    rc, out, err = run("prefect", "flow-runs", "logs", echo["id"], "-o", "json")
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    assert [r["id"] for r in doc] == [r["id"] for r in runs.logs(echo["id"], min_level=20)]
    assert any(r["message"].startswith("ECHO ") for r in doc)
    # --follow of a run that already ended prints its logs and exits by its state
    rc, out, err = run("prefect", "flow-runs", "logs", echo["id"], "--follow", timeout=30)
    assert rc == 0, err
    assert "ECHO " in out
    rc, out, err = run("prefect", "flow-runs", "logs", real_runs["fail"]["id"], "-f",
                       timeout=30)
    assert rc == 1, err


def test_logs_unknown_level_is_a_usage_error(run, real_runs):
    rc, out, err = run("prefect", "flow-runs", "logs", real_runs["echo"]["id"], "--level",
                       "LOUD")
    assert rc == 2 and out == ""
    check_error(err, contains=("LOUD",))
