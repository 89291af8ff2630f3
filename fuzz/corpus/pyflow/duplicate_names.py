"""Two flows with one name: the second takes the first's derived name."""
from prefect import flow


@flow
def daily_report():
    pass


@flow(name="daily-report")
def another_report():
    pass
