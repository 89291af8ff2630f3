"""mahavishnu prefect flow get / flow delete"""

import json
import os
import pty
import re
import subprocess
import time
import uuid

import pytest

from mv_helpers import check_error, parse_panel, unique

RECENT = re.compile(r"^(just now|\d+s ago)\b")


def unused_prefix(rest, length=8):
    ids = [f["id"] for f in rest.all_flows()]
    while True:
        p = uuid.uuid4().hex[:length]
        if not any(i.startswith(p) for i in ids):
            return p


# --- get ----------------------------------------------------------------------

@pytest.fixture
def rich_flow(rest, scratch):
    flow = scratch.flow(unique("get"), tags=["etl", "daily"],
                        labels={"description": "Daily ETL"}, runs=["COMPLETED"],
                        deployment="1.2.3")
    return flow


def _ref(flow, how):
    return {"name": flow["name"], "id": flow["id"], "prefix": flow["id"][:8]}[how]


@pytest.mark.parametrize("how", ["name", "id", "prefix"])
def test_get_table(run, rest, rich_flow, how):
    if how == "prefix":
        same = [f for f in rest.all_flows() if f["id"].startswith(rich_flow["id"][:8])]
        assert len(same) == 1, "8-char prefix unexpectedly shared"
    rc, out, err = run("prefect", "flow", "get", _ref(rich_flow, how))
    assert (rc, err) == (0, "")
    title, fields = parse_panel(out)
    assert title == "Flow Details"
    assert fields["Name"] == rich_flow["name"]
    assert fields["ID"] == rich_flow["id"]
    assert fields["Description"] == "Daily ETL"
    assert fields["Tags"] == "etl, daily"
    assert fields["Version"] == "1.2.3"
    assert fields["Deployed"].startswith("Yes")
    assert RECENT.match(fields["Last Run"]), fields["Last Run"]
    assert fields["Status"].startswith("✓")


@pytest.mark.parametrize("how", ["name", "id", "prefix"])
def test_get_json(run, rest, rich_flow, how):
    rc, out, err = run("prefect", "flow", "get", _ref(rich_flow, how), "-o", "json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["id"] == rich_flow["id"]
    assert doc["name"] == rich_flow["name"]
    assert doc["tags"] == ["etl", "daily"]
    assert doc["description"] == "Daily ETL"
    assert doc["labels"]["description"] == "Daily ETL"
    assert doc["version"] == "1.2.3"
    assert doc["deployed"] is True
    assert doc["deployment_count"] == 1
    run_ids = [r["id"] for r in rest.runs_of(rich_flow["id"])]
    assert doc["last_run"]["id"] in run_ids
    assert doc["last_run"]["state_type"] == "COMPLETED"


def test_get_flow_without_anything(run, scratch):
    flow = scratch.flow(unique("bare"))
    rc, out, err = run("prefect", "flow", "get", flow["name"])
    assert (rc, err) == (0, "")
    _, fields = parse_panel(out)
    assert fields["ID"] == flow["id"]
    assert fields["Description"] == "-"
    assert fields["Tags"] == "-"
    assert fields["Version"] == "-"
    assert fields["Deployed"].startswith("No")
    assert fields["Last Run"] == "Never"


@pytest.mark.parametrize("kind", ["name", "uuid", "prefix"])
def test_get_unknown_is_a_one_line_error(run, rest, kind):
    ref = {"name": lambda: unique("nosuch"),
           "uuid": lambda: str(uuid.uuid4()),
           "prefix": lambda: unused_prefix(rest)}[kind]()
    rc, out, err = run("prefect", "flow", "get", ref)
    assert rc == 1
    assert out == ""
    check_error(err, hint=False, contains=[ref])


def test_get_ambiguous_prefix_lists_the_candidates(run, rest, scratch):
    by_prefix = {}
    for f in rest.all_flows():
        by_prefix.setdefault(f["id"][:4], []).append(f)
    pair = next((v for v in by_prefix.values() if len(v) >= 2), None)
    # Create flows until two IDs share their first 4 hex digits (birthday
    # bound: a few hundred); scratch deletes them afterwards.
    for _ in range(4000):
        if pair:
            break
        new = scratch.flow(unique("amb"))
        group = by_prefix.setdefault(new["id"][:4], [])
        group.append(new)
        if len(group) >= 2:
            pair = group
    assert pair, "could not produce two flows sharing an ID prefix"
    prefix = pair[0]["id"][:4]
    matches = [f for f in rest.all_flows() if f["id"].startswith(prefix)]

    rc, out, err = run("prefect", "flow", "get", prefix)
    assert rc == 1
    assert out == ""
    line = check_error(err)
    assert prefix in line
    if len(matches) <= 5:
        for f in matches:
            assert f["id"] in line, (f["id"], line)


# --- delete ---------------------------------------------------------------------

@pytest.fixture
def doomed(rest, scratch):
    flow = scratch.flow(unique("del"), runs=["COMPLETED", "FAILED"], deployment="1.0")
    assert len(rest.deployments_of(flow["id"])) == 1
    assert len(rest.runs_of(flow["id"])) == 2
    return flow


@pytest.mark.parametrize("stdin", [None, "y\n"])
def test_delete_without_yes_off_a_terminal_refuses(run, rest, doomed, stdin):
    rc, out, err = run("prefect", "flow", "delete", doomed["name"], input=stdin)
    assert rc == 2
    assert out == ""
    check_error(err)
    assert "--yes" in err
    assert rest.read_flow(doomed["id"]) is not None
    assert len(rest.deployments_of(doomed["id"])) == 1
    assert len(rest.runs_of(doomed["id"])) == 2


def test_delete_with_yes_removes_flow_deployments_and_runs(run, rest, scratch, doomed):
    bystander = scratch.flow(unique("keep"), runs=["COMPLETED"], deployment="9")
    rc, out, err = run("prefect", "flow", "delete", doomed["name"], "--yes")
    assert (rc, err) == (0, "")
    title, fields = parse_panel(out)
    assert title == "✓ Flow Deleted"
    assert fields["Name"] == doomed["name"]
    assert fields["ID"] == doomed["id"]
    assert fields["Deployments"] == "1"
    assert fields["Flow Runs"] == "2"

    assert rest.read_flow(doomed["id"]) is None
    assert rest.deployments_of(doomed["id"]) == []
    assert rest.runs_of(doomed["id"]) == []
    # nothing else touched
    assert rest.read_flow(bystander["id"]) is not None
    assert len(rest.deployments_of(bystander["id"])) == 1
    assert len(rest.runs_of(bystander["id"])) == 1


def test_delete_json_by_prefix(run, rest, doomed):
    rc, out, err = run("prefect", "flow", "delete", doomed["id"][:8], "-y", "-o", "json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["deleted"] is True
    assert doc["id"] == doomed["id"]
    assert doc["name"] == doomed["name"]
    assert doc["deployments_deleted"] == 1
    assert doc["flow_runs_deleted"] == 2
    assert rest.read_flow(doomed["id"]) is None
    assert rest.runs_of(doomed["id"]) == []


def test_delete_unknown_is_an_error_and_deletes_nothing(run, rest):
    before = rest.count_flows()
    name = unique("ghost")
    rc, out, err = run("prefect", "flow", "delete", name, "--yes")
    assert rc == 1
    assert out == ""
    check_error(err, contains=[name])
    assert rest.count_flows() == before


def test_deleted_flow_is_gone_for_get(run, rest, doomed):
    rc, _, err = run("prefect", "flow", "delete", doomed["id"], "--yes")
    assert (rc, err) == (0, "")
    rc, out, err = run("prefect", "flow", "get", doomed["id"])
    assert rc == 1
    assert out == ""
    check_error(err)


# --- the question on a terminal ------------------------------------------------------

def _delete_on_a_terminal(run, ref, answer):
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([run.bin, "prefect", "flow", "delete", ref],
                                stdin=slave, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=run.environ(),
                                cwd=str(run.cwd))
        os.close(slave)
        slave = None
        time.sleep(0.3)
        os.write(master, answer)
        out, err = proc.communicate(timeout=30)
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    return proc.returncode, out.decode(), err.decode()


def test_delete_on_a_terminal_asks_and_no_keeps_the_flow(run, rest, doomed):
    rc, out, err = _delete_on_a_terminal(run, doomed["name"], b"n\n")
    assert rc != 0
    assert out == ""
    assert doomed["name"] in err and "[y/N]" in err
    assert rest.read_flow(doomed["id"]) is not None
    assert len(rest.runs_of(doomed["id"])) == 2


def test_delete_on_a_terminal_asks_and_yes_deletes(run, rest, doomed):
    rc, out, err = _delete_on_a_terminal(run, doomed["name"], b"y\n")
    assert rc == 0, err
    assert "[y/N]" in err
    assert "Flow Deleted" in out
    assert rest.read_flow(doomed["id"]) is None
    assert rest.runs_of(doomed["id"]) == []
