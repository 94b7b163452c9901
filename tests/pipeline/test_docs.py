"""The documentation matches the code: CLI help in the README, template variables, source fields."""

from __future__ import annotations

import re

from briefings.cli_docs import END, START, render
from briefings.sources import models
from tests.conftest import REPO


def test_readme_command_reference_is_the_real_help():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(START) : readme.index(END) + len(END)]
    assert block == render(), (
        "README command reference is stale: run `python -m briefings.cli_docs README.md`"
    )


def test_every_source_field_is_documented():
    doc = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    for model in (
        models.RegulationEntry,
        models.Paper,
        models.Recommendation,
        models.Interview,
        models.Theme,
    ):
        for name in model.model_fields:
            assert f"`{name}`" in doc or re.search(rf"\b{name}\b", doc), (
                f"{model.__name__}.{name} is not in docs/sources.md"
            )


def test_every_prose_variable_is_documented():
    doc = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    used, loop_names = set(), set()
    for path in (REPO / "paper_sources").glob("*/sections/*.md"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)?)", text))
        loop_names |= set(re.findall(r"\{%-?\s*for\s+([a-z_]+)\s+in\b", text))
    for name in used:
        top, _, attr = name.partition(".")
        if top in loop_names:
            continue  # bound by a `{% for %}` over a documented variable
        if top == "paper" and attr:
            assert attr in models.Paper.model_fields  # `paper` is documented as paper.yaml's fields
            continue
        assert f"`{name}`" in doc, f"prose variable {name} is not documented in docs/sources.md"


def test_every_refresh_setting_and_environment_variable_is_documented():
    from briefings.refresh.config import ENV_VARS, RefreshConfig

    doc = (REPO / "docs" / "refresh.md").read_text(encoding="utf-8")
    for name in RefreshConfig.model_fields:
        assert f"`{name}`" in doc or f"\n{name}:" in doc, (
            f"refresh.yaml key {name} is not documented in docs/refresh.md"
        )
    for var in ENV_VARS.values():
        assert var in doc


def test_every_value_of_the_source_value_lists_is_documented():
    """The Literals of briefings.sources.models are the one definition; docs/sources.md lists
    them."""
    from typing import get_args

    doc = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    section_line = next(ln for ln in doc.splitlines() if ln.startswith("| `sections` |"))
    assert ", ".join(models.SECTIONS) in section_line
    for values in (models.InstrumentType, models.Audience, models.TrackingSource):
        for value in get_args(values):
            assert f"`{value}`" in doc, f"{value} is not in docs/sources.md"


def test_the_readme_names_every_error_class_and_every_subpackage():
    import inspect

    from briefings import errors

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, errors.BriefingError) and cls is not errors.BriefingError:
            assert f"`{name}`" in readme, f"{name} missing from the README's error hierarchy"
    for package in (REPO / "briefings").iterdir():
        if (package / "__init__.py").is_file():
            assert f"`briefings/{package.name}/`" in readme, (
                f"briefings/{package.name}/ not in Layout"
            )


def test_review_docs_say_the_ledger_is_redacted_with_the_codes_marker():
    from briefings.review.redact import WITHHELD

    doc = (REPO / "docs" / "review.md").read_text(encoding="utf-8")
    assert f"`{WITHHELD}`" in doc and "outside the ledger" not in doc


def test_security_settings_are_documented():
    from briefings.programs import DEADLINE_ENV

    for doc in ("README.md", "docs/sources.md"):
        assert DEADLINE_ENV in (REPO / doc).read_text(encoding="utf-8"), doc
