"""Decorators reached through the module: @prefect.flow, @prefect.task(...)."""
import prefect


@prefect.task(retries=1)
def ping(host):
    return host


@prefect.flow
def monitor(hosts: list = ["a", "b"]):
    ping.map(hosts)


@prefect.flow(name="monitor-once")
def monitor_one(host: str):
    ping(host)
