import prefect as p
from prefect import task as t, flow as f


@t
async def fetch(url: str) -> bytes:
    return b""


@f(name=NAME)
async def sub(url):
    return await fetch(url)


@p.flow
async def main(urls=("a", "b")):
    results = [await sub(u) for u in urls]
    data = {k: fetch.submit(k) for k in urls}
    with open("x") as fh:
        lambda q: fetch(q)
    try:
        r = await fetch(results[0])
    except Exception as e:
        r = fetch(e, wait_for=[data["a"], results])
    finally:
        pass
    match r:
        case {"k": v}:
            fetch(v)
    return r
