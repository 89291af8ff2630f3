"""mahavishnu prefect flow-runs watch in a real terminal and in a pipe.

The terminal is a tmux pane (tmux -S on a socket of the test's own, so no
other tmux is touched): the command runs in a shell there, keys go in with
send-keys and the screen comes back with capture-pane; tmux also says
whether the alternate screen is on and the cursor shown. Every test watches
a flow of its own (--flow), so the session's other runs do not show.
Scheduled runs are due in 2031 (runs due in the past turn Late)."""

import datetime
import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from fault_proxy import Fault, FaultProxy
from mv_helpers import check_error, display_width, unique

WAIT = 20.0          # seconds any screen may take to show what it should
COLS, ROWS = 100, 30


def scheduled(rest, flow_id, when):
    return rest.create_flow_run(flow_id, state={
        "type": "SCHEDULED", "state_details": {"scheduled_time": when}})


class Pane:
    """A detached tmux session of its own running an interactive bash."""

    def __init__(self, base, env, cols=COLS, rows=ROWS):
        if not shutil.which("tmux"):
            pytest.fail("tmux is needed for these tests: 'scripts/bootstrap --dev' installs it")
        self.socket = str(base / "tmux.sock")
        self.env = dict(env, PS1="$ ")
        self.tmux("new-session", "-d", "-s", "w", "-x", str(cols), "-y", str(rows),
                  "bash --norc --noprofile")

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.socket, *args], env=self.env, check=True,
                              capture_output=True, text=True, timeout=20).stdout

    def send(self, *keys):
        self.tmux("send-keys", "-t", "w", *keys)

    def type(self, line):
        self.send("-l", line)
        self.send("Enter")

    def text(self):
        return self.tmux("capture-pane", "-p", "-t", "w")

    def flag(self, name):
        return self.tmux("display-message", "-p", "-t", "w", "#{" + name + "}").strip()

    def wait_for(self, pred, what):
        deadline = time.monotonic() + WAIT
        while True:
            text = self.text()
            if pred(text):
                return text
            if time.monotonic() > deadline:
                pytest.fail(f"the pane never showed {what}; it shows:\n{text}")
            time.sleep(0.2)

    def child_pid(self):
        """The process the pane's shell runs (the watch)."""
        shell = int(self.flag("pane_pid"))
        with open(f"/proc/{shell}/task/{shell}/children") as f:
            children = f.read().split()
        return int(children[0]) if children else None

    def close(self):
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], env=self.env,
                       capture_output=True, timeout=20)


@pytest.fixture
def pane(run, tmp_path):
    panes = []

    def make(**kw):
        p = Pane(tmp_path, run.environ(), **kw)
        panes.append(p)
        return p

    yield make
    for p in panes:
        p.close()


def quit(p):
    """q ends the watch with exit 0 (under ASan, also with no leak or error)."""
    p.send("q")
    p.wait_for(lambda t: p.flag("alternate_on") == "0", "the main screen")
    p.type("echo rc=$?")
    p.wait_for(lambda t: "rc=" in t.replace("echo rc=", ""), "the exit code")
    assert "rc=0" in p.text().replace("echo rc=", "")


def watch_line(run, *args):
    return " ".join([run.bin, "prefect", "flow-runs", "watch", *args])


def table_rows(text):
    """(selected, [cells]) of each run row on the live screen."""
    rows = []
    for line in text.splitlines():
        if line[2:3] == "│":
            cells = [c.strip() for c in line[2:].strip("│").split("│")]
            if cells[0]:  # a row's continuation lines (wrapped cells) have no run ID
                rows.append((line.startswith("›"), cells))
    return rows


def shows_runs(n):
    return lambda text: "Flow runs ·" in text and len(table_rows(text)) == n


@pytest.fixture
def five(rest, scratch):
    """A flow with 2 Completed runs, 1 Failed and 2 Scheduled (July 2031 the
    newest, then June): (flow, {state: [ids newest first]})."""
    flow = scratch.flow(unique("watch"))
    ids = {"COMPLETED": [], "FAILED": [], "SCHEDULED": []}
    for state in ("COMPLETED", "COMPLETED", "FAILED"):
        ids[state].insert(0, rest.create_flow_run(flow["id"], state)["id"])
    ids["SCHEDULED"].append(scheduled(rest, flow["id"], "2031-07-01T00:00:00Z")["id"])
    ids["SCHEDULED"].append(scheduled(rest, flow["id"], "2031-06-01T00:00:00Z")["id"])
    return flow, ids


def state_of(rest, run_id):
    return rest.call("GET", f"/flow_runs/{run_id}")["state_type"]


# --- the live screen -------------------------------------------------------------

def test_table_counts_and_cancel_of_the_selected_run(run, rest, pane, five):
    flow, ids = five
    p = pane()
    p.type(watch_line(run, "--flow", flow["name"], "-n", "1"))
    text = p.wait_for(shows_runs(5), "the five runs")
    assert p.flag("alternate_on") == "1" and p.flag("cursor_flag") == "0"
    lines = text.splitlines()
    assert lines[0].startswith(f"Flow runs · every 1s · state: all · flow: {flow['name']} · ")
    assert lines[1].rstrip() == "5 runs: ◷ 2 Scheduled  ✓ 2 Completed  ✗ 1 Failed"
    rows = table_rows(text)
    assert [s for s, _ in rows] == [True, False, False, False, False]
    june = ids["SCHEDULED"][1]
    assert june.startswith(rows[1][1][0].rstrip("…"))
    assert [r[3] for _, r in rows] == ["◷ Scheduled"] * 2 + ["✗ Failed"] + ["✓ Completed"] * 2

    p.send("Down")
    p.wait_for(lambda t: [s for s, _ in table_rows(t)][:2] == [False, True], "the second row selected")
    p.send("c")
    text = p.wait_for(lambda t: "? [y/N]" in t, "the question")
    assert june in text.splitlines()[2]
    p.send("y")
    p.wait_for(lambda t: "Cancelled (it had not started)" in t and "⊘ 1 Cancelled" in t,
               "the run cancelled")
    assert state_of(rest, june) == "CANCELLED"
    others = [i for state in ids.values() for i in state if i != june]
    assert {i: state_of(rest, i) for i in others} == {
        **{i: "COMPLETED" for i in ids["COMPLETED"]}, ids["FAILED"][0]: "FAILED",
        ids["SCHEDULED"][0]: "SCHEDULED"}
    # another run, but the answer is no: nothing changes
    p.send("Up", "c")
    p.wait_for(lambda t: "? [y/N]" in t, "the question")
    p.send("n")
    p.wait_for(lambda t: "not cancelled" in t, "the refusal")
    assert state_of(rest, ids["SCHEDULED"][0]) == "SCHEDULED"
    quit(p)


def test_f_cycles_the_state_filter(run, pane, five):
    flow, _ = five
    p = pane()
    p.type(watch_line(run, "--flow", flow["name"], "--state", "completed"))
    text = p.wait_for(shows_runs(2), "the completed runs")
    assert "state: completed" in text.splitlines()[0]
    assert [r[3] for _, r in table_rows(text)] == ["✓ Completed"] * 2
    p.send("f")
    text = p.wait_for(shows_runs(5), "all runs")
    assert "state: all" in text.splitlines()[0]
    p.send("f")
    text = p.wait_for(lambda t: "state: running" in t and "0 runs" in t, "no running runs")
    assert table_rows(text) == []
    quit(p)


def test_l_follows_the_selected_runs_logs_and_comes_back(run, rest, pane, scratch):
    flow = scratch.flow(unique("watch-logs"))
    older = rest.create_flow_run(flow["id"], "COMPLETED")
    newer = rest.create_flow_run(flow["id"], "FAILED")
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    rest.call("POST", "/logs/", [
        {"name": "watch.test", "level": 20, "message": f"line {n} of {run_id}",
         "timestamp": now, "flow_run_id": run_id}
        for run_id in (older["id"], newer["id"]) for n in (1, 2)])
    p = pane()
    p.type(watch_line(run, "--flow", flow["name"]))
    p.wait_for(shows_runs(2), "the two runs")
    p.send("Down", "l")
    text = p.wait_for(lambda t: "The run ended: ✓ Completed" in t, "the end of the logs")
    assert p.flag("alternate_on") == "0"
    assert f"Logs of flow run '{older['name']}' ({older['id']})" in text
    assert f"line 1 of {older['id']}" in text and f"line 2 of {older['id']}" in text
    assert newer["id"] not in text.replace(f"({older['id']})", "")
    p.send("q")
    text = p.wait_for(shows_runs(2), "the watch again")
    assert p.flag("alternate_on") == "1"
    assert [s for s, _ in table_rows(text)] == [False, True]   # the same run still selected
    quit(p)


def finish(p, how):
    if how == "SIGTERM":
        os.kill(p.child_pid(), signal.SIGTERM)
    else:
        p.send(how)


@pytest.mark.parametrize("how, code", [("q", 0), ("C-c", 130), ("SIGTERM", 143)])
def test_the_terminal_is_restored(run, pane, five, how, code):
    flow, _ = five
    p = pane()
    marker = unique("before")
    p.type(f"echo {marker}")
    p.type(watch_line(run, "--flow", flow["name"], "-n", "1"))
    text = p.wait_for(shows_runs(5), "the runs")
    assert marker not in text
    finish(p, how)
    p.wait_for(lambda t: p.flag("alternate_on") == "0", "the main screen")
    p.type("echo rc=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e '-*icanon' -e '-*echo' -e '-*isig'")
    text = p.wait_for(lambda t: {"isig", "-isig"} & set(t.splitlines()), "stty's answer")
    assert marker in text and "Flow runs ·" not in text
    assert f"rc={code}" in text
    lines = text.splitlines()
    assert {"icanon", "echo", "isig"} <= set(lines), text
    assert p.flag("cursor_flag") == "1"


def border_width(text):
    return max((display_width(l[2:]) for l in text.splitlines() if l[2:3] == "┏"), default=0)


def test_a_resize_redraws_at_the_new_width(run, pane, scratch, rest):
    flow = scratch.flow(unique("watch-resize-" + "x" * 70))
    rest.create_flow_run(flow["id"], "COMPLETED")
    p = pane()
    p.type(watch_line(run, "--flow", flow["name"], "-n", "30"))
    text = p.wait_for(shows_runs(1), "the run")
    assert border_width(text) == COLS - 2
    p.tmux("resize-window", "-t", "w", "-x", "70", "-y", "20")
    text = p.wait_for(lambda t: border_width(t) == 68, "the table at 70 columns")
    assert all(display_width(l) <= 70 for l in text.splitlines())
    assert text.splitlines()[19].startswith("↑↓ select")      # the keys on the last row
    quit(p)


def test_a_server_away_keeps_the_last_table(run, pane, five):
    flow, _ = five
    away = {"on": False}

    def rule(request):
        return Fault(action="reset") if away["on"] else None

    proxy = FaultProxy(run.api_url, rule)
    try:
        p = pane()
        p.type(watch_line(run, "--api-url", proxy.api_url, "--flow", flow["name"], "-n", "1"))
        p.wait_for(shows_runs(5), "the runs")
        away["on"] = True
        text = p.wait_for(lambda t: "⚠ showing the runs as read at" in t, "the away line")
        assert len(table_rows(text)) == 5
        assert text.splitlines()[2].startswith("⚠ showing the runs as read at ")
        away["on"] = False
        p.wait_for(lambda t: "⚠" not in t and len(table_rows(t)) == 5, "the server back")
        assert p.child_pid() is not None
        quit(p)
    finally:
        proxy.stop()


# --- not a terminal ---------------------------------------------------------------

def test_a_pipe_gets_one_table_per_interval(run, five):
    flow, ids = five
    started = time.monotonic()
    rc, out, err = run("prefect", "flow-runs", "watch", "--flow", flow["name"], "-n", "1",
                       "--count", "3")
    assert rc == 0 and err == ""
    assert time.monotonic() - started >= 2.0
    frames = out.split("\n\n")
    # each frame is a whole table (a footnote naming dropped columns may follow it)
    assert len(frames) == 3 and out.endswith("\n")
    assert all("┘" in frame for frame in frames), out
    for frame in frames:
        lines = frame.splitlines()
        assert lines[0].startswith(f"Flow runs · every 1s · state: all · flow: {flow['name']} · ")
        assert lines[1].rstrip() == "5 runs: ◷ 2 Scheduled  ✓ 2 Completed  ✗ 1 Failed"
        assert sum(1 for l in lines if l.startswith("│")) == 5
        assert "\x1b" not in frame


def test_json_lines_frames(run, five):
    flow, ids = five
    rc, out, err = run("prefect", "flow-runs", "watch", "--flow", flow["name"], "-n", "1",
                       "--count", "2", "-o", "jsonl")
    assert rc == 0 and err == ""
    frames = [json.loads(l) for l in out.splitlines()]
    assert len(frames) == 2
    every = sorted(i for state in ids.values() for i in state)
    for f in frames:
        assert f["state"] == "all" and f["total"] == 5
        assert f["counts"] == {"Scheduled": 2, "Completed": 2, "Failed": 1}
        assert sorted(r["id"] for r in f["runs"]) == every
        assert all(r["flow_name"] == flow["name"] for r in f["runs"])


@pytest.mark.parametrize("args, fragment", [
    (["--state", "bogus"], "'bogus' is not a state"),
    (["--state", "failed,,late"], "empty state"),
    (["--interval", "0"], "--interval"),
    (["--interval", "soon"], "--interval"),
    (["--count", "0"], "--count"),
    (["--limit", "500"], "--limit"),
])
def test_bad_input_is_a_usage_error(run, args, fragment):
    rc, out, err = run("prefect", "flow-runs", "watch", *args)
    assert rc == 2 and out == ""
    assert fragment in check_error(err)


def test_an_unknown_flow_fails_before_anything_is_drawn(run):
    rc, out, err = run("prefect", "flow-runs", "watch", "--flow", unique("nope"), "--count", "1")
    assert rc == 1 and out == ""
    check_error(err)


def test_a_pipe_rides_out_a_server_away(run, five):
    flow, _ = five

    def rule(request):   # the second and third reads of the runs meet a dead connection
        if request.path == "/flow_runs/filter" and request.n in (1, 2):
            return Fault(action="reset")
        return None

    proxy = FaultProxy(run.api_url, rule)
    try:
        rc, out, err = run("--api-url", proxy.api_url, "prefect", "flow-runs", "watch",
                           "--flow", flow["name"], "-n", "1", "--count", "2")
    finally:
        proxy.stop()
    assert rc == 0
    assert len(out.split("\n\n")) == 2          # no frame for the reads that failed
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith("mahavishnu: warning: lost the Prefect API at ")
    assert "still waiting for flow runs" in lines[0]
    assert lines[1].startswith("mahavishnu: the Prefect API at ") and "answers again" in lines[1]


def test_the_header_fits_a_narrow_pipe(run, five):
    flow, _ = five
    rc, out, err = run("prefect", "flow-runs", "watch", "--flow", flow["name"], "--count", "1",
                       env={"COLUMNS": "40"})
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert all(display_width(l) <= 40 for l in lines), out
    assert lines[0].endswith("…")                 # the title, cut
    assert lines[1] == "5 runs: ◷ 2 Scheduled  ✓ 2 Completed …"   # a count that does not fit: …
