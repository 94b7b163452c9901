"""The import contract of pyproject.toml (`lint-imports`, run by CI) covers every module.

A module the layers do not name could import anything: a new module must be given its place.
"""

from __future__ import annotations

import tomllib

from tests.conftest import REPO


def _contracts() -> list[dict]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_every_module_of_the_package_has_a_layer():
    (layers,) = [c["layers"] for c in _contracts() if c["type"] == "layers"]
    placed = {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}
    package = REPO / "briefings"
    modules = {
        f"briefings.{p.stem if p.is_file() else p.name}"
        for p in package.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert modules - placed == set()
    assert placed - modules == set()


def test_no_import_is_exempted_from_the_contract():
    assert all(not c.get("ignore_imports") for c in _contracts())


# Exceptions that never leave the module that raises them, each with where it becomes a
# BriefingError; a failure an editor can see is always a BriefingError.
INTERNAL = {
    # raised inside requests' response hook, so requests unwinds it; Fetcher makes it a FetchError
    "briefings.refresh.limits.TooLarge",
    # raised and caught inside Fetcher.get: the request is retried, then a FetchError
    "briefings.refresh.http._PastDeadline",
}


def test_every_failure_class_is_in_the_one_hierarchy():
    """An exception class of the package derives from BriefingError (the CLI's one-line errors)."""
    import importlib
    import inspect
    import pkgutil

    import briefings
    from briefings.errors import BriefingError

    outside = []
    for info in pkgutil.walk_packages(briefings.__path__, "briefings."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and issubclass(cls, BaseException):
                if not issubclass(cls, BriefingError):
                    outside.append(f"{info.name}.{name}")
    assert sorted(outside) == sorted(INTERNAL)
