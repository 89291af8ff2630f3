"""mahavishnu prefect flow validate: verdicts, exit codes, the panel and the
problem list, the JSON document, the local flow registry, --entrypoint and
--import. validate makes no request, so most tests run the binary against an
API URL where nothing listens (the `offline` runner); one uses the real
server's URL to check the registry key."""

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import Runner
from mv_helpers import check_error, parse_panel, strip_ansi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "flows"
NOWHERE = "http://127.0.0.1:9/api"  # discard port: a request would fail


@pytest.fixture
def offline(tmp_path):
    return Runner(NOWHERE, tmp_path / "run")


def fixture_copy(runner, name, as_name=None):
    """Copy a fixture flow file into the runner's directory; returns its path."""
    path = runner.cwd / (as_name or name)
    shutil.copy(FIXTURES / name, path)
    return path


def data_env(runner):
    """The registry under the test's directory; a panel wide enough for its paths."""
    return {"XDG_DATA_HOME": str(runner.base / "data"), "COLUMNS": "400"}


def registry(runner):
    path = runner.base / "data" / "mahavishnu" / "flows.json"
    return json.loads(path.read_text())["flows"] if path.exists() else []


def validate_json(runner, *args, env=None):
    rc, out, err = runner("prefect", "flow", "validate", *args, "-o", "json",
                          env={**data_env(runner), **(env or {})})
    return rc, json.loads(out), err


def test_valid_file_shows_the_panel_and_records_the_flow(offline):
    path = fixture_copy(offline, "diamond.py")
    rc, out, err = offline("prefect", "flow", "validate", "diamond.py", env=data_env(offline))
    assert (rc, err) == (0, "")
    assert "\x1b" not in out
    title, fields = parse_panel(out)
    assert title == "✓ Flow is Valid"
    assert "│ No errors found." in out
    assert fields["File"] == "diamond.py"
    assert fields["Flow"] == "diamond-etl (function diamond, line 31)"
    assert fields["Calls"] == "extract, transform-rows, validate, load, notify"
    assert fields["Tasks"] == "extract, transform-rows, validate, load, notify"
    assert fields["Recorded"] == f"diamond-etl → {path}:diamond"
    assert out.rstrip().endswith("┘")  # no problem listed after the panel

    assert registry(offline) == [{
        "api_url": NOWHERE, "flow": "diamond-etl", "entrypoint": f"{path}:diamond",
        "recorded": registry(offline)[0]["recorded"],
    }]


def test_json_document_lists_flows_tasks_calls_and_edges(offline):
    path = fixture_copy(offline, "diamond.py")
    rc, doc, err = validate_json(offline, "diamond.py")
    assert (rc, err) == (0, "")
    assert set(doc) == {"path", "valid", "flows", "tasks", "errors", "warnings",
                        "recorded", "imported"}
    assert (doc["path"], doc["valid"], doc["errors"], doc["warnings"]) == (
        "diamond.py", True, [], [])
    assert doc["imported"] is False
    assert doc["recorded"] == [{"flow": "diamond-etl", "entrypoint": f"{path}:diamond"}]

    [flow] = doc["flows"]
    assert {k: flow[k] for k in ("name", "function", "line", "column", "async")} == {
        "name": "diamond-etl", "function": "diamond", "line": 31, "column": 5,
        "async": False}
    assert flow["parameters"] == [
        {"name": "source", "default": '"s3://bucket"', "annotation": "str"},
        {"name": "limit", "default": "10", "annotation": "int"},
        {"name": "dry_run", "default": "False", "annotation": None},
    ]
    calls = [(c["index"], c["name"], c["function"], c["type"], c["method"], c["await"],
              c["line"], c["column"], c["depends_on"], c["wait_for"]) for c in flow["calls"]]
    assert calls == [
        (0, "extract", "extract", "task", "call", False, 32, 11, [], []),
        (1, "transform-rows", "transform", "task", "submit", False, 33, 12, [0], []),
        (2, "validate", "validate", "task", "submit", False, 34, 10, [0], []),
        (3, "load", "load", "task", "call", False, 35, 12, [1, 2], []),
        (4, "notify", "notify", "task", "call", False, 36, 5, [], [3]),
    ]
    assert [(t["name"], t["function"], t["line"]) for t in doc["tasks"]] == [
        ("extract", "extract", 6), ("transform-rows", "transform", 11),
        ("validate", "validate", 16), ("load", "load", 21), ("notify", "notify", 26)]
    assert all("calls" not in t for t in doc["tasks"])


def test_syntax_error_is_listed_with_position_line_and_caret(offline):
    fixture_copy(offline, "syntax_unclosed.py")
    rc, out, err = offline("prefect", "flow", "validate", "syntax_unclosed.py",
                           env=data_env(offline))
    assert (rc, err) == (1, "")
    title, fields = parse_panel(out)
    assert title == "✗ Flow is Invalid"
    assert "│ 1 error found (listed below)." in out
    lines = out.splitlines()
    at = lines.index("syntax_unclosed.py:12:16: error: '(' was never closed")
    assert lines[at + 1] == "        total = add(x, 2"
    assert lines[at + 2] == "    " + " " * 15 + "^"
    assert registry(offline) == []  # nothing recorded for an invalid file


@pytest.mark.parametrize("name, errors", [
    ("syntax_unclosed.py", [(12, 16, "'(' was never closed")]),
    ("syntax_many.py", [(6, 22, "expected ':'"),
                        (12, 5, "missing parentheses in call to 'print'"),
                        (17, 19, "unmatched ']'")]),
    ("no_flow.py", [(None, None, "no flow found: tasks are defined but no function is "
                     "decorated with @flow")]),
    ("not_prefect.py", [(None, None, "no flow found: no function is decorated with @flow")]),
    ("duplicate_names.py", [(11, 5, "flow name 'daily-report' is already used by function "
                             "'daily_report' on line 6")]),
])
def test_invalid_fixtures_exit_1_with_exact_errors(offline, name, errors):
    fixture_copy(offline, name)
    rc, doc, err = validate_json(offline, name)
    assert (rc, err) == (1, "")
    assert doc["valid"] is False
    assert doc["recorded"] == []
    assert [(e["line"], e["column"], e["message"]) for e in doc["errors"]] == errors
    assert registry(offline) == []


@pytest.mark.parametrize("name, content, message", [
    ("missing.py", None, "no such file"),
    ("notes.txt", b"x = 1\n", "not a Python file: its name does not end in .py"),
    ("latin1.py", b"# caf\xe9\n", "not UTF-8 text: byte 0xE9 at line 1, column 6 is not "
     "valid UTF-8"),
    ("adir.py", "dir", "a directory, not a Python file"),
])
def test_unusable_files_are_errors(offline, name, content, message):
    path = offline.cwd / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    rc, doc, err = validate_json(offline, name)
    assert (rc, err) == (1, "")
    assert doc["valid"] is False
    assert doc["errors"] == [{"line": None, "column": None, "message": message}]
    assert doc["flows"] == [] and doc["tasks"] == []

    rc, out, err = offline("prefect", "flow", "validate", name)
    assert (rc, err) == (1, "")
    assert f"{name}: error: {message}" in out.splitlines()


def test_warnings_leave_the_file_valid(offline):
    fixture_copy(offline, "with_warnings.py")
    rc, doc, err = validate_json(offline, "with_warnings.py")
    assert (rc, err) == (0, "")
    assert doc["valid"] is True
    assert [(w["line"], w["column"], w["message"]) for w in doc["warnings"]] == [
        (11, 5, "task 'unused' is defined but never called in this file"),
        (16, 19, "parameter 'x' of flow 'with-warnings' has neither a default value nor "
         "a type annotation"),
    ]
    rc, out, err = offline("prefect", "flow", "validate", "with_warnings.py", env=data_env(offline))
    assert (rc, err) == (0, "")
    title, fields = parse_panel(out)
    assert title == "✓ Flow is Valid"
    assert fields["Warnings"] == "2 (listed below)"
    assert "with_warnings.py:11:5: warning: task 'unused' is defined but never called in this " \
           "file" in out.splitlines()


def test_entrypoint_records_only_that_flow(offline):
    path = fixture_copy(offline, "spelling_module.py")
    rc, doc, err = validate_json(offline, "spelling_module.py", "--entrypoint", "monitor_one")
    assert (rc, err) == (0, "")
    assert [f["name"] for f in doc["flows"]] == ["monitor", "monitor-once"]
    assert doc["recorded"] == [{"flow": "monitor-once",
                                "entrypoint": f"{path}:monitor_one"}]
    assert [(e["flow"], e["entrypoint"]) for e in registry(offline)] == [
        ("monitor-once", f"{path}:monitor_one")]


@pytest.mark.parametrize("func, error", [
    ("ping", (6, 5, "'ping' is a task, not a flow")),
    ("monitr", (None, None, "no flow function 'monitr' in this file (did you mean "
                "'monitor'?)")),
])
def test_entrypoint_that_is_not_a_flow_is_an_error(offline, func, error):
    fixture_copy(offline, "spelling_module.py")
    rc, doc, err = validate_json(offline, "spelling_module.py", "--entrypoint", func)
    assert (rc, err) == (1, "")
    assert [(e["line"], e["column"], e["message"]) for e in doc["errors"]] == [error]
    assert registry(offline) == []


@pytest.mark.parametrize("args", [
    (),
    ("flow.py", "--entrypoint", "not a name"),
    ("flow.py", "--bogus"),
])
def test_usage_errors_exit_2(offline, args):
    rc, out, err = offline("prefect", "flow", "validate", *args)
    assert rc == 2
    assert out == ""
    check_error(err, hint=True)


def test_help_describes_every_option(offline):
    rc, out, err = offline("prefect", "flow", "validate", "--help")
    assert (rc, err) == (0, "")
    for option in ("PATH", "--entrypoint FUNC", "--import", "--output"):
        assert option in out


def test_nothing_is_executed_or_requested_without_import(offline):
    marker = offline.cwd / "executed"
    (offline.cwd / "side_effect.py").write_text(
        "from pathlib import Path\n"
        "from prefect import flow\n"
        f"Path({str(marker)!r}).write_text('ran')\n\n"
        "@flow\ndef effect(n: int = 1):\n    pass\n")
    rc, out, err = offline("prefect", "flow", "validate", "side_effect.py",
                           env={**data_env(offline), "LD_DEBUG": "files"})
    assert rc == 0
    assert "libcurl" not in err  # the HTTP library was never loaded
    assert not marker.exists()

    rc, doc, err = validate_json(offline, "side_effect.py", "--import",
                                 env={"MAHAVISHNU_PYTHON": sys.executable})
    assert (rc, err) == (0, "")
    assert doc["imported"] is True
    assert marker.read_text() == "ran"


def test_import_reports_an_import_error(offline):
    fixture_copy(offline, "import_error.py")
    env = {"MAHAVISHNU_PYTHON": sys.executable}
    rc, doc, err = validate_json(offline, "import_error.py", "--import", env=env)
    assert (rc, err) == (1, "")
    assert doc["imported"] is True
    assert doc["errors"] == [{
        "line": 4, "column": 1,
        "message": "importing the file failed: ModuleNotFoundError: No module named "
                   "'module_that_does_not_exist'"}]
    assert registry(offline) == []

    rc, out, err = offline("prefect", "flow", "validate", "import_error.py", "--import",
                           env={**data_env(offline), **env})
    assert (rc, err) == (1, "")
    _, fields = parse_panel(out)
    assert fields["Import"] == f"failed with {sys.executable} (listed below)"

    rc, doc, err = validate_json(offline, "import_error.py")  # static checks only
    assert (rc, err, doc["imported"]) == (0, "", False)


def test_import_of_a_valid_flow_says_so(offline):
    fixture_copy(offline, "spelling_async.py")
    rc, out, err = offline("prefect", "flow", "validate", "spelling_async.py", "--import",
                           env={**data_env(offline), "MAHAVISHNU_PYTHON": sys.executable})
    assert (rc, err) == (0, "")
    _, fields = parse_panel(out)
    assert fields["Import"] == f"imported with {sys.executable}: no errors"


def test_missing_python_is_a_one_line_error(offline):
    fixture_copy(offline, "diamond.py")
    rc, out, err = offline("prefect", "flow", "validate", "diamond.py", "--import",
                           env={"MAHAVISHNU_PYTHON": "/nonexistent/python"})
    assert (rc, out) == (1, "")
    check_error(err, hint=True, contains=("cannot run '/nonexistent/python'",))


def test_registry_key_is_the_effective_api_url(run, prefect_server):
    path = fixture_copy(run, "spelling_alias.py", "pipeline.py")
    rc, out, err = run("prefect", "flow", "validate", "pipeline.py")
    assert (rc, err) == (0, "")
    _, fields = parse_panel(out)
    # The default registry location, under the test's HOME.
    flows = json.loads((run.home / ".local/share/mahavishnu/flows.json").read_text())["flows"]
    assert sorted((e["api_url"], e["flow"], e["entrypoint"]) for e in flows) == [
        (prefect_server.api_url, "aliased-parent", f"{path}:other_parent"),
        (prefect_server.api_url, "child", f"{path}:child"),
        (prefect_server.api_url, "parent", f"{path}:parent"),
    ]
    assert "child → " in strip_ansi(out)


def test_registry_key_never_holds_a_password(offline):
    fixture_copy(offline, "diamond.py")
    env = {"PREFECT_API_URL": "http://bob:s3cret@127.0.0.1:9/api"}
    rc, doc, err = validate_json(offline, "diamond.py", env=env)
    assert (rc, err) == (0, "")
    [entry] = registry(offline)
    assert entry["api_url"] == "http://127.0.0.1:9/api"
    assert "s3cret" not in (offline.base / "data" / "mahavishnu" / "flows.json").read_text()


# --- the parameter schema Prefect writes ------------------------------------------

SCHEMA_FLOW = '''from typing import Optional
from prefect import flow
from prefect.client.schemas.objects import StateType


@flow
def shaped(nums: list[int], label: Optional[str] = None, state: StateType = StateType.COMPLETED):
    """Shape things.

    Args:
        nums: the numbers
    """
'''


def test_json_has_prefects_schema_and_the_inexact_parameters(offline, tmp_path):
    path = offline.write("shaped.py", SCHEMA_FLOW)
    rc, out, err = offline("prefect", "flow", "validate", path, "-o", "json",
                           env=data_env(offline))
    assert (rc, err) == (0, "")
    flow = json.loads(out)["flows"][0]
    sys.path.insert(0, str(path.parent))
    try:
        from prefect.utilities.callables import parameter_schema
        import shaped
        want = parameter_schema(shaped.shaped).model_dump_for_openapi()
    finally:
        sys.path.pop(0)
    got = flow["parameter_openapi_schema"]
    assert flow["inexact_parameters"] == ["state"]
    for name in ("nums", "label"):
        assert got["properties"][name] == want["properties"][name]
    assert got["required"] == want["required"] == ["nums"]
    assert got["properties"]["nums"]["description"] == "the numbers"
    assert flow["name_unknown"] is False and flow["conditional"] is False


def test_table_shows_each_parameters_schema(offline):
    path = offline.write("shaped.py", SCHEMA_FLOW)
    rc, out, err = offline("prefect", "flow", "validate", path, env=data_env(offline))
    assert (rc, err) == (0, "")
    title, fields = parse_panel(out)
    assert fields["Parameters"] == "3"
    assert fields["nums"] == "array[integer], required"
    assert fields["label"] == "string | null = null"
    assert fields["state"].endswith("(not known statically)")


def test_class_level_flows_are_said_to_be_unsupported(offline):
    path = offline.write("cls.py", "from prefect import flow\n\n\n@flow\ndef top():\n    pass\n\n\n"
                         "class Jobs:\n    @flow\n    def nightly(self):\n        pass\n")
    rc, out, err = offline("prefect", "flow", "validate", path, "-o", "json",
                           env=data_env(offline))
    assert rc == 0
    doc = json.loads(out)
    assert [f["function"] for f in doc["flows"]] == ["top"]
    assert any("'Jobs.nightly'" in w["message"] and "not supported" in w["message"]
               for w in doc["warnings"])


def test_import_settles_a_computed_name(offline):
    path = offline.write("dyn.py", "import sys\nfrom prefect import flow\n\n\n"
                         "@flow(name=f'py-{sys.version_info.major}')\ndef dyn():\n    pass\n")
    env = dict(data_env(offline), MAHAVISHNU_PYTHON=sys.executable)
    rc, out, err = offline("prefect", "flow", "validate", path, "-o", "json", env=env)
    doc = json.loads(out)
    assert rc == 0 and doc["flows"][0]["name_unknown"] is True and doc["warnings"]
    rc, out, err = offline("prefect", "flow", "validate", path, "--import", "-o", "json", env=env,
                           timeout=180)
    doc = json.loads(out)
    assert rc == 0, err
    assert doc["flows"][0]["name"] == "py-3" and doc["flows"][0]["name_unknown"] is False
    assert doc["warnings"] == [] and doc["recorded"][0]["flow"] == "py-3"
