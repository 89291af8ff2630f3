"""mahavishnu prefect schedule create|list|delete|preview|pause|resume against
the session's server: schedules added beside the existing ones, next runs
that agree with what the server's own scheduler creates, deletions that
say what Prefect drops with them, pauses that keep parameters, previews
that need no server, and bad input that changes nothing."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from mv_helpers import UUID_RE, check_error, parse_panel, parse_table, unique

WIDE = {"COLUMNS": "250"}


def cron(expr, tz=None, active=True, **extra):
    s = {"schedule": {"cron": expr, "timezone": tz}, "active": active}
    s.update(extra)
    return s


def interval(seconds, anchor, tz, active=True, **extra):
    s = {"schedule": {"interval": seconds, "anchor_date": anchor, "timezone": tz},
         "active": active}
    s.update(extra)
    return s


def schedules_of(rest, dep):
    return rest.call("GET", f"/deployments/{dep['id']}/schedules")


def utc(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def next_midnight_utc():
    now = datetime.now(timezone.utc)
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def json_out(run, *args, env=None):
    rc, out, err = run("prefect", "schedule", *args, "-o", "json", env=env)
    assert rc == 0, err
    return json.loads(out), err


# --- create ------------------------------------------------------------------

def test_create_cron_keeps_the_schedules_it_had(run, rest, make_deployment):
    old = interval(3600, "2024-01-01T00:00:00Z", "UTC", parameters={"env": "prod"})
    dep = make_deployment([old])
    before = schedules_of(rest, dep)

    rc, out, err = run("prefect", "schedule", "create", dep["flow_name"], "--type", "cron",
                       "--cron", "0 0 * * *", env=WIDE)

    assert (rc, err) == (0, ""), err
    title, fields = parse_panel(out)
    assert title == "✓ Schedule Created"
    assert fields["Flow"] == dep["flow_name"]
    assert fields["Deployment"] == dep["name"]
    assert fields["Type"] == "cron"
    assert fields["Cron"] == "0 0 * * *"
    assert fields["Timezone"] == "UTC"
    assert fields["Active"] == "Yes"
    assert fields["Next Run"] == next_midnight_utc().strftime("%Y-%m-%d %H:%M:%S +00:00")
    after = schedules_of(rest, dep)
    assert len(after) == 2
    kept = [s for s in after if s["id"] == before[0]["id"]]
    assert kept and kept[0]["parameters"] == {"env": "prod"}
    assert kept[0]["schedule"] == before[0]["schedule"]
    new = [s for s in after if s["id"] != before[0]["id"]][0]
    assert fields["ID"] == new["id"]
    assert new["schedule"]["cron"] == "0 0 * * *" and new["active"] is True


def test_create_interval_json_with_zone_parameters_and_inactive(run, rest, make_deployment):
    dep = make_deployment()

    doc, err = json_out(run, "create", dep["flow_name"], "--type", "interval", "--interval",
                        "5400", "--timezone", "Europe/London", "--anchor",
                        "2024-06-01T06:30", "--param", "env=prod", "--param", "retries=3",
                        "--inactive")

    assert err == ""
    assert UUID_RE.match(doc["id"])
    assert doc["flow_name"] == dep["flow_name"] and doc["deployment_name"] == dep["name"]
    assert doc["schedule"]["interval"] == 5400
    assert doc["schedule"]["timezone"] == "Europe/London"
    # 06:30 in London in June is 05:30 UTC
    assert utc(doc["schedule"]["anchor_date"]) == datetime(2024, 6, 1, 5, 30, tzinfo=timezone.utc)
    assert doc["active"] is False and doc["next_run"] is None
    assert doc["parameters"] == {"env": "prod", "retries": 3}
    [server] = schedules_of(rest, dep)
    assert server["id"] == doc["id"] and server["active"] is False
    assert server["parameters"] == {"env": "prod", "retries": 3}


def test_create_warns_when_dst_moves_runs(run, make_deployment):
    dep = make_deployment()
    rc, out, err = run("prefect", "schedule", "create", dep["flow_name"], "--type", "cron",
                       "--cron", "30 2 * * *", "--timezone", "America/New_York")
    assert rc == 0, err
    assert parse_panel(out)[1]["Timezone"] == "America/New_York"
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mahavishnu: warning: on ")
    assert "clocks in America/New_York go forward from 02:00 to 03:00" in lines[0]
    assert "1 run at a skipped time will run after the gap" in lines[0]


def test_create_for_a_flow_without_deployment_says_how_to_deploy(run, rest, scratch):
    flow = scratch.flow(unique("undeployed"))
    rc, out, err = run("prefect", "schedule", "create", flow["name"], "--type", "cron",
                       "--cron", "0 2 * * *")
    assert rc == 1 and out == ""
    check_error(err, hint=True, contains=[flow["name"], "no deployment"])
    assert f"mahavishnu prefect deploy {flow['name']} --name NAME --cron '0 2 * * *'" in err
    assert rest.deployments_of(flow["id"]) == []


def test_create_with_several_deployments_needs_deployment(run, rest, make_deployment):
    first = make_deployment()
    second = rest.create_deployment(first["flow_id"], unique("dep2"))
    args = ("prefect", "schedule", "create", first["flow_name"], "--type", "interval",
            "--interval", "600")

    rc, out, err = run(*args)
    assert rc == 1 and out == ""
    check_error(err, hint=True, contains=[first["name"], second["name"]])
    assert "--deployment" in err
    assert schedules_of(rest, first) == [] and schedules_of(rest, second) == []

    rc, out, err = run(*args, "--deployment", second["name"], "-o", "json")
    assert rc == 0, err
    assert json.loads(out)["deployment_id"] == second["id"]
    assert schedules_of(rest, first) == [] and len(schedules_of(rest, second)) == 1


def test_create_the_same_schedule_twice_is_refused(run, rest, make_deployment):
    dep = make_deployment([cron("0 3 * * *", "UTC")])
    rc, out, err = run("prefect", "schedule", "create", dep["flow_name"], "--type", "cron",
                       "--cron", "0 3 * * *")
    assert rc == 1 and out == ""
    check_error(err, hint=True, contains=["already has this schedule"])
    assert len(schedules_of(rest, dep)) == 1


BAD_CREATE = [
    ("cron-field", ["--type", "cron", "--cron", "61 * * * *"], ["minute '61'", "0-59"]),
    ("cron-fields", ["--type", "cron", "--cron", "* * *"], ["--cron"]),
    ("cron-weekday", ["--type", "cron", "--cron", "0 0 * * FOO"], ["--cron"]),
    ("interval-zero", ["--type", "interval", "--interval", "0"], ["--interval", "0"]),
    ("interval-negative", ["--type", "interval", "--interval", "-5"], ["--interval"]),
    ("unknown-zone", ["--type", "cron", "--cron", "0 0 * * *", "--timezone", "Mars/Base"],
     ["Mars/Base"]),
    ("cron-missing", ["--type", "cron"], ["--cron"]),
    ("interval-with-cron", ["--type", "interval", "--cron", "0 0 * * *"], ["--interval"]),
    ("bad-type", ["--type", "weekly"], ["--type", "'weekly'"]),
    ("rrule-missing", ["--type", "rrule"], ["--type rrule", "--rrule"]),
    ("rrule-bad", ["--type", "rrule", "--rrule", "FREQ=DAILY;BYHOUR=24"], ["--rrule", "BYHOUR"]),
    ("rrule-with-cron", ["--type", "rrule", "--rrule", "FREQ=DAILY", "--cron", "0 0 * * *"],
     ["--rrule", "--cron"]),
    ("bad-param", ["--type", "cron", "--cron", "0 0 * * *", "--param", "novalue"], ["--param"]),
    ("bad-anchor", ["--type", "interval", "--interval", "60", "--anchor", "2024-02-30"],
     ["2024-02-30", "29 days"]),
]


@pytest.mark.parametrize("args, fragments", [c[1:] for c in BAD_CREATE],
                         ids=[c[0] for c in BAD_CREATE])
def test_create_bad_input_is_one_line_and_changes_nothing(run, rest, make_deployment, args,
                                                          fragments):
    dep = make_deployment([cron("0 1 * * *", "UTC")])
    before = schedules_of(rest, dep)
    rc, out, err = run("prefect", "schedule", "create", dep["flow_name"], *args)
    assert rc == 2, err
    assert out == ""
    check_error(err, contains=fragments)
    assert schedules_of(rest, dep) == before


# --- list --------------------------------------------------------------------

def test_list_table_and_json(run, rest, make_deployment):
    dep = make_deployment([
        cron("0 0 * * *", "UTC"),
        interval(3600, "2024-01-01T00:00:00Z", "Europe/London"),
        cron("15 4 * * *", "America/New_York", active=False),
    ])
    rc, out, err = run("prefect", "schedule", "list", "--flow", dep["flow_name"], env=WIDE)
    assert (rc, err) == (0, ""), err
    title, header, rows = parse_table(out)
    assert title == "Schedules (3)"
    assert header == ["ID", "Flow", "Type", "Schedule", "Zone", "Active", "Next Run"]
    by_schedule = {r[3]: r for r in rows}
    assert set(by_schedule) == {"0 0 * * *", "3600s", "15 4 * * *"}
    assert by_schedule["0 0 * * *"][1:3] == [dep["flow_name"], "cron"]
    assert by_schedule["0 0 * * *"][4:] == ["UTC", "Yes",
                                            next_midnight_utc().strftime("%Y-%m-%d %H:%M")]
    assert by_schedule["3600s"][2] == "interval"
    assert by_schedule["3600s"][4:6] == ["Europe/London", "Yes"]
    assert by_schedule["15 4 * * *"][4:] == ["America/New_York", "No", "-"]
    ids = {s["id"][:8] for s in schedules_of(rest, dep)}
    assert {r[0].rstrip("…") for r in rows} == ids

    docs, err = json_out(run, "list", "--deployment", f"{dep['flow_name']}/{dep['name']}")
    assert err == ""
    assert len(docs) == 3
    for d in docs:
        assert d["deployment_id"] == dep["id"] and d["flow_name"] == dep["flow_name"]
        assert d["deployment_name"] == dep["name"]
        assert (d["next_run"] is None) == (not d["active"])
    midnight = [d for d in docs if d["schedule"].get("cron") == "0 0 * * *"][0]
    assert utc(midnight["next_run"]) == next_midnight_utc()


def test_list_names_the_deployment_when_a_flow_has_several(run, rest, make_deployment):
    dep = make_deployment([cron("0 5 * * *")])
    other = rest.create_deployment(dep["flow_id"], unique("second"),
                                   schedules=[cron("0 6 * * *")])
    rc, out, err = run("prefect", "schedule", "list", "--flow", dep["flow_name"], env=WIDE)
    assert rc == 0, err
    _, _, rows = parse_table(out)
    assert sorted(r[1] for r in rows) == sorted([f"{dep['flow_name']}/{dep['name']}",
                                                 f"{dep['flow_name']}/{other['name']}"])


def test_list_empty_and_unknown_flow(run, scratch):
    flow = scratch.flow(unique("nosched"))
    rc, out, err = run("prefect", "schedule", "list", "--flow", flow["name"], "-o", "json")
    assert (rc, err, json.loads(out)) == (0, "", [])
    rc, out, err = run("prefect", "schedule", "list", "--flow", unique("missing"))
    assert rc == 1 and out == ""
    check_error(err, contains=["missing"])


def server_runs_by_schedule(rest, dep):
    runs = rest.call("POST", "/flow_runs/filter", {
        "flow_runs": {"deployment_id": {"any_": [dep["id"]]}},
        "sort": "EXPECTED_START_TIME_ASC", "limit": 200})
    out = {}
    for r in runs:
        if r["auto_scheduled"]:
            out.setdefault(r["created_by"]["id"], []).append(utc(r["expected_start_time"]))
    return out


def test_next_runs_agree_with_the_servers_scheduler(run, rest, make_deployment):
    """The server's scheduler code (POST /deployments/{id}/schedule runs it
    at once) and `schedule list` / `schedule preview ID` must name the same
    next runs, in zones with daylight saving, half-hour offsets and a
    half-hour DST shift."""
    dep = make_deployment([
        cron("30 1 * * *", "Australia/Lord_Howe"),
        cron("0 */5 * * 1-5", "America/New_York"),
        interval(5400, "2024-01-01T00:07:00+05:30", "Asia/Kolkata"),
        interval(86400, "2024-03-01T02:30:00-05:00", "America/New_York"),
    ])
    rest.call("POST", f"/deployments/{dep['id']}/schedule",
              {"min_runs": 3, "min_time": 86400 * 4})
    listed_at = datetime.now(timezone.utc)
    docs, err = json_out(run, "list", "--deployment", dep["id"])
    server = server_runs_by_schedule(rest, dep)
    assert len(docs) == 4 and len(server) == 4, server
    for d in docs:
        future = [t for t in server[d["id"]] if t > listed_at]
        assert utc(d["next_run"]) == future[0], (d["schedule"], future)

        preview, err = json_out(run, "preview", d["id"][:8], "-n", "3")
        assert [utc(r["utc"]) for r in preview["runs"]] == future[:3], d["schedule"]
        assert preview["id"] == d["id"]
        assert preview["timezone"] == d["schedule"]["timezone"]


# --- delete ------------------------------------------------------------------

def test_delete_by_prefix_with_yes_keeps_the_other_schedule(run, rest, make_deployment):
    dep = make_deployment([cron("0 0 * * *"), cron("0 12 * * *")])
    rest.call("POST", f"/deployments/{dep['id']}/schedule", {})
    gone, kept = sorted(schedules_of(rest, dep), key=lambda s: s["schedule"]["cron"])
    pending = rest.call("POST", "/flow_runs/count", {
        "flow_runs": {"deployment_id": {"any_": [dep["id"]]},
                      "state": {"type": {"any_": ["SCHEDULED"]}}}})
    assert pending > 0

    rc, out, err = run("prefect", "schedule", "delete", gone["id"][:8], "--yes", env=WIDE)

    assert rc == 0, err
    assert err.startswith("mahavishnu: warning: Prefect also deletes the ")
    assert "scheduled run" in err and "not started" in err
    title, fields = parse_panel(out)
    assert title == "✓ Schedule Deleted"
    assert fields["ID"] == gone["id"]
    assert fields["Schedule"] == "0 0 * * *"
    assert fields["Scheduled Runs"] == f"{pending} deleted by Prefect"
    assert [s["id"] for s in schedules_of(rest, dep)] == [kept["id"]]


def test_delete_json(run, rest, make_deployment):
    dep = make_deployment([interval(600, "2024-01-01T00:00:00Z", "UTC")])
    [s] = schedules_of(rest, dep)
    rc, out, err = run("prefect", "schedule", "delete", s["id"], "--yes", "-o", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["id"] == s["id"] and doc["deployment_id"] == dep["id"]
    assert doc["deleted"] is True and isinstance(doc["scheduled_runs_deleted"], int)
    assert doc["flow"] == dep["flow_name"] and doc["deployment"] == dep["name"]
    assert schedules_of(rest, dep) == []


@pytest.mark.parametrize("stdin", [None, "y\n"], ids=["devnull", "pipe"])
def test_delete_without_yes_off_a_terminal_is_a_usage_error(run, rest, make_deployment, stdin):
    dep = make_deployment([cron("0 0 * * *")])
    [s] = schedules_of(rest, dep)
    rc, out, err = run("prefect", "schedule", "delete", s["id"], input=stdin)
    assert rc == 2 and out == ""
    check_error(err, hint=True, contains=["without confirmation"])
    assert "--yes" in err
    assert len(schedules_of(rest, dep)) == 1


@pytest.mark.parametrize("ref", ["0000dead", "00000000-0000-4000-8000-000000000000",
                                 "not-an-id"])
def test_delete_unknown_schedule(run, ref):
    rc, out, err = run("prefect", "schedule", "delete", ref, "--yes")
    assert rc == 1 and out == ""
    check_error(err, hint=True, contains=[ref])


# --- pause and resume ----------------------------------------------------------

def test_pause_and_resume_keep_parameters_and_expression(run, rest, make_deployment):
    dep = make_deployment([cron("45 6 * * *", "Europe/London",
                                parameters={"env": "prod", "n": 2}, slug="morning")])
    [s] = schedules_of(rest, dep)

    rc, out, err = run("prefect", "schedule", "pause", s["id"][:8], env=WIDE)
    assert (rc, err) == (0, ""), err
    title, fields = parse_panel(out)
    assert title == "✓ Schedule Paused"
    assert fields["Active"] == "No" and fields["Next Run"] == "- (schedule paused)"
    [paused] = schedules_of(rest, dep)
    assert paused["active"] is False
    assert paused["parameters"] == {"env": "prod", "n": 2}
    assert paused["schedule"] == s["schedule"] and paused["slug"] == "morning"

    rc, out, err = run("prefect", "schedule", "pause", s["id"])
    assert rc == 0
    assert "already paused" in err

    doc, err = json_out(run, "resume", "morning")
    assert err == ""
    assert doc["active"] is True and doc["next_run"] is not None
    assert doc["parameters"] == {"env": "prod", "n": 2}
    [resumed] = schedules_of(rest, dep)
    assert resumed["active"] is True
    assert resumed["parameters"] == {"env": "prod", "n": 2}
    assert resumed["schedule"] == s["schedule"]


def test_schedule_of_a_paused_deployment_shows_no_next_run(run, make_deployment):
    dep = make_deployment([cron("0 0 * * *")], paused=True)
    docs, _ = json_out(run, "list", "--deployment", dep["id"])
    assert docs[0]["deployment_paused"] is True and docs[0]["next_run"] is None
    rc, out, err = run("prefect", "schedule", "list", "--deployment", dep["id"], env=WIDE)
    assert parse_table(out)[2][0][-1] == "paused"


# --- preview -------------------------------------------------------------------

def test_preview_cron_across_spring_forward_without_a_server(run):
    env = {"PREFECT_API_URL": "http://127.0.0.1:9/api", "LD_DEBUG": "files"}
    rc, out, err = run("prefect", "schedule", "preview", "--cron", "30 2 * * *", "--timezone",
                       "America/New_York", "--start", "2026-03-07", "-n", "3", "-o", "json",
                       env=env)
    assert rc == 0
    assert "libcurl" not in err        # no request, so the HTTP library was never loaded
    doc = json.loads(out)
    assert doc["id"] is None and doc["type"] == "cron"
    assert doc["timezone"] == "America/New_York"
    assert [(r["local"], r["utc"]) for r in doc["runs"]] == [
        ("2026-03-07T02:30:00-05:00", "2026-03-07T07:30:00Z"),
        ("2026-03-08T03:30:00-04:00", "2026-03-08T07:30:00Z"),
        ("2026-03-09T02:30:00-04:00", "2026-03-09T06:30:00Z"),
    ]
    assert [r["dst_moved"] for r in doc["runs"]] == [False, True, False]


def test_preview_interval_across_fall_back_table(run):
    env = dict(WIDE, PREFECT_API_URL="http://127.0.0.1:9/api")
    rc, out, err = run("prefect", "schedule", "preview", "--interval", "1800", "--anchor",
                       "2026-11-01T00:00", "--timezone", "America/New_York", "--start",
                       "2026-11-01T00:30", "-n", "4", env=env)
    assert (rc, err) == (0, ""), err
    title, header, rows = parse_table(out)
    assert title == "Next 4 runs of 1800s (America/New_York)"
    assert header == ["#", "Local Time", "UTC", "Note"]
    assert [r[1] for r in rows] == ["2026-11-01 00:30:00 -04:00", "2026-11-01 01:00:00 -04:00",
                                    "2026-11-01 01:30:00 -04:00", "2026-11-01 02:00:00 -05:00"]
    assert [r[3] for r in rows] == ["", "repeated time (1st)", "repeated time (1st)", ""]


BAD_PREVIEW = [
    ("nothing", [], ["SCHEDULE_ID", "--cron", "--interval"]),
    ("two-sources", ["--cron", "0 0 * * *", "--interval", "60"], ["--cron"]),
    ("cron-field", ["--cron", "0 25 * * *"], ["hour '25'"]),
    ("interval-zero", ["--interval", "0"], ["--interval"]),
    ("zone", ["--cron", "0 0 * * *", "--timezone", "Europe/Atlantis"], ["Europe/Atlantis"]),
    ("start", ["--cron", "0 0 * * *", "--start", "2024-02-30"], ["2024-02-30"]),
    ("count", ["--cron", "0 0 * * *", "-n", "0"], ["--count"]),
    ("anchor-with-cron", ["--cron", "0 0 * * *", "--anchor", "2024-01-01"], ["--anchor"]),
]


@pytest.mark.parametrize("args, fragments", [c[1:] for c in BAD_PREVIEW],
                         ids=[c[0] for c in BAD_PREVIEW])
def test_preview_bad_input(run, args, fragments):
    rc, out, err = run("prefect", "schedule", "preview", *args,
                       env={"PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert rc == 2 and out == ""
    check_error(err, contains=fragments)


def test_preview_of_a_server_schedule_table(run, rest, make_deployment):
    dep = make_deployment([cron("0 9 * * *", "Asia/Kolkata")])
    [s] = schedules_of(rest, dep)
    rc, out, err = run("prefect", "schedule", "preview", s["id"], "-n", "2", "--start",
                       "2024-01-01", env=WIDE)
    assert (rc, err) == (0, ""), err
    title, _, rows = parse_table(out)
    assert title == "Next 2 runs of 0 9 * * * (Asia/Kolkata)"
    assert [r[1:3] for r in rows] == [["2024-01-01 09:00:00 +05:30", "2024-01-01 03:30:00"],
                                      ["2024-01-02 09:00:00 +05:30", "2024-01-02 03:30:00"]]
    rc, out, err = run("prefect", "schedule", "preview", s["id"], "--timezone", "UTC")
    assert rc == 2
    check_error(err, contains=["--timezone"])
