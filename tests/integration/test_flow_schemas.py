"""Deployments with the parameter schema Prefect writes: required parameters
left to each run (and given by Prefect's own `prefect deployment run
--param`), values of the wrong item type refused at submit time by deploy,
flow execute and schedule create, re-deploys that merge over the stored
parameters and keep a Prefect-made schema, and, with the Python configured,
exactly Prefect's parameter_schema for every flow of the schema corpus."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mv_helpers import check_error, unique

from prefect import Flow
from prefect.utilities.callables import parameter_schema

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def prefect_flows(path):
    """{attribute: Flow} of a flow file, loaded as `prefect deploy` loads it."""
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"schemas_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return {k: v for k, v in vars(module).items() if isinstance(v, Flow)}


def prefect_schema(path, attr):
    return parameter_schema(prefect_flows(path)[attr]).model_dump_for_openapi()


@pytest.fixture
def pool(rest):
    name = unique("spool")
    yield name
    rest.call("DELETE", f"/work_pools/{name}", ok=(204, 404))


@pytest.fixture
def code(tmp_path, scratch):
    """A flow with a required parameter and typed items."""
    name = scratch.track(unique("typed"))
    path = tmp_path / "typed.py"
    path.write_text(
        "from prefect import flow\n\n\n"
        f"@flow(name={name!r})\n"
        "def typed(msg: str, nums: list[int] = [1], tags: list[str] | None = None, n: int = 1):\n"
        '    """Args:\n        msg: what to say\n    """\n')
    return name, path


def deploy(run, *args, env=None):
    rc, out, err = run("prefect", "deploy", *args, "-o", "json", env=env)
    assert rc == 0, err
    return json.loads(out), err


def test_required_parameter_left_to_each_run(run, rest, code, pool, prefect_server):
    name, path = code
    dep, _ = deploy(run, name, "--name", "d", "--entrypoint", f"{path}:typed",
                    "--work-pool", pool, "--create-pool", "--paused")
    assert dep["parameters"] == {}
    assert dep["parameter_openapi_schema"] == prefect_schema(path, "typed")
    assert dep["parameter_openapi_schema"]["required"] == ["msg"]

    # Prefect's own CLI gives the value per run; null is taken for the Optional list
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_API_URL"] = prefect_server.api_url
    env["PREFECT_HOME"] = str(run.home / ".prefect")
    proc = subprocess.run(
        [sys.executable, "-m", "prefect", "deployment", "run", f"{name}/d", "--param", "msg=hi",
         "--param", "tags=null", "--param", "n=3"],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    runs = rest.call("POST", "/flow_runs/filter",
                     {"deployments": {"id": {"any_": [dep["id"]]}}})
    assert [r["parameters"] for r in runs] == [{"msg": "hi", "tags": None, "n": 3}]


def test_wrong_item_types_are_refused_at_submit_time(run, rest, code, pool):
    name, path = code
    entry = f"{path}:typed"
    rc, out, err = run("prefect", "deploy", name, "--name", "d", "--entrypoint", entry,
                       "--work-pool", pool, "--create-pool", "--param", 'nums=["a","b"]')
    assert rc == 1 and out == ""
    check_error(err, contains=("parameter 'nums', item 0", '"a" is not an integer'))
    assert rest.raw("GET", f"/work_pools/{pool}")[0] == 404  # nothing was made

    deploy(run, name, "--name", "d", "--entrypoint", entry, "--work-pool", pool,
           "--create-pool", "--paused")
    for cmd in (["prefect", "flow", "execute", name, "--deployment", "d"],
                ["prefect", "schedule", "create", name, "--type", "interval", "--interval",
                 "3600", "--param", "msg=x"]):
        rc, out, err = run(*cmd, "--param", 'nums=[1,"b"]')
        assert rc == 1, (cmd, err)
        check_error(err, contains=("parameter 'nums', item 1",))
    # an integral float is an int, as pydantic's lax mode takes it
    dep, _ = deploy(run, name, "--name", "d", "--param", "n=3.0")
    assert dep["parameters"] == {"n": 3.0}


def test_a_redeploy_merges_and_keeps_a_prefect_made_schema(run, rest, code, pool):
    name, path = code
    dep, _ = deploy(run, name, "--name", "d", "--entrypoint", f"{path}:typed",
                    "--work-pool", pool, "--create-pool", "--paused",
                    "--param", "msg=a", "--param", "n=2")
    assert dep["parameters"] == {"msg": "a", "n": 2}
    dep, _ = deploy(run, name, "--name", "d", "--param", "n=5")
    assert dep["parameters"] == {"msg": "a", "n": 5}

    # a schema Prefect wrote (here: one with a marker) stays unless the code is given again
    made = dict(dep["parameter_openapi_schema"], description="made by prefect deploy")
    rest.call("PATCH", f"/deployments/{dep['id']}", {"parameter_openapi_schema": made})
    dep, _ = deploy(run, name, "--name", "d", "--tags", "x")
    assert dep["parameter_openapi_schema"] == made
    dep, _ = deploy(run, name, "--name", "d", "--entrypoint", f"{path}:typed")
    assert dep["parameter_openapi_schema"] == prefect_schema(path, "typed")
    assert dep["parameters"] == {"msg": "a", "n": 5}


def test_inexact_schema_asks_the_configured_python_or_warns(run, rest, tmp_path, scratch, pool):
    name = scratch.track(unique("inexact"))
    path = tmp_path / "inexact.py"
    path.write_text(
        "from prefect import flow\nfrom prefect.client.schemas.objects import StateType\n\n\n"
        f"@flow(name={name!r})\n"
        "def main(state: StateType = StateType.COMPLETED, n: int = 1):\n    pass\n")
    args = (name, "--name", "d", "--entrypoint", f"{path}:main", "--work-pool", pool,
            "--create-pool", "--paused")
    dep, err = deploy(run, *args, env={"MAHAVISHNU_PYTHON": sys.executable})
    assert dep["parameter_openapi_schema"] == prefect_schema(path, "main")
    assert "warning" not in err

    dep, err = deploy(run, *args, env={"MAHAVISHNU_PYTHON": str(tmp_path / "no-python")})
    assert err.count("\n") == 1 and "warning" in err and "'state'" in err and "'n'" not in err
    # a re-deploy that does not give the code again writes no schema: nothing to warn about
    dep, err = deploy(run, name, "--name", "d", "--param", "n=4",
                      env={"MAHAVISHNU_PYTHON": str(tmp_path / "no-python")})
    assert err == "" and dep["parameters"] == {"n": 4}


def corpus_flows():
    """(file, attribute, Prefect name) of the corpus's flows whose name and schema do not
    depend on the importing process."""
    out = []
    for path in sorted(CORPUS.glob("*.py")):
        for attr, flow in prefect_flows(path).items():
            # 38: a name made of the process id; 40: a default read from $HOME
            if not path.name.startswith(("38_", "40_")):
                out.append((path, attr, flow.name))
    return out


def test_the_corpus_deploys_with_prefects_schema(run, rest, scratch, pool):
    flows = corpus_flows()
    assert len(flows) >= 50
    env = {"MAHAVISHNU_PYTHON": sys.executable}
    for i, (path, attr, flow_name) in enumerate(flows):
        scratch.track(flow_name)
        dep, _ = deploy(run, flow_name, "--name", f"corpus-{i}", "--entrypoint", f"{path}:{attr}",
                        "--work-pool", pool, "--create-pool", "--paused", env=env)
        assert dep["parameter_openapi_schema"] == prefect_schema(path, attr), (path.name, attr)


FORMS = '''import prefect
from prefect import flow as fl, task


@task
def double(x: int) -> int:
    return x * 2


def body(n: int = 1):
    double(n)


wrapped = fl(name={wrapped!r})(body)
base = prefect.flow(body)
variant = base.with_options(name={variant!r})


def factory(label):
    @fl(name=f"{{label}}")
    def made(n: int = 2):
        double(n)

    return made


built = factory({built!r})
'''


def test_every_flow_form_is_validated_run_and_drawn(run, rest, runs, scratch, tmp_path):
    from conftest import local_prefect_env

    names = {k: scratch.track(unique(k)) for k in ("wrapped", "variant", "built")}
    path = tmp_path / "forms.py"
    path.write_text(FORMS.format(**names))
    env = local_prefect_env(run.base / "state")
    rc, out, err = run("prefect", "flow", "validate", path, "-o", "json", env=env)
    assert rc == 0, err
    found = {f["function"]: f["name"] for f in json.loads(out)["flows"]}
    assert found == {"wrapped": names["wrapped"], "base": "body", "variant": names["variant"],
                     "built": names["built"]}
    for attr in ("variant", "built"):
        # run locally from the registry entry that validate recorded
        rc, out, err = run("prefect", "flow", "execute", names[attr], "--wait", "--param",
                           "n=3", "-o", "json", env=env, timeout=180)
        assert rc == 0, (attr, out, err)
        assert json.loads(out)["parameters"] == {"n": 3}
    # a flow with no run is drawn from its code
    rest.create_flow(names["wrapped"])
    rc, out, err = run("prefect", "visualize", names["wrapped"], env=env)
    assert rc == 0, err
    assert "static" in out and "double" in out
