"""Import a flow from a project's flows/ folder (it is not part of the installed package).

A flow module belongs to the project it was loaded from (its run form lists that project's
papers), so each project gets its own copy of the module, loaded with $BRIEFINGS_ROOT naming it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys

from .errors import BriefingError
from .project import ROOT_ENV, Project


def load_flow(project: Project, module: str, name: str):
    path = project.root / "flows" / f"{module}.py"
    if not path.is_file():
        raise BriefingError(f"{project.relative(path)}: flow module missing")
    digest = hashlib.sha1(str(project.root.resolve()).encode()).hexdigest()[:12]
    key = f"briefings_flows_{module}_{digest}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[key] = mod  # before it runs: pydantic resolves the flows' hints through it
        previous = os.environ.get(ROOT_ENV)
        os.environ[ROOT_ENV] = str(project.root)
        try:
            spec.loader.exec_module(mod)
        except BaseException:
            del sys.modules[key]
            raise
        finally:
            if previous is None:
                os.environ.pop(ROOT_ENV, None)
            else:
                os.environ[ROOT_ENV] = previous
    return getattr(sys.modules[key], name)
