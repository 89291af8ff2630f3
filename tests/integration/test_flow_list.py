"""mahavishnu prefect flow list"""

import json
import re

import pytest

from mv_helpers import CUT_HINT, check_error, parse_table, quiet, unique

HEADER = ["Name", "ID", "Version", "Deployed", "Last Run", "Status"]
RECENT = re.compile(r"^(just now|\d+s ago)$")


def rows_by_name(rows):
    return {r[0]: dict(zip(HEADER, r)) for r in rows}


def check_short_id(cell, full_id):
    shown = cell.rstrip("…")
    assert len(shown) >= 8 and full_id.startswith(shown), (cell, full_id)


def test_table_title_header_and_run_states(run, scratch):
    never = scratch.flow(unique("nv"))
    done = scratch.flow(unique("ok"), runs=["COMPLETED"])
    failed = scratch.flow(unique("ko"), runs=["COMPLETED", "FAILED"])

    rc, out, err = run("prefect", "flow", "list", "--limit", "3")
    assert rc == 0 and quiet(err), err
    title, header, rows = parse_table(out)
    assert re.fullmatch(r"Prefect Flows \(3( of \d+)?\)", title), title
    assert header == HEADER
    # newest first
    assert [r[0] for r in rows] == [failed["name"], done["name"], never["name"]]
    by = rows_by_name(rows)

    row = by[done["name"]]
    check_short_id(row["ID"], done["id"])
    assert row["Status"].startswith("✓"), row
    assert RECENT.match(row["Last Run"]), row
    assert row["Version"] == "-" and row["Deployed"] == "No"

    row = by[failed["name"]]
    check_short_id(row["ID"], failed["id"])
    assert row["Status"].startswith("✗"), row  # the run that started last failed
    assert RECENT.match(row["Last Run"]), row

    row = by[never["name"]]
    check_short_id(row["ID"], never["id"])
    assert row["Last Run"] == "Never"
    assert row["Status"] == "-"
    assert row["Version"] == "-" and row["Deployed"] == "No"


def test_json_carries_last_run_and_deployment_fields(run, scratch):
    never = scratch.flow(unique("jnever"), tags=["t1"], labels={"description": "dd"})
    failed = scratch.flow(unique("jfailed"), runs=["COMPLETED", "FAILED"], deployment="3.0")

    rc, out, err = run("prefect", "flow", "list", "--limit", "2", "-o", "json")
    assert rc == 0 and quiet(err), err
    doc = json.loads(out)
    assert [f["id"] for f in doc] == [failed["id"], never["id"]]
    jf, jn = doc
    assert jf["last_run"]["state_type"] == "FAILED"
    assert jf["deployed"] is True and jf["deployment_count"] == 1
    assert jf["version"] == "3.0"
    assert jn["last_run"] is None
    assert jn["deployed"] is False and jn["deployment_count"] == 0
    assert jn["version"] is None
    assert jn["tags"] == ["t1"] and jn["description"] == "dd"


def test_deployed_flow_shows_version_and_yes(run, rest, scratch):
    plain = scratch.flow(unique("pl"))
    deployed = scratch.flow(unique("dp"), runs=["COMPLETED"], deployment="2.1.0")
    rc, out, err = run("prefect", "flow", "list", "--limit", "2")
    assert rc == 0 and quiet(err), err
    by = rows_by_name(parse_table(out)[2])
    assert by[deployed["name"]]["Version"] == "2.1.0"
    assert by[deployed["name"]]["Deployed"] == "Yes"
    assert by[deployed["name"]]["Status"].startswith("✓")
    assert by[plain["name"]]["Version"] == "-"
    assert by[plain["name"]]["Deployed"] == "No"


def test_version_is_the_latest_deployments(run, rest, scratch):
    flow = scratch.flow(unique("twodeps"))
    rest.create_deployment(flow["id"], "old", "1.0.0")
    rest.create_deployment(flow["id"], "new", "2.0.0")
    rc, out, err = run("prefect", "flow", "list", "--limit", "1", "-o", "json")
    assert rc == 0 and quiet(err), err
    (item,) = json.loads(out)
    assert item["id"] == flow["id"]
    assert item["deployment_count"] == 2
    assert item["version"] == "2.0.0"


def test_deployed_lists_only_flows_with_a_deployment(run, rest, scratch):
    deployed = scratch.flow(unique("dep-yes"), deployment="2.1.0")
    undeployed = scratch.flow(unique("dep-no"))

    rc, out, err = run("prefect", "flow", "list", "--deployed", "--limit", "1000",
                       "-o", "json")
    assert rc == 0 and quiet(err), err
    doc = json.loads(out)
    ids = {f["id"] for f in doc}
    server_ids = {d["flow_id"] for d in rest.all_deployments()}
    assert ids == server_ids
    assert deployed["id"] in ids
    assert undeployed["id"] not in ids
    assert all(f["deployed"] is True and f["deployment_count"] >= 1 for f in doc)

    rc, out, err = run("prefect", "flow", "list", "-d", "--limit", "1")
    assert rc == 0 and quiet(err), err
    title, header, rows = parse_table(out)
    assert re.fullmatch(r"Prefect Flows \(1( of \d+)?\)", title), title
    assert header == HEADER
    assert len(rows) == 1
    row = dict(zip(HEADER, rows[0]))
    assert row["Name"] == deployed["name"]
    assert row["Version"] == "2.1.0"
    assert row["Deployed"] == "Yes"


@pytest.mark.parametrize("bad", ["-1", "abc", "1.5"])
def test_invalid_limit_is_a_usage_error(run, bad):
    rc, out, err = run("prefect", "flow", "list", "--limit", bad)
    assert rc == 2
    assert out == ""
    line = check_error(err)
    assert "--limit" in line


def test_request_economy_with_many_flows_that_have_runs(run, scratch):
    flows = [scratch.flow(unique("eco"), runs=["COMPLETED", "FAILED"] if i % 2 else
                          ["FAILED", "COMPLETED"],
                          deployment="1.%d" % i if i % 3 == 0 else None)
             for i in range(20)]
    rc, out, err = run("-v", "prefect", "flow", "list", "--limit", "20")
    assert rc == 0
    requests = [l for l in err.splitlines() if l.startswith(("> POST ", "> GET "))]
    # a page of flows, their deployments, a round or two of last runs, and the count
    # of all flows, since the page was full
    assert 1 <= len(requests) <= 6, "\n".join(requests)
    # one connection, reused for every request
    connects = [l for l in err.splitlines() if l.startswith("* Connected to")]
    assert len(connects) == 1, "\n".join(connects)
    # and the answer is still right for every flow
    title, header, rows = parse_table(out)
    assert re.fullmatch(r"Prefect Flows \(20( of \d+)?\)", title), title
    by = rows_by_name(rows)
    for i, f in enumerate(flows):
        row = by[f["name"]]
        assert row["Status"].startswith("✗" if i % 2 else "✓"), (i, row)
        assert RECENT.match(row["Last Run"]), row
        assert row["Deployed"] == ("Yes" if i % 3 == 0 else "No")
        assert row["Version"] == ("1.%d" % i if i % 3 == 0 else "-")


# --- more flows than one server page (200) ---------------------------------

@pytest.fixture(scope="module")
def many_flows(rest):
    """230 flows, each with one run: even ones COMPLETED, odd ones FAILED."""
    ids = []
    for i in range(230):
        fid = rest.create_flow(unique("bulk"))["id"]
        ids.append(fid)
        rest.create_flow_run(fid, "FAILED" if i % 2 else "COMPLETED")
    yield ids
    for fid in ids:
        rest.delete_flow(fid)


def test_limit_past_one_page(run, rest, many_flows):
    rc, out, err = run("prefect", "flow", "list", "--limit", "220", "-o", "json")
    assert rc == 0 and quiet(err), err
    doc = json.loads(out)
    assert len(doc) == 220
    newest = [f["id"] for f in rest.all_flows()[:220]]
    assert [f["id"] for f in doc] == newest
    assert len({f["id"] for f in doc}) == 220
    # the last run is resolved for every one of them (more than one page of runs)
    expected = {fid: "FAILED" if i % 2 else "COMPLETED" for i, fid in enumerate(many_flows)}
    for f in doc:
        assert f["id"] in expected
        assert f["last_run"] is not None, f
        assert f["last_run"]["state_type"] == expected[f["id"]], f


def test_limit_above_total_returns_every_flow(run, rest, many_flows):
    total = rest.count_flows()
    assert 230 <= total < 1000
    rc, out, err = run("prefect", "flow", "list", "--limit", "1000", "-o", "json")
    assert rc == 0 and quiet(err), err
    doc = json.loads(out)
    assert len(doc) == total
    assert {f["id"] for f in doc} == {f["id"] for f in rest.all_flows()}
    assert set(many_flows) <= {f["id"] for f in doc}


def test_default_limit_is_50(run, rest, many_flows):
    rc, out, err = run("prefect", "flow", "list", "-o", "json")
    assert rc == 0 and quiet(err), err
    doc = json.loads(out)
    assert len(doc) == 50
    assert [f["id"] for f in doc] == [f["id"] for f in rest.all_flows()[:50]]

    rc, out, err = run("prefect", "flow", "list")
    total = rest.count_flows()
    assert rc == 0
    title, header, rows = parse_table(out)
    assert title == f"Prefect Flows (50 of {total})"
    assert len(rows) == 50
    # and the hint names --limit, with the same numbers
    assert CUT_HINT.fullmatch(err).groups() == ("50", str(total), "flows"), err
