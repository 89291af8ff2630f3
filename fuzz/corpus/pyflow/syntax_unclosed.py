# A flow whose call to a task never closes its parenthesis.
from prefect import flow, task


@task
def add(a: int, b: int) -> int:
    return a + b


@flow
def broken(x: int = 1):
    total = add(x, 2
    return total
