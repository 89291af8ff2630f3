"""A diamond: extract feeds transform and validate; both feed load."""
from prefect import flow, task


@task
def extract(source: str) -> list:
    return [1, 2, 3]


@task(name="transform-rows")
def transform(rows):
    return [r * 2 for r in rows]


@task
def validate(rows):
    return all(r > 0 for r in rows)


@task
def load(rows, ok):
    print(rows, ok)


@task
def notify():
    print("done")


@flow(name="diamond-etl")
def diamond(source: str = "s3://bucket", limit: int = 10, dry_run=False):
    raw = extract(source)
    rows = transform.submit(raw)
    ok = validate.submit(raw)
    done = load(rows.result(), ok=ok)
    notify(wait_for=[done])
