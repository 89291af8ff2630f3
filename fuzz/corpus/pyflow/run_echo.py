"""Integration fixture: logs its parameters as one JSON line (with their
Python type names) and returns them."""
import json

from prefect import flow, get_run_logger


@flow(name="run-echo")
def echo(env: str = "dev", retries: int = 1, batch_date: str = ""):
    params = {"env": env, "retries": retries, "batch_date": batch_date}
    types = {k: type(v).__name__ for k, v in params.items()}
    get_run_logger().info("ECHO " + json.dumps({"params": params, "types": types},
                                               sort_keys=True))
    return params
