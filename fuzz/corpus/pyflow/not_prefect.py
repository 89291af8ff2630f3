"""A decorator named flow that is not Prefect's: no flow here."""
from mylib import flow


@flow
def pipeline():
    pass
