# Three flows, each with a different syntax error.
from prefect import flow


@flow
def first(n: int = 1)
    return n


@flow
def second():
    print "hello"


@flow
def third():
    value = [1, 2]]
    return value
