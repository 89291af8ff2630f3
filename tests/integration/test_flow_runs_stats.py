"""mahavishnu prefect flow-runs stats

Runs of a flow of this module's own are driven through real state
transitions (the server sets start_time, end_time and total_run_time from
them), then the command's numbers are checked against the same computation
over the runs read back from the API."""

import datetime as dt
import json
import math
import re
import time
import xml.etree.ElementTree as ET

import pytest
import yaml

from mv_helpers import check_error, display_width, free_port, strip_ansi, unique

FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
TYPES = FINAL + ("CANCELLING", "RUNNING", "PENDING", "PAUSED", "SCHEDULED")
UTC = {"TZ": "UTC", "COLUMNS": "80"}
# finished one after another, ~0.12 s apart, so their durations differ
DRIVEN = ("COMPLETED", "FAILED", "COMPLETED", "CRASHED", "COMPLETED", "CANCELLED",
          "COMPLETED", "FAILED")


def set_state(rest, run_id, state_type):
    rest.call("POST", f"/flow_runs/{run_id}/set_state",
              {"state": {"type": state_type}, "force": True})


@pytest.fixture(scope="module")
def stats_flow(rest):
    """A flow with runs in every kind of state: driven runs with durations,
    runs created final (no time running), one Running, one Scheduled an hour
    and a half ago (counted by its expected start), and one of a deployment."""
    flow = rest.create_flow(unique("stats-flow"))
    other = rest.create_flow(unique("stats-other"))
    try:
        dep = rest.create_deployment(flow["id"], unique("stats-dep"))
        driven = [rest.create_flow_run(flow["id"], "PENDING")["id"] for _ in DRIVEN]
        for run_id in driven:
            set_state(rest, run_id, "RUNNING")
        for run_id, state in zip(driven, DRIVEN):
            time.sleep(0.12)
            set_state(rest, run_id, state)
        rest.create_flow_run(flow["id"], "COMPLETED")
        rest.create_flow_run(flow["id"], "FAILED")
        running = rest.create_flow_run(flow["id"], "PENDING")["id"]
        set_state(rest, running, "RUNNING")
        ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=90)).isoformat()
        rest.call("POST", "/flow_runs/", {
            "flow_id": flow["id"],
            "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": ago}}})
        rest.create_flow_run(flow["id"], "COMPLETED", deployment_id=dep["id"])
        rest.create_flow_run(other["id"], "FAILED")  # another flow's: never counted
        yield {"flow": flow, "deployment": dep}
    finally:
        rest.delete_flow(flow["id"])
        rest.delete_flow(other["id"])


def percentile(values, p):
    """numpy.percentile's default (linear interpolation between closest ranks)."""
    xs = sorted(values)
    if not xs:
        return None
    rank = p * (len(xs) - 1)
    lo = math.floor(rank)
    if lo + 1 >= len(xs):
        return xs[-1]
    return xs[lo] + (rank - lo) * (xs[lo + 1] - xs[lo])


def start_of(run):
    return dt.datetime.fromisoformat((run["start_time"] or run["expected_start_time"])
                                     .replace("Z", "+00:00"))


def expected(runs, by="hour"):
    """The numbers the command should print, computed from the server's runs (UTC periods)."""
    counts = {t: sum(r["state_type"] == t for r in runs) for t in TYPES}
    finished = [r for r in runs if r["state_type"] in FINAL and r["start_time"]]
    durations = [r["total_run_time"] for r in finished]
    failed = counts["FAILED"] + counts["CRASHED"]
    buckets = {}
    for r in runs:
        s = start_of(r)
        start = s.replace(minute=0, second=0, microsecond=0)
        if by == "day":
            start = start.replace(hour=0)
        buckets.setdefault(start, {t: 0 for t in TYPES})[r["state_type"]] += 1
    step = dt.timedelta(hours=1 if by == "hour" else 24)
    periods, t = [], min(buckets)
    while t <= max(buckets):
        periods.append((t, buckets.get(t, {x: 0 for x in TYPES})))
        t += step
    return {
        "runs": len(runs), "states": counts, "finished": len(finished),
        "failure_rate": failed / len(finished) if finished else None,
        "p50": percentile(durations, 0.5), "p90": percentile(durations, 0.9),
        "p99": percentile(durations, 0.99), "max": max(durations) if durations else None,
        "slowest": sorted(finished, key=lambda r: -r["total_run_time"])[:5],
        "periods": periods,
    }


def stats_json(run, *args):
    rc, out, err = run("prefect", "flow-runs", "stats", *args, "-o", "json", env=UTC)
    assert (rc, err) == (0, ""), err
    return json.loads(out)


def test_json_numbers_match_the_servers_runs(run, rest, stats_flow):
    flow = stats_flow["flow"]
    doc = stats_json(run, "--flow", flow["name"], "--by", "hour")
    runs = rest.runs_of(flow["id"])
    want = expected(runs)
    assert want["runs"] == len(DRIVEN) + 5
    assert doc["flow"] == flow["name"] and doc["flow_id"] == flow["id"]
    assert doc["deployment"] is None and doc["by"] == "hour"
    assert doc["duration_field"] == "total_run_time"
    assert doc["runs"] == want["runs"]
    assert doc["states"] == want["states"]
    assert doc["finished"] == want["finished"]
    assert doc["failure_rate"] == pytest.approx(want["failure_rate"])
    durations = doc["duration_seconds"]
    assert durations["count"] == want["finished"]
    for key in ("p50", "p90", "p99", "max"):
        assert durations[key] == pytest.approx(want[key], abs=1e-6), key
    assert [s["id"] for s in doc["slowest"]] == [r["id"] for r in want["slowest"]]
    assert doc["slowest"][0]["duration_seconds"] == pytest.approx(want["max"])
    assert {s["state_type"] for s in doc["slowest"]} <= set(FINAL)
    # per hour: every hour from the first run's to the last's, empty ones too
    assert [(p["start"], p["runs"], p["states"]) for p in doc["periods"]] == [
        (t.strftime("%Y-%m-%dT%H:%M:%SZ"), sum(c.values()), c) for t, c in want["periods"]]
    assert len(doc["periods"]) >= 2  # the Scheduled run is 90 minutes back
    assert doc["periods"][0]["label"] == want["periods"][0][0].strftime("%Y-%m-%d %H:00")


def test_by_day_is_the_default_and_yaml_matches_json(run, rest, stats_flow):
    flow = stats_flow["flow"]
    doc = stats_json(run, "--flow", flow["id"])
    want = expected(rest.runs_of(flow["id"]), by="day")
    assert doc["by"] == "day"
    assert [(p["label"], p["runs"]) for p in doc["periods"]] == [
        (t.strftime("%Y-%m-%d"), sum(c.values())) for t, c in want["periods"]]
    rc, out, err = run("prefect", "flow-runs", "stats", "--flow", flow["id"], "-o", "yaml",
                       env=UTC)
    assert (rc, err) == (0, "")
    got = yaml.safe_load(out)
    for key in ("since", "until"):  # "now" moved on between the two runs
        got.pop(key), doc.pop(key)
    assert got == doc


def test_deployment_and_window_filter_on_the_server(run, rest, stats_flow):
    dep = stats_flow["deployment"]
    doc = stats_json(run, "--deployment", dep["id"])
    assert doc["deployment"] == dep["name"] and doc["runs"] == 1
    assert doc["states"]["COMPLETED"] == 1
    doc = stats_json(run, "--flow", stats_flow["flow"]["name"], "--since", "30m")
    assert doc["states"]["SCHEDULED"] == 0  # expected 90 minutes ago
    assert doc["runs"] == len(DRIVEN) + 4
    doc = stats_json(run, "--flow", stats_flow["flow"]["name"], "--since", "2020-01-01",
                     "--until", "2020-01-02T00:00:00Z")
    assert doc["runs"] == 0 and doc["periods"] == [] and doc["slowest"] == []
    assert doc["failure_rate"] is None and doc["duration_seconds"]["p50"] is None
    assert doc["since"].startswith("2020-01-0") and doc["until"] == "2020-01-02T00:00:00Z"


def test_table_fits_80_columns_without_colour_when_piped(run, stats_flow):
    rc, out, err = run("prefect", "flow-runs", "stats", "--flow", stats_flow["flow"]["name"],
                       "--by", "hour", env=UTC)
    assert (rc, err) == (0, "")
    assert "\x1b" not in out
    lines = out.splitlines()
    assert max(display_width(l) for l in lines) <= 80, out
    assert "Flow Run Stats" in lines[1] and "Slowest Runs" in out
    assert any(l.startswith("Runs per Hour") and "▓ failed or crashed" in l for l in lines)
    assert re.search(rf"│ Runs: +{len(DRIVEN) + 5} ", out), out
    assert "Failure Rate:" in out and "Duration p99:" in out
    bars = [l for l in lines if l[:4].isdigit() and l[4] == "-"]
    assert bars and all(display_width(l) == 80 for l in bars), bars
    assert sum(int(l.split()[-1]) for l in bars) == len(DRIVEN) + 5
    assert any("█" in l and "▓" in l and "▒" in l and "░" in l for l in bars)


def test_colour_only_when_forced_and_never_with_no_color(run, stats_flow):
    args = ("prefect", "flow-runs", "stats", "--flow", stats_flow["flow"]["name"])
    rc, out, _ = run(*args, env=dict(UTC, FORCE_COLOR="1"))
    assert rc == 0 and "\x1b[32m█" in out and "\x1b[31m▓" in out
    assert max(display_width(strip_ansi(l)) for l in out.splitlines()) <= 80
    rc, out, _ = run(*args, env=dict(UTC, FORCE_COLOR="1", NO_COLOR="1"))
    assert rc == 0 and "\x1b" not in out


def test_svg_is_a_well_formed_chart(run, stats_flow, tmp_path):
    path = tmp_path / "runs.svg"
    doc = stats_json(run, "--flow", stats_flow["flow"]["name"], "--by", "hour", "--svg", path)
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg"
    texts = ["".join(t.itertext()) for t in root.iter(ns + "text")]
    assert any(stats_flow["flow"]["name"] in t and "per hour" in t for t in texts)
    assert "Runs" in texts and "Hour (local time)" in texts
    bars = [r for r in root.iter(ns + "rect") if r.find(ns + "title") is not None]
    counted = sum(int(r.find(ns + "title").text.split(": ")[1].split()[0]) for r in bars)
    assert counted == doc["runs"]
    assert len({r.get("fill") for r in bars}) == 4
    rc, out, err = run("prefect", "flow-runs", "stats", "--svg", tmp_path / "no" / "x.svg")
    assert rc == 1 and out == ""
    check_error(err, contains=("cannot write", "x.svg"))


@pytest.mark.parametrize("args, fragment", [
    (("--by", "week"), "'week'"),
    (("--since", "garbage"), "'garbage'"),
    (("--until", "soon"), "'soon'"),
    (("--since", "1h", "--until", "2d"), "'2d' is before --since '1h'"),
])
def test_bad_input_is_a_usage_error(run, args, fragment):
    rc, out, err = run("prefect", "flow-runs", "stats", *args)
    assert rc == 2 and out == ""
    check_error(err, contains=(fragment,))


def test_unknown_flow_and_unreachable_server(run):
    rc, out, err = run("prefect", "flow-runs", "stats", "--flow", unique("no-such-flow"))
    assert rc == 1 and out == ""
    check_error(err, contains=("no-such-flow",))
    rc, out, err = run("prefect", "flow-runs", "stats",
                       env={"PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"})
    assert rc == 6 and out == ""
    check_error(err)
