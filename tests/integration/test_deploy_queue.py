"""deploy --work-queue, and a re-deploy that keeps the queue (Prefect moves a
deployment to its pool's default queue when an update names the pool alone);
pools that mahavishnu creates get the base job template the server's worker
metadata gives their type, as `prefect work-pool create` does."""

import json

import pytest

from mv_helpers import check_error, unique


@pytest.fixture
def code(tmp_path, scratch):
    name = unique("queued")
    scratch.track(name)
    path = tmp_path / "queued.py"
    path.write_text(f"from prefect import flow\n\n@flow(name={name!r})\ndef main():\n    pass\n")
    return name, f"{path}:main"


@pytest.fixture
def pool(rest):
    name = unique("qpool")
    yield name
    rest.call("DELETE", f"/work_pools/{name}", ok=(204, 404))


def deploy(run, *args):
    rc, out, err = run("prefect", "deploy", *args, "-o", "json")
    assert rc == 0, err
    return json.loads(out)


def test_a_queue_is_chosen_and_kept(run, rest, code, pool):
    flow, entrypoint = code
    dep = deploy(run, flow, "--name", "d", "--entrypoint", entrypoint, "--work-pool", pool,
                 "--create-pool", "--work-queue", "nightly")
    assert dep["work_pool_name"] == pool and dep["work_queue_name"] == "nightly"
    queues = rest.call("POST", f"/work_pools/{pool}/queues/filter", {})
    assert sorted(q["name"] for q in queues) == ["default", "nightly"]

    # naming the same pool again, or no pool, keeps the queue
    for again in (["--work-pool", pool], []):
        dep = deploy(run, flow, "--name", "d", *again, "--tags", "x")
        assert dep["work_queue_name"] == "nightly", again
    # a queue named alone goes with the deployment's pool
    dep = deploy(run, flow, "--name", "d", "--work-queue", "urgent")
    assert dep["work_pool_name"] == pool and dep["work_queue_name"] == "urgent"

    rc, out, err = run("prefect", "deployments", "get", f"{flow}/d")
    assert rc == 0 and "urgent" in out


def test_without_a_queue_a_new_deployment_uses_the_default(run, rest, code, pool):
    flow, entrypoint = code
    dep = deploy(run, flow, "--name", "d", "--entrypoint", entrypoint, "--work-pool", pool,
                 "--create-pool")
    assert dep["work_queue_name"] == "default"


def test_bad_queue_name_is_refused_before_anything(run, rest, code, pool):
    flow, entrypoint = code
    rc, out, err = run("prefect", "deploy", flow, "--name", "d", "--entrypoint", entrypoint,
                       "--work-pool", pool, "--create-pool", "--work-queue", "a/b")
    assert rc == 2 and out == ""
    check_error(err, contains=("--work-queue", "'a/b'"))
    assert rest.raw("GET", f"/work_pools/{pool}")[0] == 404


def test_created_pools_get_the_workers_default_template(run, rest, pool):
    rc, out, err = run("prefect", "work-pools", "create", pool, "-o", "json")
    assert rc == 0, err
    meta = rest.call("GET", "/collections/views/aggregate-worker-metadata")
    expected = meta["prefect"]["process"]["default_base_job_configuration"]
    made = rest.call("GET", f"/work_pools/{pool}")
    assert made["base_job_template"] == expected
    assert made["base_job_template"]["job_configuration"]["command"] == "{{ command }}"
