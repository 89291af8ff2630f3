"""mahavishnu prefect flow-runs cancel|delete (and retry's selection) on many
runs at once: by filter or with IDs on standard input, --dry-run, --yes, the
summary, exit 1 when a run failed, and a second run doing only the rest.

Runs are made over REST on flows of their own: Scheduled ones are due in
2031 or later (runs due in the past turn Late, and many make SQLite busy),
finished ones have no start time in the past beyond their creation."""

import json
import time

import pytest

from mv_helpers import check_error, free_port, parse_table, unique

FUTURE = "2031-06-01T00:00:00Z"


def scheduled(rest, flow_id, tags=(), when=FUTURE):
    return rest.create_flow_run(flow_id, tags=list(tags), state={
        "type": "SCHEDULED", "state_details": {"scheduled_time": when}})


def states(rest, ids):
    out = {}
    for i in ids:
        status, run = rest.raw("GET", f"/flow_runs/{i}")
        out[i] = run["state_type"] if status == 200 else None
    return out


def summary(out):
    """The summary table's {outcome: count} and the failures table's rows."""
    tables, part = [], []
    for line in out.splitlines():
        part.append(line)
        if line.startswith("└"):
            tables.append("\n".join(part))
            part = []
    _, _, rows = parse_table(tables[0])
    counts = {r[0]: int(r[1]) for r in rows}
    failed = parse_table(tables[1])[2] if len(tables) > 1 else []
    return counts, failed


@pytest.fixture
def own(rest, scratch):
    """A flow of this test's with four runs due in 2031, one Completed and one
    Running: (flow, [scheduled ids], completed id, running id)."""
    flow = scratch.flow(unique("bulk"))
    ids = [scheduled(rest, flow["id"])["id"] for _ in range(4)]
    done = rest.create_flow_run(flow["id"], "COMPLETED")["id"]
    running = rest.create_flow_run(flow["id"], "RUNNING")["id"]
    return flow, ids, done, running


# --- cancel ---------------------------------------------------------------------

def test_dry_run_lists_exactly_what_would_change_and_changes_nothing(run, rest, own):
    flow, ids, done, running = own
    rc, out, err = run("prefect", "flow-runs", "cancel", "--flow", flow["name"], "--dry-run",
                       "-o", "json")
    assert rc == 0, err
    assert {r["id"] for r in json.loads(out)} == set(ids) | {running}
    assert "already ended" in err and done in err      # the completed run is left, and said so
    rc, out, err = run("prefect", "flow-runs", "cancel", "--flow", flow["name"], "-n",
                       env={"COLUMNS": "200"})
    assert rc == 0, err
    title, header, rows = parse_table(out)
    assert title == "Flow Runs to Cancel (5)"
    assert header[:2] == ["Run ID", "Name"]
    # nothing changed on the server
    assert states(rest, ids) == {i: "SCHEDULED" for i in ids}
    assert states(rest, [running, done]) == {running: "RUNNING", done: "COMPLETED"}


def test_cancel_by_filter_cancels_exactly_the_selected_runs(run, rest, scratch, own):
    flow, ids, done, running = own
    other = scratch.flow(unique("bulk-other"))
    untouched = scheduled(rest, other["id"])["id"]
    rc, out, err = run("prefect", "flow-runs", "cancel", "--flow", flow["name"],
                       "--state", "scheduled", "--yes", "-v")
    assert rc == 0, err
    assert "POST /api/flow_runs/bulk_set_state" in err      # Prefect's bulk endpoint, one request
    counts, failed = summary(out)
    assert counts == {"cancelled": 4} and failed == []
    assert states(rest, ids) == {i: "CANCELLED" for i in ids}
    assert states(rest, [running, done, untouched]) == {
        running: "RUNNING", done: "COMPLETED", untouched: "SCHEDULED"}

    # again: everything is done already, nothing is sent twice
    rc, out, err = run("prefect", "flow-runs", "cancel", "--flow", flow["name"], "--yes",
                       "-o", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["outcomes"] == {"already cancelled": 4, "already ended": 1, "cancelling": 1}
    assert doc["failed"] == 0 and doc["action"] == "cancel"
    assert states(rest, [running])[running] == "CANCELLING"


def test_confirmation_off_a_terminal_needs_yes(run, rest, own):
    flow, ids, _, _ = own
    rc, out, err = run("prefect", "flow-runs", "cancel", "--flow", flow["name"])
    assert rc == 2 and out == ""
    check_error(err, contains=("without confirmation",))
    assert "--yes" in err
    assert states(rest, ids) == {i: "SCHEDULED" for i in ids}


def test_stdin_ids_with_one_missing_summarise_and_exit_1(run, rest, own):
    flow, ids, _, _ = own
    missing = "00000000-0000-4000-8000-000000000000"
    text = "\n".join([ids[0], "", "# a comment", f"  {ids[1]} ", missing, ids[0]]) + "\n"
    rc, out, err = run("prefect", "flow-runs", "cancel", "-", "--yes", input=text,
                       env={"COLUMNS": "200"})
    assert rc == 1, (out, err)
    counts, failed = summary(out)
    assert counts == {"cancelled": 2, "failed": 1}
    assert len(failed) == 1 and failed[0][0].startswith(missing[:8])
    assert "no flow run" in failed[0][2]
    assert states(rest, ids) == {ids[0]: "CANCELLED", ids[1]: "CANCELLED",
                                 ids[2]: "SCHEDULED", ids[3]: "SCHEDULED"}

    rc, out, err = run("prefect", "flow-runs", "cancel", "-", "--yes", "-o", "json",
                       input=text)
    assert rc == 1
    doc = json.loads(out)
    assert doc["outcomes"] == {"already cancelled": 2, "failed": 1}
    [bad] = [r for r in doc["runs"] if r["outcome"] == "failed"]
    assert bad["ref"] == missing and bad["id"] is None and "no flow run" in bad["reason"]


def test_one_run_keeps_the_single_run_panel(run, rest, own):
    _, ids, _, _ = own
    rc, out, err = run("prefect", "flow-runs", "cancel", ids[0])
    assert (rc, err) == (0, "")
    assert "Flow Run Cancel Requested" in out
    assert states(rest, [ids[0]])[ids[0]] == "CANCELLED"


# --- delete ---------------------------------------------------------------------

def test_delete_by_tag_deletes_only_the_tagged_runs(run, rest, scratch):
    flow = scratch.flow(unique("bulk-del"))
    tag = unique("doomed")
    tagged = [scheduled(rest, flow["id"], tags=[tag, "x"])["id"] for _ in range(3)]
    kept = [scheduled(rest, flow["id"], tags=["x"])["id"],
            rest.create_flow_run(flow["id"], "COMPLETED")["id"]]
    rc, out, err = run("prefect", "flow-runs", "delete", "--tag", tag, "--dry-run", "-o", "json")
    assert rc == 0, err
    assert sorted(r["id"] for r in json.loads(out)) == sorted(tagged)
    assert all(states(rest, tagged).values())

    rc, out, err = run("prefect", "flow-runs", "delete", "--tag", tag, "--tag", "x", "--yes",
                       "-v")
    assert rc == 0, err
    assert "POST /api/flow_runs/bulk_delete" in err
    assert summary(out)[0] == {"deleted": 3}
    assert states(rest, tagged) == {i: None for i in tagged}
    assert None not in states(rest, kept).values()


def test_delete_from_stdin_twice_does_the_rest(run, rest, scratch):
    flow = scratch.flow(unique("bulk-del-stdin"))
    ids = [scheduled(rest, flow["id"])["id"] for _ in range(3)]
    rc, out, err = run("prefect", "flow-runs", "delete", "-", "--yes", input=ids[0] + "\n")
    assert rc == 0, err
    rc, out, err = run("prefect", "flow-runs", "delete", "-", "--yes", "-o", "json",
                       input="\n".join(ids))
    assert rc == 0, err
    assert json.loads(out)["outcomes"] == {"already gone": 1, "deleted": 2}
    assert states(rest, ids) == {i: None for i in ids}


def test_delete_older_than_selects_by_start(run, rest, scratch):
    flow = scratch.flow(unique("bulk-old"))
    old = rest.create_flow_run(flow["id"], "COMPLETED")["id"]
    future = scheduled(rest, flow["id"])["id"]
    time.sleep(3)
    rc, out, err = run("prefect", "flow-runs", "delete", "--flow", flow["id"], "--older-than",
                       "1s", "--dry-run", "-o", "json")
    assert rc == 0, err
    made = rest.call("GET", f"/flow_runs/{old}")
    assert [r["id"] for r in json.loads(out)] == [old], (made["start_time"],
                                                         made["expected_start_time"], err)
    rc, out, err = run("prefect", "flow-runs", "delete", "--flow", flow["id"], "--since",
                       "2030-01-01", "--until", "2032-01-01", "--dry-run", "-o", "json")
    assert [r["id"] for r in json.loads(out)] == [future]


def test_delete_one_run_asks_and_deletes(run, rest, scratch):
    flow = scratch.flow(unique("bulk-del-one"))
    rid = scheduled(rest, flow["id"])["id"]
    rc, out, err = run("prefect", "flow-runs", "delete", rid)
    assert rc == 2
    check_error(err, contains=("without confirmation",))
    assert states(rest, [rid])[rid] == "SCHEDULED"
    rc, out, err = run("prefect", "flow-runs", "delete", rid, "--yes", "-o", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["id"] == rid and doc["deleted"] is True
    assert states(rest, [rid])[rid] is None
    rc, out, err = run("prefect", "flow-runs", "delete", rid, "--yes")
    assert rc == 1
    check_error(err, contains=(rid,))


# --- bad input: exit 2 before any request -----------------------------------------

@pytest.mark.parametrize("verb", ["cancel", "retry", "delete"])
@pytest.mark.parametrize("args, needle", [
    ([], "RUN"),
    (["some-run", "--flow", "f"], "not both"),
    (["-", "--tag", "t"], "not both"),
    (["--older-than", "soon"], "'soon'"),
    (["--older-than", "5"], "'5'"),
    (["--older-than", "3d", "--until", "2030-01-01"], "--until or --older-than"),
    (["--since", "yesterday"], "'yesterday'"),
    (["--state", "bogus"], "'bogus'"),
    (["--state", "failed,,late"], "--state"),
])
def test_bad_selection_is_a_usage_error_before_any_request(run, verb, args, needle):
    dead = f"http://127.0.0.1:{free_port()}/api"   # nothing listens: any request would fail
    rc, out, err = run("--api-url", dead, "prefect", "flow-runs", verb, *args, "--yes")
    assert rc == 2 and out == "", (verb, args, err)
    check_error(err, contains=(needle,))


def test_filter_matching_nothing_is_success(run, scratch):
    flow = scratch.flow(unique("bulk-empty"))
    rc, out, err = run("prefect", "flow-runs", "cancel", "--flow", flow["name"], "--yes",
                       "-o", "json")
    assert rc == 0, err
    assert json.loads(out)["selected"] == 0
