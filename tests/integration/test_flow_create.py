"""mahavishnu prefect flow create"""

import json

import pytest

from mv_helpers import UUID_RE, check_error, parse_panel, quiet, strip_ansi, unique


def test_table_output_is_a_created_panel_matching_the_server(run, rest, scratch):
    name = scratch.track(unique("create-table"))
    rc, out, err = run("prefect", "flow", "create", "--name", name)
    assert (rc, err) == (0, "")
    assert "\x1b" not in out  # piped: no colour

    lines = out.splitlines()
    assert lines[0].startswith("┏") and lines[0].endswith("┓")
    assert lines[-1].startswith("└") and lines[-1].endswith("┘")
    title, fields = parse_panel(out)
    assert title == "✓ Flow Created"

    flow = rest.flow_by_name(name)
    assert flow is not None, "the flow was not created on the server"
    assert fields["Name"] == name
    assert UUID_RE.match(fields["ID"]), fields["ID"]
    assert fields["ID"] == flow["id"]
    assert fields["Version"] == "-"
    assert fields["Deployed"] == "No"


@pytest.mark.parametrize("tags_arg, expected_tags", [
    ("etl,daily,production", ["etl", "daily", "production"]),
    (" a , b ,, c ,", ["a", "b", "c"]),
])
def test_json_output_matches_server(run, rest, scratch, tags_arg, expected_tags):
    name = scratch.track(unique("create-json"))
    rc, out, err = run("prefect", "flow", "create", "--name", name,
                       "--description", "Daily ETL pipeline", "--tags", tags_arg,
                       "-o", "json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)  # one document, nothing else on stdout

    flow = rest.flow_by_name(name)
    assert flow is not None
    assert flow["tags"] == expected_tags
    assert flow["labels"].get("description") == "Daily ETL pipeline"

    assert doc["id"] == flow["id"]
    assert doc["name"] == name
    assert doc["tags"] == expected_tags
    assert doc["description"] == "Daily ETL pipeline"
    assert doc["deployed"] is False
    assert doc["version"] is None


def test_short_options_and_table_shows_description_and_tags(run, rest, scratch):
    name = scratch.track(unique("create-short"))
    rc, out, err = run("prefect", "flow", "create", "-n", name, "-d", "short opts",
                       "-t", "x,y")
    assert (rc, err) == (0, "")
    _, fields = parse_panel(out)
    assert fields["Name"] == name
    assert fields["Description"] == "short opts"
    assert fields["Tags"] == "x, y"
    flow = rest.flow_by_name(name)
    assert flow["tags"] == ["x", "y"]
    assert flow["labels"].get("description") == "short opts"


def test_without_description_or_tags(run, rest, scratch):
    name = scratch.track(unique("create-bare"))
    rc, out, err = run("prefect", "flow", "create", "--name", name, "-o", "json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    flow = rest.flow_by_name(name)
    assert flow["tags"] == []
    assert "description" not in (flow.get("labels") or {})
    assert doc["id"] == flow["id"]
    assert doc["tags"] == []
    assert doc["description"] is None


def test_existing_name_is_an_error_and_leaves_the_flow_unchanged(run, rest, scratch):
    before = scratch.flow(tags=["orig"], labels={"description": "original", "team": "a"})
    name = before["name"]
    rc, out, err = run("prefect", "flow", "create", "--name", name,
                       "--description", "replaced", "--tags", "new,tags")
    assert rc == 1
    assert out == ""
    line = check_error(err, hint=True)
    assert name in line

    after = rest.read_flow(before["id"])
    assert after["tags"] == ["orig"]
    assert after["labels"] == before["labels"]
    assert after["updated"] == before["updated"]
    assert len(rest.flows_named(name)) == 1


def test_existing_name_json_mode_also_errors_on_stderr_only(run, rest, scratch):
    before = scratch.flow(tags=["keep"])
    rc, out, err = run("prefect", "flow", "create", "--name", before["name"],
                       "-o", "json")
    assert rc == 1
    assert out == ""
    check_error(err, hint=True)
    assert rest.read_flow(before["id"])["tags"] == ["keep"]


@pytest.mark.parametrize("bad", ["{u}/b", "a/{u}", "{u}%x", "{u}&x", "{u}>x", "<{u}"])
def test_invalid_name_is_a_usage_error_and_nothing_is_sent(run, rest, bad):
    token = unique("bad")
    name = bad.format(u=token)
    count_before = rest.count_flows()
    rc, out, err = run("-v", "prefect", "flow", "create", "--name", name)
    assert rc == 2
    assert out == ""
    check_error(err)
    assert "> POST" not in err and "> GET" not in err, "a request was sent:\n" + err
    assert rest.flows_name_like(token) == []
    assert rest.count_flows() == count_before


def test_empty_name_is_a_usage_error(run, rest):
    count_before = rest.count_flows()
    rc, out, err = run("prefect", "flow", "create", "--name", "")
    assert rc == 2
    assert out == ""
    check_error(err)
    assert rest.count_flows() == count_before


def test_missing_name_is_a_usage_error(run, rest):
    count_before = rest.count_flows()
    rc, out, err = run("prefect", "flow", "create", "--description", "no name")
    assert rc == 2
    assert out == ""
    line = check_error(err)
    assert "--name" in line
    assert rest.count_flows() == count_before


def test_created_flow_round_trips_through_flow_list(run, rest, scratch):
    name = scratch.track(unique("roundtrip"))
    rc, out, err = run("prefect", "flow", "create", "--name", name,
                       "--description", "round trip", "--tags", "rt, one", "-o", "json")
    assert (rc, err) == (0, "")
    created = json.loads(out)

    rc, out, err = run("prefect", "flow", "list", "--all", "-o", "json")
    assert (rc, err) == (0, "")
    listed = [f for f in json.loads(out) if f["name"] == name]
    assert len(listed) == 1
    item = listed[0]
    assert item["id"] == created["id"]
    assert item["tags"] == ["rt", "one"] == created["tags"]
    assert item["description"] == "round trip" == created["description"]

    # and the table form shows it too (newest first, so it is on top)
    rc, out, err = run("prefect", "flow", "list", "--limit", "1")
    assert rc == 0 and quiet(err), err
    assert name in strip_ansi(out)


@pytest.mark.parametrize("bad", ["a\nb", "tab\there", "esc\x1b[31m"])
def test_name_with_a_control_character_is_refused_before_any_request(run, rest, bad):
    """It could be created, but never typed or found again."""
    before = {f["name"] for f in rest.call("POST", "/flows/filter", {"limit": 200})}
    rc, out, err = run("prefect", "flow", "create", "--name", bad)
    assert (rc, out) == (2, "")
    check_error(err, hint=True, contains=("option '--name': a name cannot hold control characters",))
    assert "\x1b" not in err
    after = {f["name"] for f in rest.call("POST", "/flows/filter", {"limit": 200})}
    assert after == before


def test_entrypoint_with_a_syntax_error_is_refused_like_validate_refuses_it(run, rest):
    name = unique("bad-syntax")
    src = run.write("bad_flow.py", "from prefect import flow\n\n\n@flow\n"
                                   "def bad_flow(x: int = 1):\n    return x +\n")
    rc, out, err = run("prefect", "flow", "validate", src)
    assert rc == 1
    where = next(l for l in (out + err).splitlines()
                 if "invalid syntax" in l).split(": error:")[0]
    rc, out, err = run("prefect", "flow", "create", "--name", name,
                       "--entrypoint", f"{src}:bad_flow")
    assert (rc, out) == (1, "")
    check_error(err, hint=True, contains=(f"{where}: invalid syntax",))
    assert "flow validate" in err.splitlines()[1]
    assert rest.flow_by_name(name) is None
    rc, out, err = run("prefect", "deploy", name, "--name", "d", "--entrypoint",
                       f"{src}:bad_flow")
    assert rc == 1 and "invalid syntax" in err
    assert rest.flow_by_name(name) is None
