"""Integration fixture: a flow that succeeds and returns a value."""
from prefect import flow, get_run_logger


@flow(name="run-ok")
def ok_flow():
    get_run_logger().info("run_ok fixture finished")
    return 42
