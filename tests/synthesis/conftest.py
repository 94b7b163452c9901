"""Fixtures of the synthesis tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_paper(tmp_path):
    from tests.synthesis.synthesis_sources import write_paper

    counter = iter(range(1000))

    def make(interviews, **kwargs):
        return write_paper(tmp_path / f"p{next(counter)}", interviews, **kwargs)

    return make
