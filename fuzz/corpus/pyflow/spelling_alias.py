"""Aliases: from prefect import flow as f, import prefect as p, submodules."""
from prefect import flow as f, task as t
import prefect as p
from prefect.flows import flow as subflow_decorator
from prefect.tasks import task as old_task


@t
def first():
    return 1


@old_task(name="second-step")
def second(x):
    return x


@p.task
def third(x):
    return x


@subflow_decorator
def child(x: int):
    return third(x)


@f
def parent(flag: bool = True):
    a = first()
    b = second(a)
    child(b)


@p.flow(name="aliased-parent")
def other_parent():
    first()
