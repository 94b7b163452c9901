"""Paragraph ids, headings' ids and the sections they lie in stay exactly as they were.

Review ledgers are keyed by these ids. Each sample paper's draft is assembled twice: with the
AST-based lookup of the build, and with the regex-based one it replaced (tests/pipeline/
legacy_ids.py); ids, their order, sections, subsections, sources and fields must be equal, and
so must the Markdown itself.
"""

from __future__ import annotations

import datetime as dt

import pytest

import briefings.assemble.document as document
from briefings.assemble.reading import read_sections
from briefings.pandoc_ast import parse_markdown
from briefings.pipeline import assemble_paper, gather
from tests.pipeline import legacy_ids

PAPERS = ("2023-tech-regulation", "2024-fairness-bias")
BUILT_AT = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def _assembled(project, paper_id):
    return assemble_paper(gather(project, paper_id), "ids-draft", False, {}, BUILT_AT)


@pytest.mark.parametrize("paper_id", PAPERS)
def test_ids_and_sections_are_those_of_the_regex_based_lookup(project, paper_id, monkeypatch):
    now = _assembled(project, paper_id)
    read: list[str] = []  # the Markdown each AST was read from, for the regex-based lookup

    def reading(markdown, shown):
        read.append(markdown)
        return parse_markdown(markdown, shown)

    def reading_sections(sections, folder):
        read.append("\n".join(sections))
        return read_sections(sections, folder)

    with monkeypatch.context() as legacy:
        legacy.setattr(document, "anchor_prose", legacy_ids.anchor_prose)
        legacy.setattr(document, "parse_markdown", reading)
        legacy.setattr(document, "read_sections", reading_sections)
        legacy.setattr(
            document,
            "_with_sections",
            lambda ast, entries: legacy_ids._with_sections(read[-1], entries),
        )
        before = _assembled(project, paper_id)
    assert len(now.source_map) > 100
    assert list(now.source_map) == list(before.source_map)  # the same ids, in document order
    assert now.source_map == before.source_map  # each in the same section, from the same source
    assert now.markdown == before.markdown
