"""mahavishnu prefect backfill against the session's server: the spec's
January backfill with its exact times, idempotent re-runs ("0 created, 31
already existed"), --max-runs, interrupted and killed backfills that a
re-run completes, --dry-run, the default daily schedule, zones, several
schedules, --date-param, --wait with a real worker, a progress bar on a
terminal, and bad input that creates nothing."""

import json
import os
import pty
import select
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

from mv_helpers import UUID_RE, check_error, parse_panel, parse_table, strip_ansi, unique

WIDE = {"COLUMNS": "250"}
JANUARY = ("--start", "2024-01-01", "--end", "2024-01-31")


def cron(expr, tz="UTC", active=True, **extra):
    s = {"schedule": {"cron": expr, "timezone": tz}, "active": active}
    s.update(extra)
    return s


def utc(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def runs_of(rest, dep):
    """The deployment's runs that the server's scheduler did not make (its
    active schedules get auto-scheduled runs too), by expected start."""
    out = []
    while True:
        page = rest.call("POST", "/flow_runs/filter", {
            "flow_runs": {"deployment_id": {"any_": [dep["id"]]}},
            "sort": "EXPECTED_START_TIME_ASC", "offset": len(out), "limit": 200})
        out.extend(page)
        if len(page) < 200:
            return [r for r in out if not r["auto_scheduled"]]


def backfill(run, dep, *args, json_output=False, env=None):
    extra = ("-o", "json") if json_output else ()
    rc, out, err = run("prefect", "backfill", dep["id"], *args, *extra,
                       env=dict(WIDE, **(env or {})))
    return rc, (json.loads(out) if json_output and rc == 0 else out), err


def panel_lines(text):
    return [line[1:-1].rstrip() for line in strip_ansi(text).splitlines()
            if line.startswith("│")]


def days(first, n):
    return [first + timedelta(days=i) for i in range(n)]


# --- the spec's January backfill ------------------------------------------------

def test_january_creates_31_runs_at_midnight_then_none(run, rest, make_deployment):
    dep = make_deployment([cron("0 0 * * *")])

    rc, out, err = backfill(run, dep, *JANUARY)

    assert (rc, err) == (0, ""), err
    title, fields = parse_panel(out)
    assert title == "✓ Backfill Created"
    assert fields["Deployment"] == f"{dep['flow_name']}/{dep['name']}"
    assert fields["Runs Created"] == "31"
    assert fields["Already Existed"] == "0"
    assert fields["Date Range"] == "2024-01-01 to 2024-01-31"
    assert fields["Schedule"] == "0 0 * * * (UTC)"
    lines = panel_lines(out)
    assert any(l.strip() == "31 created, 0 already existed." for l in lines)
    # the first runs: a table under the panel, each time with its offset
    title, header, shown = parse_table(out[out.index("┘\n") + 2:])
    assert (title, header) == ("Backfill Runs (5 of 31)", ["Run ID", "Flow", "Status", "Start Time"])
    assert [r[1:] for r in shown] == [[dep["flow_name"], "◷ Scheduled", f"2024-01-0{d} 00:00 +00:00"]
                                      for d in range(1, 6)]

    runs = runs_of(rest, dep)
    assert len(runs) == 31
    want = days(datetime(2024, 1, 1, tzinfo=timezone.utc), 31)
    assert [utc(r["expected_start_time"]) for r in runs] == want
    for r, day in zip(runs, want):
        assert r["name"] == f"backfill-{day:%Y-%m-%d}"
        assert r["state_type"] == "SCHEDULED"
        assert utc(r["state"]["state_details"]["scheduled_time"]) == day
        assert "backfill" in r["tags"] and not r["auto_scheduled"]
        assert r["idempotency_key"].startswith(f"backfill {dep['id']} ")
    prefix = shown[0][0].rstrip("…")
    assert len(prefix) >= 8 and runs[0]["id"].startswith(prefix)

    rc, out, err = backfill(run, dep, *JANUARY)
    assert (rc, err) == (0, ""), err
    fields = parse_panel(out)[1]
    assert (fields["Runs Created"], fields["Already Existed"]) == ("0", "31")
    assert any(l.strip() == "0 created, 31 already existed." for l in panel_lines(out))
    assert len(runs_of(rest, dep)) == 31


def test_json_lists_every_run_with_id_and_whether_it_was_created(run, rest, make_deployment):
    dep = make_deployment([cron("0 0 * * *")])
    rc, first, err = backfill(run, dep, *JANUARY, json_output=True)
    assert (rc, err) == (0, ""), err
    assert (first["planned"], first["created"], first["existed"]) == (31, 31, 0)
    assert first["left_out"] == 0 and first["dry_run"] is False
    assert first["default_schedule"] is False
    assert first["deployment"] == {"id": dep["id"], "name": dep["name"],
                                   "flow_name": dep["flow_name"]}
    [sched] = rest.call("GET", f"/deployments/{dep['id']}/schedules")
    assert first["schedules"] == [{"id": sched["id"], "type": "cron",
                                   "expression": "0 0 * * *", "timezone": "UTC"}]
    assert len(first["runs"]) == 31
    assert {r["status"] for r in first["runs"]} == {"created"}
    server = {r["id"]: r for r in runs_of(rest, dep)}
    for r in first["runs"]:
        assert UUID_RE.match(r["id"]) and r["id"] in server
        assert utc(r["scheduled_time"]) == utc(server[r["id"]]["expected_start_time"])
        assert r["idempotency_key"] == server[r["id"]]["idempotency_key"]
        assert r["schedule_id"] == sched["id"]

    rc, again, err = backfill(run, dep, *JANUARY, json_output=True)
    assert (rc, err) == (0, ""), err
    assert (again["created"], again["existed"]) == (0, 31)
    assert {r["status"] for r in again["runs"]} == {"existed"}
    assert [r["id"] for r in again["runs"]] == [r["id"] for r in first["runs"]]


def test_max_runs_says_how_many_were_left_out_and_a_rerun_completes(run, rest,
                                                                     make_deployment):
    dep = make_deployment([cron("0 0 * * *")])

    rc, out, err = backfill(run, dep, *JANUARY, "--max-runs", "10")
    assert (rc, err) == (0, ""), err
    fields = parse_panel(out)[1]
    assert fields["Runs Created"] == "10"
    assert fields["Left Out"] == "21 runs beyond --max-runs 10"
    runs = runs_of(rest, dep)
    assert [utc(r["expected_start_time"]) for r in runs] == \
        days(datetime(2024, 1, 1, tzinfo=timezone.utc), 10)

    # the partial backfill, re-run in full, ends with exactly the planned runs
    rc, doc, err = backfill(run, dep, *JANUARY, json_output=True)
    assert (rc, err) == (0, ""), err
    assert (doc["created"], doc["existed"], doc["left_out"]) == (21, 10, 0)
    assert len(runs_of(rest, dep)) == 31


def popen_backfill(run, dep, *args):
    return subprocess.Popen([run.bin, "prefect", "backfill", dep["id"], *args, "-o", "json"],
                            env=run.environ(), cwd=str(run.cwd), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def count_runs(rest, dep):
    return len(runs_of(rest, dep))


def count_backfill_runs(rest, dep):
    return rest.call("POST", "/flow_runs/count", {"flow_runs": {
        "deployment_id": {"any_": [dep["id"]]}, "tags": {"all_": ["backfill"]}}})


def wait_for_some_runs(rest, dep, proc, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end and proc.poll() is None:
        if count_backfill_runs(rest, dep) > 0:
            return
        time.sleep(0.01)


# An hour-by-hour backfill of ten days in the future: 240 runs in ten requests,
# dated after now so that the server's late-run service leaves them alone.
HOURLY = ("--start", "2031-01-01", "--end", "2031-01-10", "--max-runs", "1000")
HOURLY_RUNS = 240


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_interrupted_backfill_rerun_ends_with_exactly_the_planned_runs(run, rest,
                                                                       make_deployment, sig):
    dep = make_deployment([cron("0 * * * *")])
    proc = popen_backfill(run, dep, *HOURLY)
    wait_for_some_runs(rest, dep, proc)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    partial = count_runs(rest, dep)
    assert 0 < partial <= HOURLY_RUNS
    if sig == signal.SIGINT and proc.returncode != 0:
        assert proc.returncode == 130, err
        assert out == b""
        text = err.decode()
        check_error(text, hint=True, contains=["interrupted with", "missing runs created"])
        assert "run the same backfill again" in text
    rc, doc, err = backfill(run, dep, *HOURLY, json_output=True)
    assert (rc, err) == (0, ""), err
    assert doc["planned"] == HOURLY_RUNS
    assert doc["existed"] == partial and doc["created"] == HOURLY_RUNS - partial
    runs = runs_of(rest, dep)
    assert len(runs) == HOURLY_RUNS
    assert len({r["expected_start_time"] for r in runs}) == HOURLY_RUNS


def test_dry_run_creates_nothing_and_says_what_exists(run, rest, make_deployment):
    dep = make_deployment([cron("0 0 * * *")])
    rc, out, err = backfill(run, dep, *JANUARY, "--dry-run")
    assert (rc, err) == (0, ""), err
    title, fields = parse_panel(out)
    assert title == "Backfill Plan (dry run, nothing created)"
    assert (fields["Runs Planned"], fields["Already Existed"], fields["Would Create"]) == \
        ("31", "0", "31")
    assert count_runs(rest, dep) == 0

    assert backfill(run, dep, "--start", "2024-01-01", "--end", "2024-01-05")[0] == 0
    rc, doc, err = backfill(run, dep, *JANUARY, "--dry-run", json_output=True)
    assert rc == 0, err
    assert doc["dry_run"] is True
    assert (doc["planned"], doc["created"], doc["existed"]) == (31, 0, 5)
    assert [r["status"] for r in doc["runs"]] == ["existed"] * 5 + ["planned"] * 26
    assert all(r["id"] is None for r in doc["runs"][5:])
    assert count_runs(rest, dep) == 5


@pytest.mark.parametrize("schedules", [[], [cron("0 6 * * *", active=False)]],
                         ids=["none", "inactive"])
def test_without_an_active_schedule_one_run_a_day_at_midnight_utc(run, rest, make_deployment,
                                                                  schedules):
    dep = make_deployment(schedules)
    rc, out, err = backfill(run, dep, "--start", "2024-02-27", "--end", "2024-03-01")
    assert (rc, err) == (0, ""), err
    assert parse_panel(out)[1]["Schedule"] == "none active: one run a day at 00:00 UTC"
    assert [utc(r["expected_start_time"]) for r in runs_of(rest, dep)] == \
        days(datetime(2024, 2, 27, tzinfo=timezone.utc), 4)
    rc, doc, err = backfill(run, dep, "--start", "2024-02-27", "--end", "2024-03-01",
                            json_output=True)
    assert doc["default_schedule"] is True and doc["schedules"] == []
    assert doc["existed"] == 4


def test_dates_are_read_in_the_schedules_zone(run, rest, make_deployment):
    # 09:00 in New York is 14:00 UTC before the March change and 13:00 after it
    dep = make_deployment([cron("0 9 * * *", "America/New_York")])
    rc, doc, err = backfill(run, dep, "--start", "2024-03-09", "--end", "2024-03-11",
                            json_output=True)
    assert rc == 0, err
    assert [r["local_time"] for r in doc["runs"]] == [
        "2024-03-09T09:00:00-05:00", "2024-03-10T09:00:00-04:00", "2024-03-11T09:00:00-04:00"]
    assert [utc(r["expected_start_time"]) for r in runs_of(rest, dep)] == [
        datetime(2024, 3, 9, 14, tzinfo=timezone.utc),
        datetime(2024, 3, 10, 13, tzinfo=timezone.utc),
        datetime(2024, 3, 11, 13, tzinfo=timezone.utc)]


def test_several_schedules_and_date_times(run, rest, make_deployment):
    dep = make_deployment([
        cron("0 0 * * *"),
        {"schedule": {"interval": 21600, "anchor_date": "2024-01-01T03:00:00Z",
                      "timezone": "UTC"}},
    ])
    rc, doc, err = backfill(run, dep, "--start", "2024-01-01T00:00Z", "--end",
                            "2024-01-01T23:59:59Z", json_output=True)
    assert rc == 0, err
    assert [r["name"] for r in doc["runs"]] == [
        "backfill-2024-01-01", "backfill-2024-01-01T03:00", "backfill-2024-01-01T09:00",
        "backfill-2024-01-01T15:00", "backfill-2024-01-01T21:00"]
    assert len({r["schedule_id"] for r in doc["runs"]}) == 2
    assert count_runs(rest, dep) == 5


ECHO_SCHEMA = {"type": "object", "title": "Parameters", "properties": {
    "env": {"type": "string", "title": "env", "default": "dev", "position": 0},
    "batch_date": {"type": "string", "title": "batch_date", "default": "", "position": 1},
}}


def test_date_param_passes_each_runs_logical_date(run, rest, make_deployment):
    dep = make_deployment([cron("0 0 * * *", parameters={"env": "prod"})],
                          parameter_openapi_schema=ECHO_SCHEMA)
    rc, out, err = backfill(run, dep, "--start", "2024-01-30", "--end", "2024-02-01",
                            "--date-param", "batch_date")
    assert rc == 0, err
    assert [r["parameters"] for r in runs_of(rest, dep)] == [
        {"env": "prod", "batch_date": d} for d in ("2024-01-30", "2024-01-31", "2024-02-01")]


def test_date_param_not_in_the_schema_creates_nothing(run, rest, make_deployment):
    dep = make_deployment([cron("0 0 * * *")], parameter_openapi_schema=ECHO_SCHEMA)
    rc, out, err = backfill(run, dep, *JANUARY, "--date-param", "day")
    assert rc == 1 and out == ""
    check_error(err, contains=["'day'"])
    assert count_runs(rest, dep) == 0


def test_progress_bar_on_a_terminal(run, rest, make_deployment):
    dep = make_deployment([cron("0 0 * * *")])
    master, slave = pty.openpty()
    proc = subprocess.Popen([run.bin, "prefect", "backfill", dep["id"], *JANUARY],
                            env=run.environ(WIDE), cwd=str(run.cwd), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    text = seen.decode()
    assert "creating runs ░░░░░░░░░░░░░░░░░░░░ 0/31" in text
    assert "\r\x1b[K" in text     # the line is erased before the panel
    assert parse_panel(out.decode())[1]["Runs Created"] == "31"


def test_no_progress_beside_json_even_on_a_terminal(run, rest, make_deployment):
    dep = make_deployment([cron("0 0 * * *")])
    master, slave = pty.openpty()
    proc = subprocess.Popen([run.bin, "prefect", "backfill", dep["id"], *JANUARY, "-o", "json"],
                            env=run.environ(WIDE), cwd=str(run.cwd), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out, _ = proc.communicate(timeout=60)
    seen = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the other end is closed and nothing is left
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.returncode == 0
    assert seen == b"" and json.loads(out)["created"] == 31


BAD_INPUT = [
    ("impossible-date", ["--start", "2024-02-30", "--end", "2024-03-01"], 2,
     ["--start", "2024-02-30", "February 2024 has 29 days"]),
    ("bad-format", ["--start", "01/05/2024", "--end", "2024-03-01"], 2, ["--start"]),
    ("start-after-end", ["--start", "2024-02-01", "--end", "2024-01-31"], 2,
     ["--start 2024-02-01 is after --end 2024-01-31"]),
    ("max-runs-zero", [*JANUARY, "--max-runs", "0"], 2, ["--max-runs"]),
    ("max-runs-negative", [*JANUARY, "--max-runs", "-3"], 2, ["--max-runs"]),
    ("no-end", ["--start", "2024-01-01"], 2, ["--end"]),
    ("wait-dry-run", [*JANUARY, "--wait", "--dry-run"], 2, ["--wait", "--dry-run"]),
    ("bad-offset", ["--start", "2024-01-01T00:00+25:00", "--end", "2024-01-02"], 2,
     ["UTC offset"]),
    ("end-before-start-in-zone", ["--start", "2024-01-02T00:00", "--end",
                                  "2024-01-01T10:00Z"], 2, ["ends before it starts"]),
]


@pytest.mark.parametrize("args, code, fragments", [c[1:] for c in BAD_INPUT],
                         ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_one_line_and_creates_nothing(run, rest, make_deployment, args, code,
                                                   fragments):
    dep = make_deployment([cron("0 0 * * *")])
    rc, out, err = backfill(run, dep, *args)
    assert rc == code, err
    assert out == ""
    check_error(err, contains=fragments)
    assert count_runs(rest, dep) == 0


def test_unknown_deployment(run):
    name = unique("nodep")
    rc, out, err = run("prefect", "backfill", name, *JANUARY)
    assert rc == 1 and out == ""
    check_error(err, contains=[name])


def test_wait_follows_the_runs_to_the_end(run, rest, runs, scratch, process_worker,
                                          run_flows_dir):
    flow = scratch.track(unique("bf-wait"))
    name = unique("d")
    rc, out, err = process_worker.runner(
        "prefect", "deploy", flow, "--name", name, "--work-pool", process_worker.pool,
        "--entrypoint", f"{run_flows_dir}/run_ok.py:ok_flow", "--cron", "0 0 * * *",
        "-o", "json", env=process_worker.env)
    assert rc == 0, err
    dep = json.loads(out)

    rc, out, err = run("prefect", "backfill", dep["id"], "--start", "2024-01-01", "--end",
                       "2024-01-02", "--wait", "--timeout", "240", "-o", "json", timeout=300)

    assert rc == 0, err
    doc = json.loads(out)
    assert doc["wait"] == {"completed": 2, "failed": 0, "crashed": 0, "cancelled": 0,
                           "unfinished": 0, "timed_out": False, "interrupted": False}
    assert [r["state_type"] for r in doc["runs"]] == ["COMPLETED", "COMPLETED"]
    assert sorted(err.splitlines()) == ["backfill-2024-01-01: Completed",
                                        "backfill-2024-01-02: Completed"]
    for r in doc["runs"]:
        assert runs.get(r["id"])["state_type"] == "COMPLETED"


def test_sigterm_is_handled_as_ctrl_c_and_exits_143(run, rest, make_deployment):
    dep = make_deployment([cron("0 * * * *")])
    proc = popen_backfill(run, dep, *HOURLY)
    wait_for_some_runs(rest, dep, proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    if proc.returncode != 0:        # it may have finished first
        assert proc.returncode == 143, err
        check_error(err.decode(), hint=True, contains=["interrupted with"])
        assert "run the same backfill again" in err.decode()
    rc, doc, err = backfill(run, dep, *HOURLY, json_output=True)
    assert (rc, err) == (0, ""), err
    assert len(runs_of(rest, dep)) == HOURLY_RUNS
