"""mahavishnu prefect flow-runs retry: a new run of the deployment with the
same parameters (run by the session's process worker), --param overrides,
the idempotency key that keeps a repeat or a lost answer from making a second
run, --in-place (Prefect's AwaitingRetry), and retry in bulk.

Runs that need not execute belong to deployments without a work pool, made
over REST on flows of their own: nothing picks their runs up."""

import json

import pytest

from fault_proxy import Fault, FaultProxy
from mv_helpers import check_error, parse_panel, unique

RUN_TIMEOUT = 120


def retries_of(rest, run_id):
    return rest.call("POST", "/flow_runs/filter",
                     {"flow_runs": {"tags": {"all_": [f"retry-of:{run_id}"]}}, "limit": 200})


@pytest.fixture
def idle(rest, scratch):
    """A deployment no worker serves: make(state, **fields) -> a run of it."""
    flow = scratch.flow(unique("retry-idle"))
    dep = rest.create_deployment(flow["id"], unique("dep"))

    def make(state="FAILED", parameters=None, tags=()):
        return rest.call("POST", f"/deployments/{dep['id']}/create_flow_run",
                         {"state": {"type": state}, "parameters": parameters or {},
                          "tags": list(tags)})
    make.flow, make.deployment = flow, dep
    return make


def test_retry_runs_again_with_identical_parameters(run, rest, runs, worker_deployments,
                                                   process_worker):
    echo = worker_deployments["echo"]
    rc, out, err = run("prefect", "flow", "execute", echo.flow, "-p", "retries=3", "-p",
                       "env=qa", "--wait", "-o", "json", timeout=RUN_TIMEOUT)
    assert rc == 0, (err, process_worker.log_tail())
    source = json.loads(out)

    rc, out, err = run("prefect", "flow-runs", "retry", source["id"], "--wait", "-o", "json",
                       timeout=RUN_TIMEOUT)
    assert rc == 0, (err, process_worker.log_tail())
    doc = json.loads(out)
    assert doc["id"] != source["id"] and doc["created"] is True
    assert doc["retry_of"] == source["id"] and doc["retry"] == 1
    assert doc["state_type"] == "COMPLETED"
    new, old = runs.get(doc["id"]), runs.get(source["id"])
    assert new["parameters"] == old["parameters"] == {"retries": 3, "env": "qa"}
    assert new["deployment_id"] == echo.id
    assert f"retry-of:{source['id']}" in new["tags"]
    assert new["idempotency_key"] == f"mahavishnu-retry:{source['id']}:1"

    # the same retry again finds that one: no second run
    rc, out, err = run("prefect", "flow-runs", "retry", source["id"])
    assert (rc, err) == (0, ""), err
    title, fields = parse_panel(out)
    assert title == "✓ Flow Run Already Retried"
    assert fields["Run ID"] == doc["id"] and fields["Retry"] == "1"
    # and so does a retry of the retry
    rc, out, err = run("prefect", "flow-runs", "retry", doc["id"], "-o", "json")
    assert rc == 0 and json.loads(out)["id"] == doc["id"]
    assert [r["id"] for r in retries_of(rest, source["id"])] == [doc["id"]]


def test_param_override_is_checked_and_makes_a_new_attempt(run, rest, idle):
    source = idle("FAILED", {"env": "qa", "n": 1})
    rc, out, err = run("prefect", "flow-runs", "retry", source["id"], "-o", "json")
    assert rc == 0, err
    first = json.loads(out)
    assert first["parameters"] == {"env": "qa", "n": 1}

    rc, out, err = run("prefect", "flow-runs", "retry", source["id"], "--param", "env=prod",
                       "-o", "json")
    assert rc == 0, err
    second = json.loads(out)
    assert second["created"] is True and second["retry"] == 2
    assert rest.call("GET", f"/flow_runs/{second['id']}")["parameters"] == {"env": "prod",
                                                                            "n": 1}
    assert len(retries_of(rest, source["id"])) == 2


def test_param_against_the_schema_is_refused_before_creating(run, rest, worker_deployments):
    echo = worker_deployments["echo"]
    source = rest.call("POST", f"/deployments/{echo.id}/create_flow_run",
                       {"state": {"type": "FAILED"}, "parameters": {"retries": 2}})
    rc, out, err = run("prefect", "flow-runs", "retry", source["id"], "-p", "retries=many")
    assert rc == 1 and out == ""
    check_error(err, contains=("retries",))
    assert retries_of(rest, source["id"]) == []


def test_a_failed_retry_is_retried_as_the_next_attempt(run, rest, idle):
    source = idle("FAILED")
    rc, out, _ = run("prefect", "flow-runs", "retry", source["id"], "-o", "json")
    first = json.loads(out)
    rest.call("POST", f"/flow_runs/{first['id']}/set_state",
              {"state": {"type": "FAILED"}, "force": True})
    rc, out, err = run("prefect", "flow-runs", "retry", source["id"], "-o", "json")
    assert rc == 0, err
    second = json.loads(out)
    assert second["id"] != first["id"] and second["retry"] == 2
    assert second["idempotency_key"] == f"mahavishnu-retry:{source['id']}:2"


def test_a_lost_answer_makes_one_run(run, rest, idle):
    source = idle("CRASHED")
    run.write("settings/mahavishnu.yaml", "prefect:\n  timeout: 2\n  max_retries: 2\n")
    lost = {"done": False}

    def rule(request):
        if request.method == "POST" and request.path.endswith("/create_flow_run") \
                and not lost["done"]:
            lost["done"] = True
            return Fault(action="reset", forward_first=True)
        return None

    proxy = FaultProxy(run.api_url, rule)
    try:
        rc, out, err = run("--api-url", proxy.api_url, "prefect", "flow-runs", "retry",
                           source["id"], "-o", "json")
    finally:
        proxy.stop()
    assert rc == 0, (err, proxy.log)
    assert lost["done"]
    made = retries_of(rest, source["id"])
    assert [r["id"] for r in made] == [json.loads(out)["id"]]


def test_a_run_without_a_deployment_is_an_error_with_a_hint(run, rest, scratch):
    flow = scratch.flow(unique("retry-nodep"))
    source = rest.create_flow_run(flow["id"], "FAILED")
    rc, out, err = run("prefect", "flow-runs", "retry", source["id"])
    assert rc == 1 and out == ""
    check_error(err, hint=True, contains=("no deployment",))
    assert "flow execute" in err


# --- in place -------------------------------------------------------------------

def test_in_place_reschedules_the_run_itself(run, rest, idle):
    source = idle("FAILED")
    rc, out, err = run("prefect", "flow-runs", "retry", source["id"], "--in-place", "-o",
                       "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["id"] == source["id"] and doc["created"] is True
    server = rest.call("GET", f"/flow_runs/{source['id']}")
    assert (server["state_type"], server["state_name"]) == ("SCHEDULED", "AwaitingRetry")
    assert retries_of(rest, source["id"]) == []
    rc, out, err = run("prefect", "flow-runs", "retry", source["id"], "--in-place")
    assert rc == 0, err
    assert parse_panel(out)[0] == "✓ Flow Run Already Awaiting Retry"


def test_in_place_refuses_completed_without_force_and_unfinished_runs(run, rest, idle):
    done, running = idle("COMPLETED"), idle("RUNNING")
    rc, _, err = run("prefect", "flow-runs", "retry", done["id"], "--in-place")
    assert rc == 1
    check_error(err, contains=("completed", "--force"))
    assert rest.call("GET", f"/flow_runs/{done['id']}")["state_type"] == "COMPLETED"
    rc, _, err = run("prefect", "flow-runs", "retry", done["id"], "--in-place", "--force")
    assert rc == 0, err
    assert rest.call("GET", f"/flow_runs/{done['id']}")["state_name"] == "AwaitingRetry"
    rc, _, err = run("prefect", "flow-runs", "retry", running["id"], "--in-place", "--force")
    assert rc == 1
    check_error(err, contains=("has not ended",))


def test_in_place_wait_reruns_on_the_worker_and_exits_by_its_end(run, runs, worker_deployments,
                                                                process_worker):
    fail = worker_deployments["fail"]
    rc, out, err = run("prefect", "flow", "execute", fail.flow, "--wait", "-o", "json",
                       timeout=RUN_TIMEOUT)
    assert rc == 1, err
    run_id = json.loads(out)["id"]
    rc, out, err = run("prefect", "flow-runs", "retry", run_id, "--in-place", "--wait", "-o",
                       "json", timeout=RUN_TIMEOUT)
    assert rc == 1, (out, err, process_worker.log_tail())
    doc = json.loads(out)
    assert doc["id"] == run_id and doc["state_type"] == "FAILED"
    assert runs.get(run_id)["run_count"] >= 2


# --- bad input ------------------------------------------------------------------

@pytest.mark.parametrize("args, needle", [
    (["--in-place", "-p", "a=1"], "--in-place"),
    (["--force"], "--force"),
    (["--timeout", "5"], "--timeout"),
    (["-p", "novalue"], "novalue"),
])
def test_options_that_do_not_go_together_are_usage_errors(run, args, needle):
    rc, out, err = run("prefect", "flow-runs", "retry", "some-run", *args)
    assert rc == 2 and out == ""
    check_error(err, contains=(needle,))


def test_wait_with_a_filter_is_a_usage_error(run):
    rc, _, err = run("prefect", "flow-runs", "retry", "--state", "failed", "--wait", "--yes")
    assert rc == 2
    check_error(err, contains=("--wait",))


# --- many runs ------------------------------------------------------------------

def test_bulk_retry_twice_and_after_a_partial_run_makes_each_retry_once(run, rest, idle):
    tag = unique("retry-bulk")
    sources = [idle("FAILED", {"i": i}, tags=[tag]) for i in range(3)]
    other = idle("COMPLETED", tags=[tag])
    # an interrupted retry: only the first one was done
    rc, out, err = run("prefect", "flow-runs", "retry", "-", "--yes", input=sources[0]["id"])
    assert rc == 0, err

    rc, out, err = run("prefect", "flow-runs", "retry", "--tag", tag, "--state", "failed",
                       "--dry-run", "-o", "json")
    assert rc == 0, err
    assert sorted(r["id"] for r in json.loads(out)) == sorted(s["id"] for s in sources)

    for _ in range(2):
        rc, out, err = run("prefect", "flow-runs", "retry", "--tag", tag, "--state", "failed",
                           "--yes", "-o", "json")
        assert rc == 0, err
    doc = json.loads(out)
    assert doc["outcomes"] == {"already retried": 3}
    for s in sources:
        [made] = retries_of(rest, s["id"])
        assert made["parameters"] == s["parameters"]
        assert tag in made["tags"]
    assert retries_of(rest, other["id"]) == []


def test_bulk_retry_in_place_and_a_run_without_deployment_fails(run, rest, scratch, idle):
    a, b = idle("FAILED"), idle("CRASHED")
    loose = rest.create_flow_run(scratch.flow(unique("retry-loose"))["id"], "FAILED")
    text = "\n".join([a["id"], b["id"], loose["id"]])
    rc, out, err = run("prefect", "flow-runs", "retry", "-", "--in-place", "--yes", "-o",
                       "json", input=text)
    assert rc == 1, err
    doc = json.loads(out)
    assert doc["outcomes"] == {"scheduled for retry": 2, "failed": 1}
    [bad] = [r for r in doc["runs"] if r["outcome"] == "failed"]
    assert bad["id"] == loose["id"] and "no deployment" in bad["reason"]
    for r in (a, b):
        assert rest.call("GET", f"/flow_runs/{r['id']}")["state_name"] == "AwaitingRetry"
