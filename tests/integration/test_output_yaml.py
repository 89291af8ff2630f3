"""-o yaml: every command with -o json writes the same value as a YAML document
(yaml.safe_load of it equals json.loads of the JSON), with server text that
could steer a terminal escaped; streamed lists are one YAML sequence, `[]`
when empty, however many pages they take."""

import json

import yaml

from mv_helpers import bulk_create, control_chars, quiet, unique

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f"
# Strings a careless YAML writer would let a reader take for something else.
TRICKY = ["true", "no", "on", "null", "~", "", "123", "0x1F", "1e5", "2026-12-03", " lead",
          "trail ", "a: b", "#x", "- x", "[x]", "{x}", "&a", "*a", "!t", "|", "'q'", '"dq"',
          "back\\slash", "tab\tnew\nline", "\x1b[31mred\x07", "caf\u00e9 \u65e5\u672c",
          f"bidi{BIDI}end", "\u0085\u2028\u2029\ufeff"]


def raw_bidi(text):
    return [ch for ch in text if ch in BIDI]


def same_value(run, *args, env=None, cwd=None):
    """Run args with -o json and -o yaml: both succeed and carry one value, and
    nothing in the YAML can steer a terminal. Returns (value, yaml text)."""
    rc, out_json, err = run(*args, "-o", "json", env=env, cwd=cwd)
    assert rc == 0 and quiet(err), err
    rc, out_yaml, err_yaml = run(*args, "-o", "yaml", env=env, cwd=cwd)
    assert rc == 0 and err_yaml == err, err_yaml
    value = json.loads(out_json)
    assert yaml.safe_load(out_yaml) == value
    assert yaml.load(out_yaml, Loader=yaml.CSafeLoader) == value
    assert out_yaml.endswith("\n")
    assert control_chars(out_yaml) == [] and raw_bidi(out_yaml) == []
    return value, out_yaml


def test_config_show(run):
    value, out = same_value(run, "config", "show")
    assert "settings" in value
    assert not out.lstrip().startswith("{")   # block style, not JSON in disguise
    same_value(run, "config", "show", "--sources")


def registry(tmp_path):
    entries = [{"name": "plain", "path": "/srv/plain", "tags": ["backend", "true"],
                "description": "an ordinary one"},
               {"name": "odd", "path": "/srv/odd dir", "tags": [t for t in TRICKY[:10] if t],
                "description": TRICKY[-3], "owner": "123", "weight": 1.5,
                "nested": {"list": TRICKY, "empty": [], "none": None, "map": {}}}]
    path = tmp_path / "repos.yaml"
    path.write_text(json.dumps({"repos": entries}))  # JSON is YAML
    return {"MAHAVISHNU_REPOS_PATH": str(path)}


def test_repos_list_and_get(run, tmp_path):
    env = registry(tmp_path)
    value, _ = same_value(run, "repos", "list", env=env)
    assert [r["name"] for r in value] == ["plain", "odd"]
    value, _ = same_value(run, "repos", "get", "odd", env=env)
    assert value["nested"]["list"] == TRICKY
    value, out = same_value(run, "repos", "list", "--tag", "nothing", env=env)
    assert value == [] and out == "[]\n"


def test_flow_list_and_get_with_tricky_text(run, scratch):
    flow = scratch.flow(unique("yaml"), tags=TRICKY,
                        labels={"description": f"evil {BIDI} \x1b]0;title\x07 desc"},
                        runs=["COMPLETED"], deployment="1.0")
    value, _ = same_value(run, "prefect", "flow", "get", flow["name"])
    assert value["tags"] == TRICKY and BIDI in value["description"]
    value, _ = same_value(run, "prefect", "flow", "list", "--all")
    assert flow["name"] in [f["name"] for f in value]
    value, _ = same_value(run, "prefect", "deployments", "list", "--flow", flow["name"])
    assert len(value) == 1
    same_value(run, "prefect", "deployments", "get", value[0]["id"])
    value, _ = same_value(run, "prefect", "flow-runs", "list", "--flow", flow["name"])
    assert len(value) == 1
    same_value(run, "prefect", "flow-runs", "get", value[0]["id"])


def test_empty_streamed_list_is_an_empty_sequence(run, scratch):
    flow = scratch.flow(unique("yaml-empty"))
    value, out = same_value(run, "prefect", "flow-runs", "list", "--flow", flow["name"], "--all")
    assert value == [] and out == "[]\n"


def test_list_of_several_pages_is_one_sequence(run, rest, scratch):
    flow = scratch.flow(unique("yaml-pages"))
    dep = rest.create_deployment(flow["id"], unique("dep"))
    bodies = [{"name": f"yaml-{k}", "idempotency_key": f"yaml-{k}",
               "tags": [TRICKY[k % len(TRICKY)]],
               "state": {"type": "SCHEDULED",
                         "state_details": {"scheduled_time": f"2031-01-01T00:{k // 60:02d}:"
                                                             f"{k % 60:02d}Z"}}}
              for k in range(230)]
    for at in range(0, len(bodies), 100):   # the server's most at once
        bulk_create(rest, dep["id"], bodies[at:at + 100])
    value, out = same_value(run, "prefect", "flow-runs", "list", "--flow", flow["name"], "--all")
    assert len(value) == 230
    assert out.count("\n- ") + out.startswith("- ") == 230   # one item a row, top level


def test_backfill_document_with_a_streamed_list(run, make_deployment):
    dep = make_deployment()
    args = ("prefect", "backfill", dep["id"], "--start", "2023-01-01", "--end", "2023-12-31",
            "--max-runs", "365", "--dry-run")
    value, _ = same_value(run, *args)
    assert len(value["runs"]) == 365


def test_unknown_format_names_yaml(run):
    rc, out, err = run("config", "show", "-o", "yml")
    assert rc == 2 and out == ""
    assert "table, wide, json, jsonl, yaml" in err
