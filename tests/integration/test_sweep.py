"""The repository registry (`repos list|get`) and `mahavishnu sweep` against
the session's server and a real process worker: the example flow
examples/flows/repo_sweep.py deployed to the worker's pool sweeps a fixture
registry of five repositories, one of whose paths does not exist, so its run
fails: the partial roll-up names it and exits 1. Also: no repository with the
tag creates nothing, an unknown adapter is refused before any request, a
sweep interrupted during its creations and run again makes exactly one run
per repository, `sweep status`, --dry-run, a deployment without the sweep's
parameters, malformed registries with file:line, and the spec's other form
`flow execute repo-sweep --param repos=... --param tag=...`."""

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO
from mv_helpers import check_error, parse_panel, parse_table, strip_ansi, unique

WIDE = {"COLUMNS": "250"}
REPO_NAMES = ("alpha", "bravo", "charlie", "delta", "echo-missing")


def registry_text(base, tag):
    """Five repositories tagged `tag`; echo-missing's path does not exist."""
    entries = []
    for name in REPO_NAMES:
        path = "../missing-dir" if name == "echo-missing" else f"../repos/{name}"
        entries.append(f"  - name: {name}\n    path: {path}\n    tags: [{tag}, extra]\n"
                       f"    description: the {name} repository\n    owner: team-{name}\n")
    return "repos:\n" + "".join(entries)


@pytest.fixture(scope="module")
def sweep_home(tmp_path_factory):
    """examples/ as a user has it: flows/repo_sweep.py beside settings/repos.yaml,
    with four small repositories under repos/."""
    base = tmp_path_factory.mktemp("sweep") / "examples"
    (base / "flows").mkdir(parents=True)
    shutil.copy(REPO / "examples" / "flows" / "repo_sweep.py", base / "flows")
    for i, name in enumerate(REPO_NAMES[:4]):
        d = base / "repos" / name
        d.mkdir(parents=True)
        (d / "main.py").write_text("print('hello')\n" * (i + 1))
        (d / "README.md").write_text(f"# {name}\n")
    (base / "settings").mkdir()
    (base / "settings" / "repos.yaml").write_text(registry_text(base, "backend"))
    return base


@pytest.fixture(scope="module")
def sweep_deployment(process_worker, sweep_home, rest):
    """repo_sweep.py deployed to the worker's pool: (flow name, deployment name, id)."""
    flow = unique("repo-sweep")
    name = unique("d-sweep")
    rc, out, err = process_worker.runner(
        "prefect", "deploy", flow, "--name", name,
        "--entrypoint", f"{sweep_home / 'flows' / 'repo_sweep.py'}:repo_sweep",
        "--work-pool", process_worker.pool, "-o", "json", env=process_worker.env)
    assert rc == 0, err
    doc = json.loads(out)
    yield flow, name, doc["id"]
    rest.delete_flow(doc["flow_id"])


def sweep_runs(rest, deployment_id, *tags):
    return rest.call("POST", "/flow_runs/filter", {
        "flow_runs": {"deployment_id": {"any_": [deployment_id]},
                      "tags": {"all_": ["sweep", *tags]}},
        "limit": 200})


def in_home(run, sweep_home, *args, env=None, timeout=240):
    return run(*args, cwd=sweep_home, env=dict(WIDE, **(env or {})), timeout=timeout)


# --- the registry --------------------------------------------------------------

def test_repos_list_table_json_and_tag(run, sweep_home):
    rc, out, err = in_home(run, sweep_home, "repos", "list")
    assert rc == 0, err
    title, header, rows = parse_table(out)
    assert title == "Repositories (5)"
    assert header == ["Name", "Tags", "Path", "Description"]
    assert [r[0] for r in rows] == list(REPO_NAMES)
    assert rows[0][2] == str(sweep_home / "repos" / "alpha")   # relative to the file
    rc, out, err = in_home(run, sweep_home, "repos", "list", "--tag", "backend", "-o", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert [r["name"] for r in doc] == list(REPO_NAMES)
    assert doc[4]["path"] == str(sweep_home / "missing-dir")
    assert doc[0]["owner"] == "team-alpha"          # unknown fields kept
    rc, out, err = in_home(run, sweep_home, "repos", "list", "--tag", "nothing", "-o", "json")
    assert rc == 0 and json.loads(out) == []


def test_repos_get_panel_and_not_found(run, sweep_home):
    rc, out, err = in_home(run, sweep_home, "repos", "get", "bravo")
    assert rc == 0, err
    title, fields = parse_panel(out)
    assert fields["Path"] == str(sweep_home / "repos" / "bravo")
    assert fields["Tags"] == "backend, extra"
    assert fields["owner"] == "team-bravo"
    assert fields["Registry"] == f"{sweep_home / 'settings' / 'repos.yaml'}:7"
    rc, out, err = in_home(run, sweep_home, "repos", "get", "bravoo")
    assert rc == 1 and out == ""
    check_error(err, hint=True, contains=("no repository 'bravoo'",))
    assert "did you mean 'bravo'" in err


def test_repos_path_setting_and_home_expansion(run, tmp_path):
    reg = tmp_path / "elsewhere.yaml"
    reg.write_text("repos:\n  - name: h\n    path: ~/code/h\n")
    rc, out, err = run("repos", "list", "-o", "json", env={"MAHAVISHNU_REPOS_PATH": reg})
    assert rc == 0, err
    assert json.loads(out)[0]["path"] == str(run.home / "code" / "h")
    run.write("settings/mahavishnu.yaml", f"repos_path: {reg}\n")
    rc, out, err = run("repos", "get", "h", "-o", "json")
    assert rc == 0, err
    assert json.loads(out)["tags"] == []


def test_no_registry_is_an_error_with_a_hint(run):
    rc, out, err = run("repos", "list")
    assert rc == 1 and out == ""
    line = check_error(err, hint=True, contains=("repository registry",))
    assert "settings/repos.yaml" in line


@pytest.mark.parametrize("text, line, fragment", [
    ("repos:\n  - name: a\n    tags: [x]\n", 2, "repository 'a' has no 'path'"),
    ("repos:\n  - name: a\n    path: /a\n  - name: a\n    path: /b\n", 4,
     "repository name 'a' is also used at line 2"),
    ("repos:\n  - name: a\n    path: /a\n  - name: b\n    path: /a/./\n", 4,
     "path '/a' is also the path of line 2"),
    ("repos: backend\n", 1, "'repos' must be a list of repositories"),
    ("- name: a\n  path: /a\n", 1, "a mapping with a 'repos' list"),
    ("repos:\n  - name: a\n    path: /a\n    tags: [x, [y]]\n", 4,
     "a tag of repository 'a' must be a string"),
    ("repos:\n  - name: a\n    path: /a\n    tags: backend\n", 4,
     "'tags' of repository 'a' must be a list of strings"),
    ("repos:\n  - just-a-name\n", 2, "each repository must be a mapping"),
    ("repos:\n  - path: /a\n", 2, "a repository has no 'name'"),
    ("repos: [\n", None, ""),
])
def test_malformed_registry_is_one_line_with_file_and_line(run, text, line, fragment):
    path = run.write("settings/repos.yaml", text)
    rc, out, err = run("repos", "list")
    assert rc == 1 and out == "", err
    where = f"{path}:{line}:" if line else f"{path}:"
    check_error(err, contains=(where, fragment))
    assert len(err.splitlines()) <= 2, err


# --- sweep ---------------------------------------------------------------------

def test_sweep_wait_partial_rollup_names_the_failed_repository(run, rest, sweep_home,
                                                               sweep_deployment,
                                                               process_worker):
    flow, name, dep_id = sweep_deployment
    rc, out, err = in_home(run, sweep_home, "sweep", "--tag", "backend", "--adapter", "prefect",
                           "--deployment", f"{flow}/{name}", "--wait", "--timeout", "200",
                           "-o", "json")
    assert rc == 1, (err, process_worker.log_tail())
    doc = json.loads(out)
    assert doc["status"] == "partial"
    assert doc["completed"] == 4 and doc["failed"] == 1
    by_name = {r["name"]: r for r in doc["repos"]}
    assert set(by_name) == set(REPO_NAMES)
    assert by_name["echo-missing"]["state"] == "Failed"
    assert all(by_name[n]["state"] == "Completed" for n in REPO_NAMES[:4])
    assert by_name["alpha"]["url"].endswith("/runs/flow-run/" + by_name["alpha"]["run_id"])
    assert "partial" in err and "echo-missing" in err.splitlines()[-1]
    # each run got its repository, tagged as promised, run by the worker
    run_doc = rest.call("GET", f"/flow_runs/{by_name['bravo']['run_id']}")
    assert run_doc["parameters"]["repo"] == "bravo"
    assert run_doc["parameters"]["path"] == str(sweep_home / "repos" / "bravo")
    assert run_doc["parameters"]["tag"] == "backend"
    assert {"sweep", "repo:bravo", "sweep:" + doc["sweep_id"]} <= set(run_doc["tags"])
    # sweep status finds the same sweep
    rc, out, err = in_home(run, sweep_home, "sweep", "status", "--tag", "backend", "-o", "json")
    assert rc == 1, err
    status = json.loads(out)
    assert status["sweep_id"] == doc["sweep_id"] and status["status"] == "partial"
    assert sorted(r["name"] for r in status["repos"]) == sorted(REPO_NAMES)
    rc, out, err = in_home(run, sweep_home, "sweep", "status")
    title, header, rows = parse_table(out)
    assert header == ["Repository", "Run ID", "Run", "State", "Duration"]
    assert [r[0] for r in rows] == sorted(REPO_NAMES)
    assert "✗ Failed" in dict((r[0], r[3]) for r in rows)["echo-missing"]


def test_sweep_table_without_wait_lists_the_runs_created(run, rest, tmp_path,
                                                          sweep_deployment, process_worker):
    flow, name, dep_id = sweep_deployment
    tag = unique("t")
    (tmp_path / "one").mkdir()
    reg = tmp_path / "reg.yaml"
    reg.write_text(f"repos:\n  - name: one\n    path: {tmp_path / 'one'}\n    tags: [{tag}]\n")
    env = {"MAHAVISHNU_REPOS_PATH": reg}
    rc, out, err = run("sweep", "--tag", tag, "--deployment", f"{flow}/{name}",
                       env=dict(WIDE, **env))
    assert rc == 0, err
    title, header, rows = parse_table(out)
    assert title == "Sweep Runs Created"
    assert rows[0][0] == "one"
    assert "one: run " in err            # a line per run created, off a terminal
    assert len(sweep_runs(rest, dep_id, "repo:one")) == 1
    # settings name the deployment; the same command again is a new sweep
    run.write("settings/mahavishnu.yaml", f"sweep:\n  deployment: {flow}/{name}\n")
    rc, out, err = run("sweep", "--tag", tag, "--wait", "-o", "json", env=env, timeout=200)
    assert rc == 0, (err, process_worker.log_tail())
    doc = json.loads(out)
    assert doc["status"] == "completed" and doc["repos"][0]["state"] == "Completed"
    assert len(sweep_runs(rest, dep_id, "repo:one")) == 2


def test_sweep_with_no_matching_repository_creates_nothing(run, rest, sweep_home,
                                                           sweep_deployment):
    flow, name, dep_id = sweep_deployment
    before = len(sweep_runs(rest, dep_id))
    rc, out, err = in_home(run, sweep_home, "sweep", "--tag", "frontend", "--deployment",
                           f"{flow}/{name}", "--wait")
    assert rc == 1 and out == ""
    check_error(err, hint=True, contains=("no repository in", "has the tag 'frontend'"))
    assert "backend, extra" in err
    assert len(sweep_runs(rest, dep_id)) == before


def test_unsupported_adapter_is_refused_before_any_request(run, sweep_home):
    # nothing listens on the API URL: a request would fail with exit 6
    rc, out, err = in_home(run, sweep_home, "sweep", "--tag", "backend", "--adapter",
                           "langgraph", "--deployment", "x",
                           env={"PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert rc == 2 and out == ""
    check_error(err, hint=True, contains=("adapter 'langgraph' is not supported",))
    assert "prefect" in err.splitlines()[1]


def test_sweep_needs_a_deployment_and_parameters_the_flow_has(run, rest, sweep_home,
                                                             worker_deployments):
    rc, out, err = in_home(run, sweep_home, "sweep", "--tag", "backend")
    assert rc == 2
    check_error(err, hint=True, contains=("no deployment to run",))
    ok = worker_deployments["ok"]
    rc, out, err = in_home(run, sweep_home, "sweep", "--tag", "backend", "--deployment", ok.id)
    assert rc == 1 and out == ""
    check_error(err, hint=True, contains=("has no parameter 'repo'",))
    assert "sweep.name_param" in err
    assert len(sweep_runs(rest, ok.id)) == 0


def test_sweep_checks_user_parameters_against_the_schema(run, rest, sweep_home,
                                                        sweep_deployment):
    flow, name, dep_id = sweep_deployment
    before = len(sweep_runs(rest, dep_id))
    rc, out, err = in_home(run, sweep_home, "sweep", "--tag", "backend", "--deployment",
                           f"{flow}/{name}", "--param", "colour=blue")
    assert rc == 1 and out == ""
    check_error(err, contains=("colour",))
    assert len(sweep_runs(rest, dep_id)) == before


def test_dry_run_shows_the_plan_and_creates_nothing(run, rest, sweep_home, sweep_deployment):
    flow, name, dep_id = sweep_deployment
    before = len(sweep_runs(rest, dep_id))
    rc, out, err = in_home(run, sweep_home, "sweep", "--tag", "backend", "--deployment",
                           f"{flow}/{name}", "--dry-run", "-o", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["status"] == "dry-run"
    assert [r["name"] for r in doc["repos"]] == list(REPO_NAMES)
    assert doc["repos"][0]["parameters"]["path"] == str(sweep_home / "repos" / "alpha")
    rc, out, err = in_home(run, sweep_home, "sweep", "--tag", "backend", "--deployment",
                           f"{flow}/{name}", "--dry-run")
    assert rc == 0 and "nothing created" in out
    assert len(sweep_runs(rest, dep_id)) == before


def test_interrupted_sweep_run_again_makes_one_run_per_repository(run, rest, sweep_home,
                                                                  sweep_deployment,
                                                                  process_worker):
    flow, name, dep_id = sweep_deployment
    tag = unique("ctrlc")
    reg = sweep_home / "settings" / f"{tag}.yaml"
    reg.write_text(registry_text(sweep_home, tag).replace("../missing-dir", "../repos/alpha/.."))
    env = run.environ(dict(WIDE, MAHAVISHNU_REPOS_PATH=str(reg)))
    args = [run.bin, "sweep", "--tag", tag, "--deployment", f"{flow}/{name}",
            "--concurrency", "1"]
    # one run at a time: after the first is created the sweep waits for it to end
    proc = subprocess.Popen(args, cwd=sweep_home, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stderr.readline().decode()
    assert "alpha: run " in first, first
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "run the same command again" in err.decode()
    rc, out, err = run("sweep", "--tag", tag, "--deployment", f"{flow}/{name}", "--wait",
                       "-o", "json", cwd=sweep_home, env=dict(WIDE, MAHAVISHNU_REPOS_PATH=reg),
                       timeout=240)
    assert rc == 0, (err, process_worker.log_tail())
    assert "resuming sweep" in err
    doc = json.loads(out)
    assert doc["status"] == "completed"
    runs = sweep_runs(rest, dep_id, "sweep:" + doc["sweep_id"])
    repos = sorted(t for r in runs for t in r["tags"] if t.startswith("repo:"))
    assert repos == sorted("repo:" + n for n in REPO_NAMES)      # one each, none twice


def test_spec_form_flow_execute_repo_sweep_completes(run, sweep_home, sweep_deployment,
                                                     process_worker):
    flow, name, dep_id = sweep_deployment
    rc, out, err = in_home(run, sweep_home, "prefect", "flow", "execute", flow,
                           "--param", "repos=alpha,bravo,charlie", "--param", "tag=backend",
                           "--wait", "-o", "json")
    assert rc == 0, (err, process_worker.log_tail())
    doc = json.loads(out)
    assert doc["state_type"] == "COMPLETED"
    assert doc["parameters"]["repos"] == "alpha,bravo,charlie"
