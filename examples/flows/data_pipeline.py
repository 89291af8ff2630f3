"""The demo flow of the README: a small extract-transform-load pipeline.

`scripts/demo` validates this file, runs it on this machine, deploys it to a
process work pool and runs it again through a worker, all with mahavishnu.
"""
from prefect import flow, get_run_logger, task


@task
def extract(batch_date: str) -> list[dict]:
    return [{"id": n, "date": batch_date, "amount": n * 10} for n in range(1, 6)]


@task
def transform(rows: list[dict]) -> list[dict]:
    return [dict(row, amount=row["amount"] * 2) for row in rows]


@task
def load(rows: list[dict], env: str) -> int:
    get_run_logger().info("loaded %d rows into %s", len(rows), env)
    return len(rows)


@flow(name="data-pipeline")
def data_pipeline(env: str = "dev", batch_date: str = "2024-01-01") -> int:
    rows = extract(batch_date)
    return load(transform(rows), env)
