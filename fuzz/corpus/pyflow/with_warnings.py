"""Valid, with warnings: a bare parameter and a task never called."""
from prefect import flow, task


@task
def used(x):
    return x


@task
def unused():
    return 0


@flow
def with_warnings(x, y: int, z=3, *args, **kwargs):
    used(x)
