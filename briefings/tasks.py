"""Running a pipeline stage as a Prefect task: the one place the flows' task options live.

Imported only by flows/ (it imports Prefect). Results are never persisted, so nothing a stage
returns — sources, findings, Markdown — is written into Prefect's storage, and there are no
Prefect retries: the HTTP layer of the refresh retries requests itself.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

TASK_OPTIONS = dict(cache_policy=NO_CACHE, persist_result=False, log_prints=False, retries=0)


def as_task(name: str, fn, *args, **kwargs):
    """Run `fn(*args, **kwargs)` as a Prefect task named `name` (a `stage` for
    briefings.pipeline)."""
    return task(fn, name=name, **TASK_OPTIONS)(*args, **kwargs)
