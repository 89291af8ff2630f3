"""The diamond as a run draws it: extract feeds transform-rows and validate,
both feed load, and notify waits for load through wait_for=. notify waits on
load's future: a plain result (load returns None) would not be tracked by
Prefect, and the run's graph would have no edge for it. fail=True makes load
fail, so that notify never becomes ready."""
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
def load(rows, ok, fail=False):
    if fail:
        raise ValueError("load failed on purpose")
    return len(rows) if ok else 0


@task
def notify():
    print("done")


@flow(name="viz-diamond")
def viz_diamond(source: str = "s3://bucket", fail: bool = False):
    raw = extract(source)
    rows = transform.submit(raw)
    ok = validate.submit(raw)
    done = load.submit(rows, ok=ok, fail=fail)
    notify.submit(wait_for=[done]).result()
