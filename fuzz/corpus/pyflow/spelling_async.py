"""Async flows and tasks: await, .submit and .map."""
import asyncio

from prefect import flow, task


@task
async def download(url: str) -> bytes:
    return url.encode()


@task
def size(data: bytes) -> int:
    return len(data)


@flow
async def fetch_all(urls: list[str] = ["https://example.com"]):
    first = await download(urls[0])
    futures = download.map(urls)
    sizes = size.map(futures)
    total = size.submit(first, wait_for=[sizes])
    await asyncio.sleep(0)
    return total.result()
