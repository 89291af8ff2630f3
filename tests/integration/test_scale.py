"""Long lists and big backfills: printed as they stream, complete while other
runs are being created, cut lists that say so, shortened IDs that can be
pasted back, flat memory, and a backfill that rides out a busy server."""

import json
import random
import re
import subprocess
import threading

import pytest

from fault_proxy import Fault, FaultProxy
from mv_helpers import CUT_HINT, Rest, bulk_create, parse_table, unique

BIG = 5000          # runs of the big flow
MEMORY_CAP_KB = 16 * 1024


@pytest.fixture(scope="module")
def big(rest):
    """A flow with a deployment and BIG runs, scheduled far ahead (so that the
    server's late-run service leaves them alone)."""
    flow = rest.create_flow(unique("big"))
    dep = rest.create_deployment(flow["id"], unique("big-dep"))
    for at in range(0, BIG, 100):
        bulk_create(rest, dep["id"], [
            {"name": f"big-{k}", "idempotency_key": f"big-{k}",
             "state": {"type": "SCHEDULED",
                       "state_details": {"scheduled_time": f"2031-01-01T00:{k // 60 % 60:02d}:"
                                                           f"{k % 60:02d}Z"}}}
            for k in range(at, min(at + 100, BIG))])
    yield flow, dep
    rest.delete_flow(flow["id"])


def runs_of(rest, flow):
    return rest.call("POST", "/flow_runs/count", {"flows": {"id": {"any_": [flow["id"]]}}})


def list_runs(run, flow, *extra):
    rc, out, err = run("prefect", "flow-runs", "list", "--flow", flow["name"], *extra)
    assert rc == 0, err
    return out, err


def test_all_means_every_run_once_while_runs_are_created(run, rest, big):
    flow, _ = big
    quiet_out, _ = list_runs(run, flow, "--all", "-o", "json")
    before = [r["id"] for r in json.loads(quiet_out)]
    assert len(before) == BIG and len(set(before)) == BIG

    made, stop = [], threading.Event()

    def create():
        while not stop.is_set():
            made.append(rest_other.create_flow_run(flow["id"], "COMPLETED")["id"])

    rest_other = Rest(rest.api_url)
    creator = threading.Thread(target=create)
    creator.start()
    try:
        out, _ = list_runs(run, flow, "--all", "-o", "json")
    finally:
        stop.set()
        creator.join()
        rest_other.close()
    ids = [r["id"] for r in json.loads(out)]
    assert made, "no run was created while the list was read"
    assert len(ids) == len(set(ids)), "a run was listed twice"
    assert set(before) <= set(ids), "a run that existed all along was lost"
    assert set(ids) <= set(before) | set(made)


def test_jsonl_lines_are_the_json_array(run, big):
    flow, _ = big
    array, _ = list_runs(run, flow, "--limit", "700", "-o", "json")
    lines, _ = list_runs(run, flow, "--limit", "700", "-o", "jsonl")
    assert lines.endswith("\n") and "\n\n" not in lines
    assert [json.loads(l) for l in lines.splitlines()] == json.loads(array)
    assert len(lines.splitlines()) == 700


def test_cut_list_says_n_of_m(run, rest, big):
    flow, _ = big
    total = runs_of(rest, flow)
    out, err = list_runs(run, flow, "--limit", "10")
    title, _, rows = parse_table(out)
    assert title == f"Flow Runs (10 of {total})"
    assert len(rows) == 10
    assert CUT_HINT.fullmatch(err).groups() == ("10", str(total), "flow runs")
    # a whole list says nothing of the kind
    _, err = list_runs(run, flow, "--all", "-o", "jsonl")
    assert err == ""


def test_long_table_streams_in_the_widths_of_its_first_rows(run, rest, big):
    flow, _ = big
    total = runs_of(rest, flow)
    out, err = list_runs(run, flow, "--all")
    title, header, rows = parse_table(out)
    assert title == f"Flow Runs ({total})" and err == ""
    assert len(rows) == total
    widths = {len(l) for l in out.splitlines()[1:] if l[:1] in "┏┃┡│└"}  # not the footnote
    assert len(widths) == 1, "every line of the box is as wide as the others"


def test_shown_ids_are_unique_prefixes_that_get_accepts(run, big):
    flow, _ = big
    out, _ = list_runs(run, flow, "--limit", "400")
    _, header, rows = parse_table(out)
    shown = [r[header.index("Run ID")].rstrip("…") for r in rows]
    assert all(len(s) >= 8 for s in shown)
    for s in shown:
        assert sum(1 for t in shown if t.startswith(s)) == 1, f"{s} is ambiguous"
    for prefix in random.Random(9).sample(shown, 3):
        rc, out, err = run("prefect", "flow-runs", "get", prefix, "-o", "json")
        assert rc == 0, err
        assert json.loads(out)["id"].startswith(prefix)


def sanitized(binary):
    """Whether the binary under test is a sanitizer build (its memory is not ours)."""
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    return "libasan" in ldd


@pytest.mark.parametrize("fmt", ["json", "jsonl", "table"])
def test_5000_row_list_fits_in_16_mib(run, big, fmt, tmp_path):
    if sanitized(run.bin):
        pytest.skip("AddressSanitizer's shadow memory is not the program's")
    flow, _ = big
    report = tmp_path / "rss"
    # GNU time measures the program alone (a child forked from Python would count
    # Python's memory before its exec)
    args = ["/usr/bin/time", "-f", "%M", "-o", str(report), run.bin, "prefect", "flow-runs",
            "list", "--flow", flow["name"], "--all", "-o", fmt]
    proc = subprocess.run(args, env=run.environ(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0, proc.stderr
    peak = int(report.read_text().split()[-1])
    assert peak <= MEMORY_CAP_KB, f"peak RSS {peak} KB"


# --- a backfill against a busy server -------------------------------------------------

def busy_bulk(request):
    """Every third bulk create is answered 503; every fourth forwards half its
    runs and reports the other half FAILED, as a locked SQLite does."""
    if not request.path.endswith("/create_flow_run/bulk"):
        return None
    if request.n % 3 == 1:
        return Fault(status=503, body={"detail": "database is locked"},
                     headers={"Retry-After": "0"})
    if request.n % 4 == 2:
        keep = request.body[: len(request.body) // 2]
        lost = len(request.body) - len(keep)

        def report(answer):
            return {"results": answer["results"] +
                    [{"status": "FAILED", "error": "database is locked"}] * lost}
        return Fault(request_body=keep, response=report)
    return None


def test_backfill_through_a_busy_server_makes_exactly_the_plan(run, rest, make_deployment):
    # future dates, so that the server's late-run service does not make it busier still
    dep = make_deployment()
    proxy = FaultProxy(run.api_url, busy_bulk)
    try:
        rc, out, err = run("--api-url", proxy.api_url, "prefect", "backfill", dep["id"],
                           "--start", "2031-01-01", "--end", "2031-10-27", "--max-runs", "300",
                           "-o", "json", timeout=300)
    finally:
        proxy.stop()
    assert rc == 0, err
    doc = json.loads(out)
    assert (doc["planned"], doc["created"], doc["existed"]) == (300, 300, 0)
    assert any(what == "answered 503" for _, _, what in proxy.log)
    assert any(what == "rewritten" for _, _, what in proxy.log)
    runs = rest.call("POST", "/flow_runs/filter",
                     {"deployments": {"id": {"any_": [dep["id"]]}}, "limit": 200})
    runs += rest.call("POST", "/flow_runs/filter",
                      {"deployments": {"id": {"any_": [dep["id"]]}}, "limit": 200,
                       "offset": 200})
    keys = [r["idempotency_key"] for r in runs]
    assert len(keys) == 300 and len(set(keys)) == 300, "a run is missing or doubled"
    # and again: nothing more
    rc, out, err = run("prefect", "backfill", dep["id"], "--start", "2031-01-01",
                       "--end", "2031-10-27", "--max-runs", "300", "-o", "json", timeout=300)
    assert rc == 0, err
    assert (json.loads(out)["created"], json.loads(out)["existed"]) == (0, 300)


def test_backfill_json_streams_every_run(run, make_deployment):
    dep = make_deployment()
    rc, out, err = run("prefect", "backfill", dep["id"], "--start", "2023-01-01",
                       "--end", "2023-12-31", "--max-runs", "365", "--dry-run", "-o", "jsonl")
    assert rc == 0, err
    assert out.count("\n") == 1, "-o jsonl writes the document on one line"
    doc = json.loads(out)
    assert len(doc["runs"]) == 365
    assert [r["name"] for r in doc["runs"][:2]] == ["backfill-2023-01-01", "backfill-2023-01-02"]
    assert {r["status"] for r in doc["runs"]} == {"planned"}
    rc, pretty, err = run("prefect", "backfill", dep["id"], "--start", "2023-01-01",
                          "--end", "2023-12-31", "--max-runs", "365", "--dry-run", "-o", "json")
    assert rc == 0, err
    assert json.loads(pretty) == doc
    assert re.search(r'^  "runs": \[$', pretty, re.M), "runs are indented as jansson does"
