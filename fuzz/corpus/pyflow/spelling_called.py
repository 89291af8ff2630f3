"""Decorators called with arguments; name= wins over the function name."""
from prefect import flow, task


@task(name="fetch-page", retries=3)
def fetch(url: str):
    return url


@flow(name="crawler", log_prints=True)
def crawl(urls: list[str] = [], depth: int = 1):
    for url in urls:
        fetch(url)
