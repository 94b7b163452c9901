"""Paragraph ids, headings' ids and the sections they lie in stay exactly as they were.

Review ledgers are keyed by these ids: the golden files hold the source maps of both sample
papers' drafts as assembled before ids and section lookup moved onto pandoc's AST.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO
from tests.pipeline.source_map_golden import PAPERS, golden_path, source_map


@pytest.mark.parametrize("paper_id", PAPERS)
def test_the_source_map_of_each_sample_draft_is_unchanged(paper_id):
    expected = json.loads(golden_path(paper_id).read_text(encoding="utf-8"))
    actual = source_map(REPO, paper_id)
    assert list(actual) == list(expected)  # the same ids, in document order
    assert actual == expected  # with the same section, subsection, source and field
