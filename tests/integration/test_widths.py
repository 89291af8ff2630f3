"""The width policy (docs/output.md, "Width policy") on every list and get
command, against the real server, at MAHAVISHNU_WIDTH=40, 80, 120 and 200
(and COLUMNS for a pipe): no line wider than the width, the values a user
came for whole (UUIDs or their unique prefixes, flow names, cron
expressions, a failure message and a run's URL), columns dropped only with
a footnote that names them, and -o wide showing every column.

The objects are made once for the module: a flow with three runs (one
failed with a long message, one AwaitingConcurrencySlot), a deployment of
another flow with two cron schedules in two zones, a work pool and a
repository registry.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import BIN
from mv_helpers import BOX_CHARS, display_width, quiet, strip_ansi, unique

WIDTHS = (40, 80, 120, 200)
ECHO_FLOW = Path(__file__).resolve().parents[1] / "fixtures" / "flows" / "run_echo.py"
MESSAGE = ("Flow run encountered an exception: RuntimeError: forced failure "
           "while loading the warehouse")
CRON_NY = "0 2 * * 1-5"
CRON_BERLIN = "30 14 1,15 * *"


ALERT_ARGS = ["--on", "failed,crashed", "--webhook", "http://127.0.0.1:9/hooks/T0/s3cret"]


def make_alert(api_url, flow_name):
    proc = subprocess.run([BIN, "prefect", "alerts", "create", *ALERT_ARGS, "--flow", flow_name,
                           "-o", "json"], env={"PREFECT_API_URL": api_url, "PATH": "/usr/bin"},
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def delete_alert(rest, alert):
    found = rest.call("GET", f"/automations/{alert['id']}")
    rest.call("DELETE", f"/automations/{alert['id']}", ok=(204, 404))
    for action in found["actions"]:
        rest.call("DELETE", f"/block_documents/{action['block_document_id']}", ok=(204, 404))


@pytest.fixture(scope="module")
def world(rest, prefect_server):
    """A flow, its runs, a deployment with two schedules and a work pool; deleted afterwards."""
    flow = rest.create_flow(unique("wd"))  # "wd-0123456789": 13 columns
    runs = {
        "ok": rest.create_flow_run(flow["id"], "COMPLETED", name=unique("crimson-wombat")),
        "failed": rest.create_flow_run(
            flow["id"], name=unique("gleaming-platypus"),
            state={"type": "FAILED", "name": "Failed", "message": MESSAGE}),
        "waiting": rest.create_flow_run(
            flow["id"], name=unique("x"),
            state={"type": "SCHEDULED", "name": "AwaitingConcurrencySlot"}),
    }
    # the deployment's flow is another one: the server's scheduler makes runs for it
    dflow = rest.create_flow(unique("wd"))
    dep = rest.call("POST", "/deployments/", {
        "name": unique("nightly"), "flow_id": dflow["id"],
        "schedules": [
            {"schedule": {"cron": CRON_NY, "timezone": "America/New_York"}, "active": True},
            {"schedule": {"cron": CRON_BERLIN, "timezone": "Europe/Berlin"}, "active": True},
        ]})
    pool = rest.call("POST", "/work_pools/", {"name": unique("pool"), "type": "process"})
    alert = make_alert(prefect_server.api_url, flow["name"])
    yield {"flow": flow, "dflow": dflow, "runs": runs, "dep": dep, "pool": pool, "alert": alert,
           "url": prefect_server.url}
    delete_alert(rest, alert)
    rest.raw("DELETE", f"/work_pools/{pool['name']}")
    rest.delete_flow(flow["id"])
    rest.delete_flow(dflow["id"])


REPOS = ("repos:\n"
         "  - name: analytics-warehouse\n"
         "    path: /srv/src/company/analytics-warehouse\n"
         "    tags: [etl, prod]\n"
         "    description: The warehouse's transformations and the nightly loads\n")


def commands(w):
    """name -> (arguments, the values that must be whole, the table's headers or None)."""
    flow, dflow, dep, runs = w["flow"], w["dflow"], w["dep"], w["runs"]
    failed = runs["failed"]["id"]
    return {
        "flow list": (["prefect", "flow", "list", "--limit", "200"], [flow["name"]],
                      ["Name", "ID", "Version", "Deployed", "Last Run", "Status"]),
        "flow get": (["prefect", "flow", "get", flow["id"]], [flow["id"], flow["name"]], None),
        "flow-runs list": (["prefect", "flow-runs", "list", "--flow", flow["id"]],
                           [flow["name"]],
                           ["Run ID", "Name", "Flow", "Status", "Start Time", "Duration"]),
        "flow-runs get": (["prefect", "flow-runs", "get", failed],
                          [failed, MESSAGE, f"/runs/flow-run/{failed}"], None),
        "deployments list": (["prefect", "deployments", "list", "--flow", dflow["id"]],
                             [dep["name"], dflow["name"]],
                             ["Name", "Flow", "Work Pool", "Status", "Schedule", "Created"]),
        "deployments get": (["prefect", "deployments", "get", dep["id"]],
                            [dep["id"], dep["name"]], None),
        "schedule list": (["prefect", "schedule", "list", "--flow", dflow["id"]],
                          [CRON_NY, CRON_BERLIN],
                          ["ID", "Flow", "Type", "Schedule", "Zone", "Active", "Next Run"]),
        "schedule preview": (["prefect", "schedule", "preview", "--cron", CRON_BERLIN,
                              "--timezone", "Europe/Berlin", "--start", "2026-01-01",
                              "-n", "3"], ["2026-01-01 14:30"], None),
        "work-pools list": (["prefect", "work-pools", "list"], [w["pool"]["name"]],
                            ["Name", "Type", "Status", "Concurrency", "Paused"]),
        "backfill --dry-run": (["prefect", "backfill", dep["id"], "--start", "2026-01-01",
                                "--end", "2026-01-20", "--dry-run"],
                               [f"{dflow['name']}/{dep['name']}", "planned"], None),
        "flow-runs stats": (["prefect", "flow-runs", "stats", "--flow", flow["id"]],
                            [], None),
        "config show --sources": (["config", "show", "--sources"], ["api_url"], None),
        "repos list": (["repos", "list"], ["analytics-warehouse",
                                           "/srv/src/company/analytics-warehouse"],
                       ["Name", "Tags", "Path", "Description"]),
        "alerts list": (["prefect", "alerts", "list"], [w["alert"]["id"][:8]],
                        ["ID", "Name", "On", "Runs of", "Webhook", "Enabled"]),
        "alerts create": (["prefect", "alerts", "create", *ALERT_ARGS, "--flow", flow["name"]],
                          [w["alert"]["id"], w["alert"]["name"], "http://127.0.0.1:9"], None),
        "flow-runs watch": (["prefect", "flow-runs", "watch", "--flow", flow["id"], "--count",
                             "1"], [flow["name"]],
                            ["Run ID", "Name", "Flow", "Status", "Start Time", "Duration"]),
        "flow validate": (["prefect", "flow", "validate", str(ECHO_FLOW)],
                          ["run-echo", 'string = "dev"', "batch_date"], None),
        "dashboard": (["prefect", "dashboard"], [w["url"]], None),
        "repos get": (["repos", "get", "analytics-warehouse"],
                      ["/srv/src/company/analytics-warehouse",
                       "The warehouse's transformations and the nightly loads"], None),
    }


def flat(text):
    """text without its box characters and blanks: a value wrapped across lines reads whole."""
    return re.sub("[\\s" + re.escape("".join(BOX_CHARS)) + "]", "", text)


def run_at(run, args, width, var="MAHAVISHNU_WIDTH"):
    run.write("settings/repos.yaml", REPOS)
    rc, out, err = run(*args, env={var: str(width), "TZ": "UTC"})
    assert rc == 0 and quiet(err), (args, err)
    return strip_ansi(out)


def check_fits(out, width):
    too_wide = [(display_width(l), l) for l in out.splitlines() if display_width(l) > width]
    assert not too_wide, "\n".join(f"{w:3d} {l}" for w, l in too_wide) + "\n" + out
    for l in out.splitlines():
        if l[:1] in BOX_CHARS:
            assert l[-1] in BOX_CHARS, f"broken border: {l!r}"


def check_whole(out, values):
    for value in values:
        assert flat(value) in flat(out), f"{value!r} is not whole in:\n{out}"


NAMES = ["flow list", "flow get", "flow-runs list", "flow-runs get", "deployments list",
         "deployments get", "schedule list", "schedule preview", "work-pools list",
         "backfill --dry-run", "flow-runs stats", "config show --sources", "repos list",
         "repos get", "alerts list", "alerts create", "flow-runs watch", "flow validate",
         "dashboard"]


def test_every_command_is_checked():
    dummy = {"flow": {"id": "", "name": ""}, "dflow": {"id": "", "name": ""},
             "dep": {"id": "", "name": ""},
             "runs": {"failed": {"id": ""}}, "pool": {"name": ""},
             "alert": {"id": "", "name": ""}, "url": ""}
    assert sorted(commands(dummy)) == sorted(NAMES)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_fits_and_keeps_values_whole(run, world, name, width):
    args, values, headers = commands(world)[name]
    out = run_at(run, args, width)
    check_fits(out, width)
    check_whole(out, values)
    if headers:  # a column not shown is named under the table
        top = next(l for l in out.splitlines() if l.startswith("┃"))
        shown = {h for h in headers if h in top}
        missing = [h for h in headers if h not in shown]
        if missing:
            note = " ".join(l for l in out.splitlines() if l and l[0] not in BOX_CHARS)
            for h in missing:
                assert h in note, f"{h} dropped without a word:\n{out}"
        if width == 200:
            assert not missing, out


# The values a user came for stay on one line: IDs, names, cron expressions.
@pytest.mark.parametrize("width", WIDTHS)
def test_identifiers_and_expressions_are_never_split(run, world, width):
    flow, runs = world["flow"], world["runs"]
    out = run_at(run, ["prefect", "schedule", "list", "--flow", world["dflow"]["id"]], width)
    lines = out.splitlines()
    assert any(CRON_NY in l for l in lines) and any(CRON_BERLIN in l for l in lines), out
    assert not re.search(r"\* ?…", out), out  # never "0 2 * *…"
    out = run_at(run, ["prefect", "flow-runs", "list", "--flow", flow["id"]], width)
    assert any(flow["name"] in l for l in out.splitlines()), out
    for r in runs.values():
        assert any(r["id"][:8] in l for l in out.splitlines()), out
    out = run_at(run, ["prefect", "flow-runs", "get", runs["failed"]["id"]], width)
    assert any(runs["failed"]["id"] in l for l in out.splitlines()), out
    assert "…" not in out, out


@pytest.mark.parametrize("name", ["flow-runs list", "schedule list", "deployments list",
                                  "work-pools list", "repos list", "flow list", "alerts list"])
def test_wide_output_has_every_column(run, world, name):
    args, values, headers = commands(world)[name]
    out = run_at(run, [*args, "-o", "wide"], 40)
    top = next(l for l in out.splitlines() if l.startswith("┃"))
    assert [h for h in headers if h not in top] == [], out
    assert "Not shown" not in out
    if name == "flow-runs list":
        for r in world["runs"].values():  # IDs in full
            assert r["id"] in out
    check_whole(out, values)


def test_columns_is_the_width_of_a_pipe_and_mahavishnu_width_wins(run, world):
    args = ["prefect", "schedule", "list", "--flow", world["dflow"]["id"]]
    narrow = run_at(run, args, 40, var="COLUMNS")
    check_fits(narrow, 40)
    run.write("settings/repos.yaml", REPOS)
    rc, out, err = run(*args, env={"COLUMNS": "40", "MAHAVISHNU_WIDTH": "200", "TZ": "UTC"})
    assert rc == 0 and max(display_width(l) for l in out.splitlines()) > 40
    assert "Not shown" not in out


def test_backfill_runs_show_offsets_and_stay_aligned(run, world):
    """Two schedules in two zones: every time carries its offset; states stay in their column."""
    dep = world["dep"]
    out = run_at(run, ["prefect", "backfill", dep["id"], "--start", "2026-01-01", "--end",
                       "2026-01-20", "--dry-run"], 120)
    lines = [l for l in out.splitlines() if l.startswith("│") and "planned" in l]
    assert len(lines) == 5, out
    times = [re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d) ([+-]\d\d:\d\d)", l) for l in lines]
    assert all(times), out
    assert {t.group(2) for t in times} == {"-05:00", "+01:00"}, out
    bars = {tuple(i for i, ch in enumerate(l) if ch == "│") for l in lines}
    assert len(bars) == 1, out
