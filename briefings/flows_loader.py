"""Import a flow from the project's flows/ folder (it is not part of the installed package)."""

from __future__ import annotations

import importlib.util
import sys

from .errors import BriefingError
from .project import Project


def load_flow(project: Project, module: str, name: str):
    path = project.root / "flows" / f"{module}.py"
    if not path.is_file():
        raise BriefingError(f"{project.relative(path)}: flow module missing")
    key = f"briefings_flows_{module}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[key] = mod
        spec.loader.exec_module(mod)
    return getattr(sys.modules[key], name)
