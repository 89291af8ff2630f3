"""Seed a Prefect server for the benchmarks (bench/run.py).

usage: seed.py API_URL FLOWS DEPLOYMENTS RUNS

Creates FLOWS flows named bench-flow-N, DEPLOYMENTS deployments spread over
them (no schedules, no work pool needed), and RUNS runs scheduled in 2035
spread over the deployments, 100 per bulk request, through the REST API only. Prints one
JSON line: {"flows", "deployments", "runs", "seconds"}. Safe to run again:
names are reused and runs get idempotency keys, so nothing is doubled.
"""
import json
import sys
import time

import httpx


def post(client, path, body):
    for attempt in range(8):
        r = client.post(path, json=body)
        if r.status_code != 503:
            r.raise_for_status()
            return r.json()
        time.sleep(0.2 * (attempt + 1))  # SQLite was busy
    r.raise_for_status()


def seed(api, n_flows, n_deployments, n_runs):
    with httpx.Client(base_url=api, timeout=60) as client:
        flows = [post(client, "/flows/", {"name": f"bench-flow-{i}"})["id"]
                 for i in range(n_flows)]
        deployments = []
        for i in range(n_deployments):
            d = post(client, "/deployments/", {
                "name": f"bench-deployment-{i}", "flow_id": flows[i % n_flows],
                "entrypoint": "bench.py:flow", "parameter_openapi_schema": {}})
            deployments.append(d["id"])
        made = 0
        while made < n_runs:
            dep = deployments[(made // 100) % n_deployments]
            batch = [run_body(k) for k in range(made, min(made + 100, n_runs))]
            create_all(client, dep, batch)
            made += len(batch)
    return len(flows), len(deployments), made


def run_body(k):
    """Run k, scheduled in 2035 (so that the server's late-run service leaves it alone),
    a second apart from the others."""
    when = f"2035-01-{1 + k // 86400:02d}T{k // 3600 % 24:02d}:{k // 60 % 60:02d}:{k % 60:02d}Z"
    return {"name": f"bench-run-{k}", "idempotency_key": f"bench-{k}",
            "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": when}}}


def create_all(client, deployment, batch):
    """Create the batch, sending again what a busy server reports FAILED (the
    idempotency keys make a repeat return the run it has)."""
    for _ in range(20):
        results = post(client, f"/deployments/{deployment}/create_flow_run/bulk",
                       batch)["results"]
        batch = [b for b, r in zip(batch, results) if r["status"] != "CREATED"]
        if not batch:
            return
    raise SystemExit(f"seed: {len(batch)} runs could not be created")


def main():
    api, n_flows, n_deployments, n_runs = sys.argv[1], *map(int, sys.argv[2:5])
    started = time.monotonic()
    flows, deployments, runs = seed(api, n_flows, n_deployments, n_runs)
    print(json.dumps({"flows": flows, "deployments": deployments, "runs": runs,
                      "seconds": round(time.monotonic() - started, 2)}))


if __name__ == "__main__":
    main()
