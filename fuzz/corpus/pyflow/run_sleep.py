"""Integration fixture: sleeps, for --timeout and cancellation tests."""
import time

from prefect import flow, get_run_logger


@flow(name="run-sleep")
def sleep_flow(seconds: int = 60):
    get_run_logger().info("sleeping %d s", seconds)
    time.sleep(seconds)
    return seconds


def not_a_flow():
    """A plain function: deploying it must be refused."""
    return 1
