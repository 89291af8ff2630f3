from prefect import flow, task


@task
def a(x):
    return x + 1


@task(name="b-task", retries=2)
def b(y):
    return y * 2


@flow(name="loops", log_prints=True)
def loops(n: int = 3, *args, items: list = [], **kwargs):
    x = 0
    for i in range(n):
        y = a(x)
        x = b.submit(y, wait_for=[y])
    futures = a.map(items)
    while x:
        x = a.with_options(name="again")(x)
    return [f.result() for f in futures]


if __name__ == "__main__":
    loops()
