"""Integration fixture: a flow that raises, so its run ends Failed."""
from prefect import flow, get_run_logger


@flow(name="run-fail")
def fail_flow():
    get_run_logger().error("run_fail fixture is about to raise")
    raise RuntimeError("run_fail fixture failed on purpose")
