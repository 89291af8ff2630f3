"""Every fault answered truly: the fault-injecting proxy (fault_proxy.py) in
front of the real server, for each kind of command (a read, a create, a bulk
create, a wait, a follow) and each fault a network or a busy server makes.
The outcome is asserted for each: success after retries where it should
recover, else one true line and the documented exit code, in bounded time,
with nothing doubled on the server.

The commands run with `timeout: 2` and `max_retries: 2` (settings in the
run directory), so a request's deadline is 2 * (2 + 1) = 6 seconds.
"""
import email.utils
import json
import re
import time

import pytest

from fault_proxy import Fault, FaultProxy
from mv_helpers import check_error, parse_panel, unique

SETTINGS = "prefect:\n  timeout: 2\n  max_retries: 2\n"
DEADLINE = 6
RUN_TIMEOUT = 120


@pytest.fixture
def faulty(run):
    """faulty(rule, *args) -> (rc, out, err, seconds, proxy): the command run
    through a proxy applying rule, with the short timeouts above."""
    run.write("settings/mahavishnu.yaml", SETTINGS)
    proxies = []

    def go(rule, *args, timeout=60):
        proxy = FaultProxy(run.api_url, rule)
        proxies.append(proxy)
        started = time.monotonic()
        rc, out, err = run("--api-url", proxy.api_url, *args, timeout=timeout)
        return rc, out, err, time.monotonic() - started, proxy

    yield go
    for proxy in proxies:
        proxy.stop()


def on(method, pattern, fault, times=1):
    """A rule: fault for the first `times` requests matching (None: all)."""
    def rule(request):
        if request.method == method and re.fullmatch(pattern, request.path) and \
                (times is None or request.n < times):
            return fault
        return None
    return rule


def http_date(seconds_ahead):
    return email.utils.formatdate(time.time() + seconds_ahead, usegmt=True)


HTML = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

# --- a read: flow get NAME (GET /flows/name/NAME) -------------------------------

# (id, a function making the fault when the test runs, the least seconds it takes)
RECOVERS = [
    ("503", lambda: Fault(status=503), 0),
    ("503-retry-after-1s", lambda: Fault(status=503, headers={"Retry-After": "1"}), 1.0),
    ("429-retry-after-date",
     lambda: Fault(status=429, headers={"Retry-After": http_date(2)}), 0.5),
    ("408", lambda: Fault(status=408), 0),
    ("reset", lambda: Fault(action="reset"), 0),
    ("reset-mid-body", lambda: Fault(action="reset_mid_body", forward_first=True), 0),
    ("truncated-body", lambda: Fault(action="truncate", forward_first=True), 0),
    ("stall-past-timeout", lambda: Fault(action="stall", stall=3), 2.0),
    ("502-html",
     lambda: Fault(action="raw", status=502, raw=HTML, content_type="text/html"), 0),
    ("504", lambda: Fault(status=504), 0),
]


@pytest.mark.parametrize("make_fault, at_least", [(f, s) for _, f, s in RECOVERS],
                         ids=[i for i, _, _ in RECOVERS])
def test_read_recovers_from_one_fault(faulty, scratch, make_fault, at_least):
    name = unique("fault-read")
    flow = scratch.flow(name)
    rc, out, err, took, proxy = faulty(on("GET", r"/flows/name/.*", make_fault()),
                                       "prefect", "flow", "get", name, "-o", "json")
    assert rc == 0, (err, proxy.log)
    assert json.loads(out)["id"] == flow["id"]
    assert err == ""
    assert len(proxy.log) >= 2, "the fault was not injected"
    assert at_least <= took < at_least + DEADLINE, took


# outcome of a fault on every attempt: exit code, a fragment of the one line, most seconds
LASTING = [
    ("503", Fault(status=503), 1, "tried", DEADLINE + 3),
    ("429-retry-after-past-deadline", Fault(status=429, headers={"Retry-After": "100"}), 1,
     "asked to wait 100 s", 2),
    ("reset", Fault(action="reset"), 6, "no answer from the Prefect API", DEADLINE + 3),
    ("stall", Fault(action="stall", stall=20), 6, "no answer from the Prefect API",
     DEADLINE + 4),
    ("malformed-json", Fault(action="raw", raw=b'{"id": "abc", oops'), 1, "malformed JSON", 2),
    ("html-200", Fault(action="raw", raw=HTML, content_type="text/html"), 1, "HTML page", 2),
    ("html-502", Fault(action="raw", status=502, raw=HTML, content_type="text/html"), 1,
     "HTML page", DEADLINE + 3),
    ("prefect-500", Fault(status=500, body={"exception_message": "Internal Server Error"}), 1,
     "Internal Server Error (HTTP 500)", 2),
    ("prefect-422-list", Fault(status=422, body={"detail": [
        {"loc": ["path", "name"], "msg": "field required", "type": "missing"}]}), 1,
     "name: field required (HTTP 422)", 2),
    ("prefect-400-exception-detail", Fault(status=400, body={
        "exception_message": "Invalid request received.",
        "exception_detail": [{"loc": ["body", "limit"], "msg": "too big"}]}), 1,
     "limit: too big (HTTP 400)", 2),
    ("prefect-409", Fault(status=409, body={"detail": "Data integrity conflict."}), 1,
     "Data integrity conflict. (HTTP 409)", 2),
    ("control-characters", Fault(status=400, body={"detail": "evil \x1b[2J\x1b]0;x\x07 text"}), 1,
     "evil", 2),
]


@pytest.mark.parametrize("fault, code, fragment, most", [f[1:] for f in LASTING],
                         ids=[f[0] for f in LASTING])
def test_read_under_a_lasting_fault_ends_with_one_true_line(faulty, scratch, fault, code,
                                                              fragment, most):
    name = unique("fault-read")
    scratch.flow(name)
    rc, out, err, took, proxy = faulty(on("GET", r"/flows/name/.*", fault, times=None),
                                       "prefect", "flow", "get", name)
    assert rc == code, (err, proxy.log)
    assert out == ""
    check_error(err, contains=(fragment,))
    assert "\x1b" not in err and "\x07" not in err, repr(err)
    assert "<html" not in err, "server text was written raw"
    assert took < most, took


def test_busy_server_error_says_how_long_and_what_to_do(faulty, scratch):
    name = unique("fault-read")
    scratch.flow(name)
    rc, _, err, _, _ = faulty(on("GET", r"/flows/name/.*", Fault(status=503), times=None),
                              "prefect", "flow", "get", name)
    assert rc == 1
    line = check_error(err, hint=True)
    assert re.search(r"\(HTTP 503\); tried \d+ times in [5-8] s", line), line
    assert "run the same command again" in err


def test_verbose_prints_each_retry_and_its_wait(faulty, scratch):
    name = unique("fault-read")
    scratch.flow(name)
    rc, _, err, _, _ = faulty(on("GET", r"/flows/name/.*",
                                 Fault(status=503, headers={"Retry-After": "1"}), times=2),
                              "-v", "prefect", "flow", "get", name, "-o", "json")
    assert rc == 0, err
    retries = [l for l in err.splitlines() if "* retry" in l]
    assert len(retries) == 2, err
    assert re.search(r"retry 1 of GET /flows/name/\S+ in 1\.00 s \(Retry-After, HTTP 503",
                     retries[0]), retries[0]
    assert "retry 2 of" in retries[1]


def test_list_recovers_from_a_reset_mid_stream(faulty, scratch):
    flow = scratch.flow(unique("fault-list"))
    rc, out, err, _, proxy = faulty(on("POST", r"/flows/filter",
                                       Fault(action="reset_mid_body", forward_first=True)),
                                    "prefect", "flow", "list", "-o", "json", "--limit", "0")
    assert rc == 0, (err, proxy.log)
    ids = [f["id"] for f in json.loads(out)]
    assert flow["id"] in ids and len(ids) == len(set(ids))


# --- a create: flow create, work-pools create, schedule create ------------------

LOST = [
    ("reset-after-the-server-did-it", Fault(action="reset", forward_first=True)),
    ("502-after-the-server-did-it",
     Fault(action="raw", status=502, raw=HTML, content_type="text/html", forward_first=True)),
    ("stall-after-the-server-did-it", Fault(action="stall", stall=3, forward_first=True)),
    ("503-before", Fault(status=503)),
]


@pytest.mark.parametrize("fault", [f for _, f in LOST], ids=[i for i, _ in LOST])
def test_flow_create_recognises_its_own_flow_after_a_lost_answer(faulty, rest, scratch, fault):
    name = scratch.track(unique("fault-create"))
    rc, out, err, _, proxy = faulty(on("POST", r"/flows/", fault),
                                    "prefect", "flow", "create", "--name", name)
    assert rc == 0, (err, proxy.log)
    assert parse_panel(out)[0] == "✓ Flow Created"
    assert len(rest.flows_named(name)) == 1


def test_flow_create_of_an_existing_flow_is_still_refused(faulty, scratch):
    name = unique("fault-create")
    scratch.flow(name)
    rc, _, err, _, _ = faulty(on("POST", r"/flows/", Fault(action="reset", forward_first=True)),
                              "prefect", "flow", "create", "--name", name)
    assert rc == 1
    check_error(err, contains=("already exists",))


def test_flow_create_that_never_reached_the_server_creates_nothing(faulty, run, rest, scratch):
    name = scratch.track(unique("fault-create"))
    rc, _, err, took, _ = faulty(on("POST", r"/flows/", Fault(action="reset"), times=None),
                                 "prefect", "flow", "create", "--name", name)
    assert rc == 6, err
    check_error(err, contains=("no answer from the Prefect API",))
    assert took < DEADLINE + 3
    assert rest.flows_named(name) == []
    rc, out, err = run("prefect", "flow", "create", "--name", name)
    assert rc == 0, err
    assert len(rest.flows_named(name)) == 1


@pytest.fixture
def pool_name(rest):
    name = unique("fault-pool")
    yield name
    rest.raw("DELETE", f"/work_pools/{name}")


def test_work_pool_create_recognises_its_own_pool_after_a_lost_answer(faulty, rest, pool_name):
    rc, out, err, _, proxy = faulty(on("POST", r"/work_pools/",
                                       Fault(action="reset", forward_first=True)),
                                    "prefect", "work-pools", "create", pool_name, "-o", "json")
    assert rc == 0, (err, proxy.log)
    assert json.loads(out)["name"] == pool_name
    pools = rest.call("POST", "/work_pools/filter",
                      {"work_pools": {"name": {"any_": [pool_name]}}})
    assert len(pools) == 1


def test_schedule_create_recognises_its_own_schedule_after_a_lost_answer(faulty, rest,
                                                                          make_deployment):
    dep = make_deployment()
    rc, out, err, _, proxy = faulty(on("POST", r"/deployments/[0-9a-f-]+/schedules",
                                       Fault(action="reset", forward_first=True)),
                                    "prefect", "schedule", "create", dep["flow_name"],
                                    "--type", "cron", "--cron", "0 3 * * *")
    assert rc == 0, (err, proxy.log)
    schedules = rest.call("GET", f"/deployments/{dep['id']}/schedules")
    assert [s["schedule"]["cron"] for s in schedules] == ["0 3 * * *"]


# --- a bulk create: backfill -----------------------------------------------------

def test_backfill_through_lost_and_refused_answers_makes_exactly_the_plan(faulty, rest,
                                                                           make_deployment):
    dep = make_deployment([{"schedule": {"cron": "0 0 * * *", "timezone": "UTC"},
                            "active": False}])
    faults = {0: Fault(action="reset", forward_first=True), 1: Fault(status=503),
              2: Fault(action="truncate", forward_first=True)}

    def rule(request):
        if request.method == "POST" and request.path.endswith("/create_flow_run/bulk"):
            return faults.get(request.n)
        return None

    rc, out, err, _, proxy = faulty(rule, "prefect", "backfill", dep["id"],
                                    "--start", "2031-03-01", "--end", "2031-04-09", "-o", "json",
                                    timeout=RUN_TIMEOUT)
    assert rc == 0, (err, proxy.log)
    doc = json.loads(out)
    assert doc["planned"] == 40
    assert doc["created"] + doc["existed"] == 40
    runs = rest.call("POST", "/flow_runs/filter",
                     {"flow_runs": {"deployment_id": {"any_": [dep["id"]]}}, "limit": 200})
    keys = [r["idempotency_key"] for r in runs]
    assert len(keys) == 40 and len(set(keys)) == 40, "a run is missing or doubled"


# --- a wait and a follow ---------------------------------------------------------

def test_wait_and_follow_ride_out_resets_busy_answers_and_stalls(faulty, runs,
                                                                  worker_deployments,
                                                                  process_worker):
    poll = r"/flow_runs/[0-9a-f-]{36}"
    faults = {1: Fault(action="reset"), 2: Fault(status=503), 3: Fault(action="stall", stall=3)}

    def rule(request):
        if request.method == "GET" and re.fullmatch(poll, request.path):
            return faults.get(request.n)
        if request.method == "POST" and request.path == "/logs/filter":
            return {0: Fault(action="reset_mid_body", forward_first=True),
                    1: Fault(status=503)}.get(request.n)
        return None

    ok = worker_deployments["ok"]
    rc, out, err, _, proxy = faulty(rule, "prefect", "flow", "execute", ok.flow, "--wait",
                                    "-o", "json", timeout=RUN_TIMEOUT)
    assert rc == 0, (err, proxy.log, process_worker.log_tail())
    run_id = json.loads(out)["id"]
    assert runs.get(run_id)["state_type"] == "COMPLETED"
    assert sum(1 for _, path, _ in proxy.log if re.fullmatch(poll, path)) >= 4

    rc, logs, err, _, proxy = faulty(rule, "prefect", "flow-runs", "logs", run_id, "--follow",
                                     timeout=RUN_TIMEOUT)
    assert rc == 0, (err, proxy.log)
    assert any(what.startswith("reset_mid_body") for _, _, what in proxy.log)
    assert "Finished in state Completed" in logs, logs
