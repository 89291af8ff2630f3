"""Scripts never hang on a prompt: every command that would ask something
ends at once when standard input is not a terminal, even a pipe that stays
open, with a usage error naming its flag, and changes nothing; on a terminal
(a pseudo-terminal here) it asks, and `n` changes nothing; MAHAVISHNU_NO_PROMPT
makes a terminal behave as a pipe, MAHAVISHNU_YES answers yes and says so."""

import os
import pty
import subprocess

import pytest

from conftest import BIN
from mv_helpers import check_error, strip_ansi, unique

ANSWER_TIMEOUT = 30


@pytest.fixture
def target(rest, scratch, tmp_path):
    """A flow with a deployment, a schedule and a run: what the prompts guard."""
    flow = scratch.flow(unique("prompt"))
    dep = rest.create_deployment(flow["id"], unique("dep"))
    sched = rest.call("POST", f"/deployments/{dep['id']}/schedules",
                      [{"schedule": {"cron": "0 3 * * *", "timezone": "UTC"}, "active": True}])
    run = rest.create_flow_run(flow["id"], "FAILED")
    path = tmp_path / "prompt_flow.py"
    path.write_text(f"from prefect import flow\n\n@flow(name={flow['name']!r})\n"
                    "def main():\n    pass\n")
    return {"file": path, "flow": flow, "dep": dep, "sched": sched[0], "run": run,
            "dep_ref": f"{flow['name']}/{dep['name']}"}


def commands(t):
    """(argv, the flag the error names, what must still exist afterwards)."""
    pool = unique("nopool")
    return [
        (["prefect", "flow", "delete", t["flow"]["name"]], "--yes", f"/flows/{t['flow']['id']}"),
        (["prefect", "undeploy", t["dep_ref"]], "--yes", f"/deployments/{t['dep']['id']}"),
        (["prefect", "schedule", "delete", t["sched"]["id"]], "--yes",
         f"/deployments/{t['dep']['id']}"),
        (["prefect", "flow-runs", "delete", t["run"]["id"]], "--yes",
         f"/flow_runs/{t['run']['id']}"),
        (["prefect", "flow-runs", "delete", "--flow", t["flow"]["name"]], "--yes",
         f"/flow_runs/{t['run']['id']}"),
        (["prefect", "flow-runs", "retry", "--flow", t["flow"]["name"], "--state", "failed"],
         "--yes", f"/flow_runs/{t['run']['id']}"),
        (["prefect", "work-pools", "list"], None, None),
        (["prefect", "deploy", t["flow"]["name"], "--name", unique("d"), "--work-pool", pool,
          "--entrypoint", f"{t['file']}:main"], "--create-pool", f"/flows/{t['flow']['id']}"),
    ]


def test_an_open_pipe_on_stdin_is_no_terminal(run, rest, target):
    for argv, flag, kept in commands(target):
        reader, writer = os.pipe()  # the write end stays open: stdin never ends
        try:
            proc = subprocess.Popen([BIN, *argv], stdin=reader, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=run.environ(), cwd=run.cwd)
            os.close(reader)
            out, err = proc.communicate(timeout=ANSWER_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail(f"{argv} waited for input on a pipe")
        finally:
            os.close(writer)
        if flag is None:
            assert proc.returncode == 0, err
            continue
        assert proc.returncode == 2 and out == b"", (argv, err)
        check_error(err.decode(), hint=True)
        assert flag in err.decode(), (argv, err)
        rest.call("GET", kept)


def on_terminal(run, argv, answer, env=None):
    """Run argv with a pseudo-terminal on stdin, answer once asked; (rc, out, err)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([BIN, *argv], stdin=slave, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=run.environ(env), cwd=run.cwd)
        os.close(slave)
        if answer is not None:
            os.write(master, answer.encode())
        out, err = proc.communicate(timeout=ANSWER_TIMEOUT)
        return proc.returncode, strip_ansi(out.decode()), strip_ansi(err.decode())
    finally:
        os.close(master)


def test_a_terminal_is_asked_and_no_changes_nothing(run, rest, target):
    argv = ["prefect", "flow", "delete", target["flow"]["name"]]
    rc, out, err = on_terminal(run, argv, "n\n")
    assert rc == 1 and out == "", err
    assert "[y/N]" in err and "was not deleted" in err
    rest.call("GET", f"/flows/{target['flow']['id']}")

    rc, out, err = on_terminal(run, argv, "y\n")
    assert rc == 0, err
    assert "Deleted" in out
    rest.call("GET", f"/flows/{target['flow']['id']}", ok=(404,))


def test_no_prompt_makes_a_terminal_a_pipe(run, rest, target):
    rc, out, err = on_terminal(run, ["prefect", "undeploy", target["dep_ref"]], None,
                               env={"MAHAVISHNU_NO_PROMPT": "1"})
    assert rc == 2 and out == "", err
    check_error(err, hint=True)
    assert "--yes" in err and "[y/N]" not in err
    rest.call("GET", f"/deployments/{target['dep']['id']}")


@pytest.mark.parametrize("value", ["0", "false", ""])
def test_yes_set_to_no_asks_as_usual(run, rest, target, value):
    rc, out, err = run("prefect", "undeploy", target["dep_ref"], env={"MAHAVISHNU_YES": value})
    assert rc == 2 and out == "", err
    rest.call("GET", f"/deployments/{target['dep']['id']}")


def test_yes_answers_yes_and_says_so(run, rest, target):
    rc, out, err = run("prefect", "undeploy", target["dep_ref"], env={"MAHAVISHNU_YES": "1"})
    assert rc == 0, err
    assert "yes (MAHAVISHNU_YES is set)" in err
    rest.call("GET", f"/deployments/{target['dep']['id']}", ok=(404,))
