"""The Prefect flows: wiring only, each a table of contents of its run.

They are part of the installed package: `prefect.yaml` names them by module path
(`briefings.flows.build.build_paper`) and a worker imports them in the project's folder (the
deployment's pull step changes into it), so no checkout is needed. A flow module belongs to one
project (its run form lists that project's papers); code that serves several projects — the
CLI's tracked build, the tests — loads each project's copy with `load_flow`.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..project import ROOT_ENV, Project

if TYPE_CHECKING:
    from collections.abc import Iterator

    from prefect import Flow

FLOW_MODULES = ("build", "refresh", "review")


def load_flow(project: Project, module: str, name: str) -> Flow[Any, Any]:
    """The flow `name` of briefings/flows/<module>.py, loaded for `project` by Prefect's loader."""
    import cloudpickle
    from prefect.flows import load_flow_from_entrypoint

    path = Path(__file__).with_name(f"{module}.py")
    with _root(project):
        loaded: Flow[Any, Any] = load_flow_from_entrypoint(
            f"{path}:{name}", use_placeholder_flow=False
        )
    # The copy's module has a name no other process can import: a task runner's worker process
    # receives the flow (in its run context) by value.
    cloudpickle.register_pickle_by_value(sys.modules[loaded.fn.__module__])
    return loaded


@contextmanager
def _root(project: Project) -> Iterator[None]:
    """$BRIEFINGS_ROOT names `project` while a flow module loads (it locates its project then)."""
    previous = os.environ.get(ROOT_ENV)
    os.environ[ROOT_ENV] = str(project.root)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ROOT_ENV, None)
        else:
            os.environ[ROOT_ENV] = previous
