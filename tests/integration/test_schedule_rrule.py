"""RRULE schedules against the session's server: a deployment whose RRULE
schedule was made through Prefect's own REST API (as `prefect deploy` from a
prefect.yaml makes it) is previewed, listed and backfilled with exactly the
runs Prefect's RRuleSchedule gives for the window, across a daylight-saving
change; `schedule create --type rrule` stores what Prefect's own client
sends; a rule given to `schedule preview --rrule` needs no server."""

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from prefect._internal.schemas.validators import normalize_rrule_string
from prefect.server.schemas.schedules import RRuleSchedule

from mv_helpers import check_error, parse_table

WIDE = {"COLUMNS": "250"}
NY = "America/New_York"
# Sundays, Mondays, Wednesdays and Fridays at 02:30 in New York: 2024-03-10 02:30 does not exist.
RULE = "RRULE:FREQ=WEEKLY;BYDAY=SU,MO,WE,FR;BYHOUR=2;BYMINUTE=30"


def utc(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def rrule(text, tz, active=True):
    return {"schedule": {"rrule": text, "timezone": tz}, "active": active}


def prefect_dates(schedule, start, end=None, n=None):
    """What Prefect's RRuleSchedule gives, as its scheduler asks it."""
    s = RRuleSchedule(rrule=schedule["rrule"], timezone=schedule["timezone"])
    return sorted(d.astimezone(timezone.utc) for d in s._get_dates_generator(
        n=n, start=start, end=end))


def runs_of(rest, dep):
    runs = rest.call("POST", "/flow_runs/filter", {
        "flow_runs": {"deployment_id": {"any_": [dep["id"]]}},
        "sort": "EXPECTED_START_TIME_ASC", "limit": 200})
    return [utc(r["expected_start_time"]) for r in runs if not r["auto_scheduled"]]


def test_a_deployment_made_by_prefect_is_previewed_and_backfilled_as_prefect_computes_it(
        run, rest, make_deployment):
    dep = make_deployment([rrule(RULE, NY)])
    [stored] = rest.call("GET", f"/deployments/{dep['id']}/schedules")
    # the server gave the rule a DTSTART, as Prefect does for every rule without one
    assert stored["schedule"]["rrule"].startswith("DTSTART:20200101T000000")
    zone = ZoneInfo(NY)

    start = datetime(2024, 3, 6, tzinfo=zone)
    rc, out, err = run("prefect", "schedule", "preview", stored["id"], "-n", "6", "--start",
                       "2024-03-06", "-o", "json")
    assert rc == 0, err
    doc = json.loads(out)
    want = prefect_dates(stored["schedule"], start, n=6)
    assert [utc(r["utc"]) for r in doc["runs"]] == want
    assert doc["type"] == "rrule"
    moved = [r for r in doc["runs"] if r["local"].startswith("2024-03-10")]
    assert [(r["local"], r["dst_moved"]) for r in moved] == [("2024-03-10T01:30:00-05:00", True)]

    rc, out, err = run("prefect", "backfill", dep["id"], "--start", "2024-03-01", "--end",
                       "2024-03-20", "-o", "json", env=WIDE)
    assert rc == 0, err
    first, last = datetime(2024, 3, 1, tzinfo=zone), datetime(2024, 3, 20, 23, 59, 59,
                                                              tzinfo=zone)
    want = prefect_dates(stored["schedule"], first, last)
    assert len(want) == 12
    assert runs_of(rest, dep) == want
    assert json.loads(out)["created"] == 12


def test_next_run_agrees_with_the_servers_scheduler(run, rest, make_deployment):
    dep = make_deployment([
        rrule("DTSTART:20240101T013000\nRRULE:FREQ=DAILY;INTERVAL=2", "Australia/Lord_Howe"),
        rrule("FREQ=HOURLY;INTERVAL=5;BYMINUTE=15", "Europe/London"),
    ])
    rest.call("POST", f"/deployments/{dep['id']}/schedule",
              {"min_runs": 3, "min_time": 86400 * 4})
    listed_at = datetime.now(timezone.utc)
    rc, out, err = run("prefect", "schedule", "list", "--deployment", dep["id"], "-o", "json")
    assert rc == 0, err
    docs = json.loads(out)
    runs = rest.call("POST", "/flow_runs/filter", {
        "flow_runs": {"deployment_id": {"any_": [dep["id"]]}},
        "sort": "EXPECTED_START_TIME_ASC", "limit": 200})
    assert len(docs) == 2
    for d in docs:
        future = [utc(r["expected_start_time"]) for r in runs
                  if r["created_by"]["id"] == d["id"] and utc(r["expected_start_time"]) > listed_at]
        assert utc(d["next_run"]) == future[0], d["schedule"]
    rc, out, err = run("prefect", "schedule", "list", "--deployment", dep["id"], env=WIDE)
    assert rc == 0, err
    _, header, rows = parse_table(out)
    assert [r[header.index("Type")] for r in rows] == ["rrule", "rrule"]
    assert all(r[header.index("Next Run")] != "-" for r in rows)


def test_create_sends_what_prefects_client_sends(run, rest, make_deployment):
    dep = make_deployment([])
    text = "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18"
    rc, out, err = run("prefect", "schedule", "create", dep["flow_name"], "--type", "rrule",
                       "--rrule", text, "--timezone", NY, env=WIDE)
    assert (rc, err) == (0, ""), err
    [stored] = rest.call("GET", f"/deployments/{dep['id']}/schedules")
    assert stored["schedule"] == {"rrule": normalize_rrule_string(text, timezone=NY),
                                  "timezone": NY}
    assert stored["active"] is True

    with_start = "DTSTART:20250101T090000\nRRULE:FREQ=WEEKLY;BYDAY=TU"
    rc, out, err = run("prefect", "schedule", "create", dep["flow_name"], "--type", "rrule",
                       "--rrule", with_start, "-o", "json")
    assert rc == 0, err
    assert json.loads(out)["schedule"] == {"rrule": with_start, "timezone": "UTC"}


def test_preview_of_a_rule_needs_no_server(run):
    text = "DTSTART:20241101T003000\nRRULE:FREQ=MINUTELY;INTERVAL=30"
    rc, out, err = run("prefect", "schedule", "preview", "--rrule", text, "--timezone", NY,
                       "--start", "2024-11-03", "-n", "8", "-o", "json",
                       env={"PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert rc == 0, err
    want = prefect_dates({"rrule": text, "timezone": NY}, datetime(2024, 11, 3, tzinfo=ZoneInfo(NY)),
                         n=8)
    assert [utc(r["utc"]) for r in json.loads(out)["runs"]] == want

    rc, out, err = run("prefect", "schedule", "preview", "--rrule", "FREQ=DAILY;BYDAY=XX",
                       env={"PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert rc == 2 and out == ""
    check_error(err, contains=["--rrule", "invalid 'BYDAY': XX"])
