"""The exit codes the docs claim are the codes a script gets: every line of
the table "Examples the tests run" in docs/exit-codes.md is run against the
suite's server, and every "exit N" in docs/commands.md is a code that
docs/exit-codes.md defines."""

import re
import shlex
from pathlib import Path

import pytest

from mv_helpers import check_error, free_port, unique

DOCS = Path(__file__).resolve().parents[2] / "docs"


def defined_codes():
    text = (DOCS / "exit-codes.md").read_text()
    head = text.split("## Examples the tests run")[0]
    return {int(m) for m in re.findall(r"^\| (\d+) \|", head, re.M)}


def examples():
    text = (DOCS / "exit-codes.md").read_text().split("## Examples the tests run")[1]
    rows = re.findall(r"^\| `([^`]+)` \| (\d+) \| ([^|]+) \|$", text, re.M)
    assert len(rows) >= 10, "the table of examples was not found"
    return [pytest.param(cmd, int(code), id=why.strip()) for cmd, code, why in rows]


def test_commands_md_claims_only_defined_codes():
    claimed = {int(n) for n in re.findall(r"\bexit (\d+)\b", (DOCS / "commands.md").read_text())}
    assert claimed, "no exit code claims found in docs/commands.md"
    assert claimed <= defined_codes(), claimed - defined_codes()


@pytest.fixture(scope="module")
def places(rest):
    flow = rest.create_flow(unique("exit"))
    dep = rest.create_deployment(flow["id"], unique("dep"))
    lone = rest.create_flow(unique("exit-lone"))
    run = rest.create_flow_run(lone["id"], "FAILED")
    yield {"<flow>": flow["name"], "<dep>": f"{flow['name']}/{dep['name']}",
           "<run>": run["id"], "<closed>": str(free_port())}
    for f in (flow, lone):
        rest.delete_flow(f["id"])


@pytest.mark.parametrize("command, code", examples())
def test_documented_exit_code(run, places, command, code):
    for name, value in places.items():
        command = command.replace(name, value)
    rc, out, err = run(*shlex.split(command), timeout=120)
    assert rc == code, (command, out, err)
    if code == 5:  # the run's states were printed as they came; the last line says why
        assert "gave up waiting" in err.splitlines()[-1]
    elif code != 0:
        check_error(err)
