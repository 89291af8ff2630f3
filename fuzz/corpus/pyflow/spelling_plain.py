"""Decorators imported by name: @flow and @task without arguments."""
from prefect import flow, task


@task
def say(word: str) -> str:
    return word


@flow
def hello_world(name: str = "world"):
    say(name)
