"""Valid to static analysis, but importing it fails."""
from prefect import flow

import module_that_does_not_exist  # noqa: F401


@flow
def cannot_import(n: int = 1):
    pass
