"""Task names that Mermaid and DOT give a meaning to, or that a terminal
would act on: quotes, brackets, markup, an entity, a keyword, a newline and
an escape sequence. Each task feeds the next (through futures, which
Prefect tracks; a plain small integer would not be)."""
from prefect import flow, task


@task(name='say "hi" [x] {y} (z) <b>#1</b> & `q` \\ |p|')
def quoted():
    return 1


@task(name="end")
def keyword(value):
    return value + 1


@task(name="line\nbreak \x1b[31mred\x1b[0m")
def control(value):
    return value + 1


@flow(name="viz-hostile")
def viz_hostile():
    first = quoted.submit()
    second = keyword.submit(first)
    control.submit(second).result()
