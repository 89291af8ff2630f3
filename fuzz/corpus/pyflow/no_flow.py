"""Tasks, but no flow."""
from prefect import task


@task
def lonely():
    return 1
