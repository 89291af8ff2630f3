"""mahavishnu prefect alerts: real Prefect automations that the session's
server runs itself. A loopback webhook receiver in the test records what the
server sends: a run that really fails (executed by the session's process
worker), a run that turns Late, and `alerts test`. Also: a re-run of create
makes nothing twice, the webhook URL's path (where tokens live) is never
shown, delete removes the automation and its block, and bad input changes
nothing."""

import http.server
import json
import threading
import time

import pytest

from mv_helpers import check_error, parse_panel, unique

RUN_TIMEOUT = 120
CALL_TIMEOUT = 45


class Receiver:
    """An HTTP server on 127.0.0.1 that records each request body (JSON) and
    answers with self.status."""

    def __init__(self):
        self.bodies = []
        self.status = 200
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.bodies.append({"path": self.path, "body": json.loads(body),
                                            "content_type": self.headers.get("Content-Type")})
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"noted")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, predicate, what, timeout=CALL_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [b for b in self.bodies if predicate(b)]
            if found:
                return found
            time.sleep(0.25)
        pytest.fail(f"the webhook was not called for {what} within {timeout} s; "
                    f"it received {self.bodies}")

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def alerts(rest):
    """Deletes, after the test, every automation tagged mahavishnu and its block."""
    yield
    for a in rest.call("POST", "/automations/filter",
                       {"automations": {"tags": {"all_": ["mahavishnu"]}}}):
        rest.call("DELETE", f"/automations/{a['id']}", ok=(204, 404))
        for action in a["actions"]:
            if action.get("block_document_id"):
                rest.call("DELETE", f"/block_documents/{action['block_document_id']}",
                          ok=(204, 404))


def ours(rest):
    return rest.call("POST", "/automations/filter",
                     {"automations": {"tags": {"all_": ["mahavishnu"]}}})


def webhook_blocks(rest):
    return [b for b in rest.call("POST", "/block_documents/filter",
                                 {"block_documents": {"name": {"like_": "mahavishnu-alert-"}}})
            if b["name"].startswith("mahavishnu-alert-")]


def create(run, *args):
    rc, out, err = run("prefect", "alerts", "create", *args, "-o", "json")
    assert rc == 0, err
    return json.loads(out)


def test_failed_run_calls_the_webhook(run, rest, runs, receiver, alerts, worker_deployments,
                                      process_worker):
    fail = worker_deployments["fail"]
    path = f"/hook/{unique('token')}"
    alert = create(run, "--on", "failed", "--flow", fail.flow, "--webhook", receiver.url(path))
    assert alert["on"] == ["failed"] and alert["flow"] == fail.flow
    assert alert["webhook"] == f"http://127.0.0.1:{receiver.port}"

    rc, out, err = run("prefect", "flow", "execute", fail.flow, "--wait", "-o", "json",
                       timeout=RUN_TIMEOUT)
    assert rc == 1, (err, process_worker.log_tail())
    run_id = json.loads(out)["id"]

    calls = receiver.wait_for(lambda b: b["body"].get("flow_run_id") == run_id, "a failed run")
    assert len(calls) == 1 and calls[0]["path"] == path
    body = calls[0]["body"]
    assert body["event"] == "prefect.flow-run.Failed" and body["state"] == "Failed"
    assert body["test"] is False and body["source"] == "mahavishnu"
    assert body["flow_name"] == fail.flow and body["deployment_name"] == fail.name
    assert body["alert_id"] == alert["id"] and body["message"]
    assert calls[0]["content_type"] == "application/json"


def test_alerts_test_fires_only_this_alert_and_reports_the_answer(run, rest, receiver, alerts):
    flow = unique("alert-test")
    one = create(run, "--on", "failed,crashed", "--flow", flow, "--webhook",
                 receiver.url("/one"))
    other = create(run, "--on", "failed", "--flow", flow, "--name", unique("other"),
                   "--webhook", receiver.url("/other"))
    before = len(receiver.bodies)

    rc, out, err = run("prefect", "alerts", "test", one["id"], timeout=90)
    assert rc == 0, err
    title, panel = parse_panel(out)
    assert title == "✓ Webhook Called" and panel["Answer"] == "HTTP 200"
    calls = receiver.wait_for(lambda b: b["body"].get("alert_id") == one["id"], "the test")
    assert calls[0]["body"]["test"] is True and calls[0]["path"] == "/one"
    time.sleep(2)
    assert not [b for b in receiver.bodies[before:] if b["body"].get("alert_id") == other["id"]]

    # an answer that is an error is exit 1, said as the server recorded it
    receiver.status = 500
    try:
        rc, out, err = run("prefect", "alerts", "test", one["id"], "-o", "json", timeout=90)
    finally:
        receiver.status = 200
    assert rc == 1, err
    doc = json.loads(out)
    assert doc["called"] is True and doc["status"] == 500 and doc["alert"]["id"] == one["id"]


def test_alerts_test_of_an_unreachable_webhook_says_why(run, rest, alerts):
    from mv_helpers import free_port
    alert = create(run, "--on", "crashed", "--webhook", f"http://127.0.0.1:{free_port()}/x")
    rc, out, err = run("prefect", "alerts", "test", alert["id"], timeout=90)
    assert rc == 1, err
    title, panel = parse_panel(out)
    assert title == "✗ Webhook Call Failed" and "Webhook call failed" in panel["Reason"]


def test_late_run_calls_the_webhook(run, rest, scratch, receiver, alerts):
    flow = scratch.flow(unique("alert-late"))
    dep = rest.create_deployment(flow["id"], unique("dep"))
    alert = create(run, "--on", "late", "--deployment", f"{flow['name']}/{dep['name']}",
                   "--webhook", receiver.url("/late"))
    assert alert["deployment"] == f"{flow['name']}/{dep['name']}" and alert["flow"] is None
    # no worker serves this deployment: a run due now is Late 15 s after its start
    start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1))
    late = rest.call("POST", f"/deployments/{dep['id']}/create_flow_run",
                     {"state": {"type": "SCHEDULED", "state_details":
                                {"scheduled_time": start}}})
    calls = receiver.wait_for(lambda b: b["body"].get("flow_run_id") == late["id"], "a late run",
                              timeout=90)
    assert calls[0]["body"]["event"] == "prefect.flow-run.Late"
    assert calls[0]["body"]["deployment_name"] == dep["name"]
    rest.call("DELETE", f"/flow_runs/{late['id']}", ok=(204, 404))


def test_create_again_changes_nothing(run, rest, receiver, alerts):
    args = ["--on", "failed", "--on", "late", "--flow", "etl-*", "--webhook",
            receiver.url("/again")]
    first = create(run, *args)
    rc, out, err = run("prefect", "alerts", "create", *args)
    assert rc == 0, err
    assert "Already Exists" in out and first["id"] in out
    assert [a["id"] for a in ours(rest)] == [first["id"]]
    assert len(webhook_blocks(rest)) == 1

    # the same name watching something else is refused
    rc, out, err = run("prefect", "alerts", "create", "--on", "crashed", "--flow", "etl-*",
                       "--name", first["name"], "--webhook", receiver.url("/again"))
    assert rc == 1 and out == ""
    check_error(err, contains=("already exists",))
    assert len(ours(rest)) == 1


def test_list_shows_ours_only_and_never_the_url_path(run, rest, receiver, alerts):
    secret = unique("s3cr3t")
    alert = create(run, "--on", "crashed", "--webhook",
                   f"http://user:pw@127.0.0.1:{receiver.port}/{secret}?key={secret}")
    foreign = rest.call("POST", "/automations/", {
        "name": unique("not-ours"), "trigger": {"type": "event", "posture": "Reactive",
                                                "expect": ["x.y"], "within": 0},
        "actions": [{"type": "do-nothing"}]})
    try:
        for output in ("table", "json", "yaml"):
            rc, out, err = run("-v", "prefect", "alerts", "list", "-o", output)
            assert rc == 0, err
            assert alert["id"][:8] in out and foreign["id"][:8] not in out
            assert secret not in out + err and "pw@" not in out + err
        rc, out, err = run("prefect", "alerts", "list", "-o", "json")
        (doc,) = json.loads(out)
        assert doc["webhook"] == f"http://127.0.0.1:{receiver.port}"
        rc, out, err = run("prefect", "alerts", "delete", foreign["id"], "--yes")
        assert rc == 2 and out == ""
        check_error(err, contains=("not made by mahavishnu",))
        assert rest.call("GET", f"/automations/{foreign['id']}")["id"] == foreign["id"]
    finally:
        rest.call("DELETE", f"/automations/{foreign['id']}", ok=(204, 404))


def test_delete_removes_the_automation_and_its_unshared_block(run, rest, receiver, alerts):
    url = receiver.url("/shared")
    a = create(run, "--on", "failed", "--webhook", url)
    b = create(run, "--on", "crashed", "--webhook", url)
    assert len(webhook_blocks(rest)) == 1

    rc, out, err = run("prefect", "alerts", "delete", a["id"])
    assert rc == 2 and out == ""
    check_error(err, hint=True, contains=("without confirmation",))

    rc, out, err = run("prefect", "alerts", "delete", a["id"][:8], "--yes")
    assert rc == 0, err
    assert "Alert Deleted" in out
    assert [x["id"] for x in ours(rest)] == [b["id"]]
    assert len(webhook_blocks(rest)) == 1  # b still calls it

    rc, out, err = run("prefect", "alerts", "delete", b["name"], "--yes", "-o", "json")
    assert rc == 0 and json.loads(out)["deleted"] is True
    assert ours(rest) == [] and webhook_blocks(rest) == []

    rc, out, err = run("prefect", "alerts", "delete", b["id"], "--yes")
    assert rc == 1 and out == ""
    check_error(err, contains=("no alert",))


@pytest.mark.parametrize("args, fragment", [
    (["--webhook", "http://127.0.0.1:9/x"], "--on"),
    (["--on", "failed"], "--webhook"),
    (["--on", "broken", "--webhook", "http://127.0.0.1:9/x"], "'broken'"),
    (["--on", "failed", "--webhook", "ftp://127.0.0.1/x"], "not an http(s) URL"),
    (["--on", "failed", "--webhook", "http://127.0.0.1:70000/x"], "outside 1..65535"),
    (["--on", "failed", "--webhook", "http://127.0.0.1:9/x", "--flow", "a/b"], "--flow"),
    (["--on", "failed", "--email", "ops@example.com"], "no e-mail action"),
])
def test_bad_input_is_refused_before_anything_is_made(run, rest, alerts, args, fragment):
    before = len(webhook_blocks(rest))
    rc, out, err = run("prefect", "alerts", "create", *args)
    assert rc == 2 and out == ""
    check_error(err, contains=(fragment,))
    assert ours(rest) == [] and len(webhook_blocks(rest)) == before


def test_unknown_deployment_is_not_found(run, rest, alerts):
    rc, out, err = run("prefect", "alerts", "create", "--on", "failed", "--deployment",
                       f"{unique('no')}/{unique('such')}", "--webhook", "http://127.0.0.1:9/x")
    assert rc == 1 and out == ""
    check_error(err)
    assert ours(rest) == []
