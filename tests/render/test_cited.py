"""citeproc's kept work gives exactly what citeproc gives, and is used only where it may be."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from briefings import cache
from briefings.errors import ConfidentialityError
from briefings.pipeline import BuildRequest, assemble_paper, build_paper, gather
from briefings.render import cited
from briefings.render.citations import resolve
from briefings.render.options import paper_render_options

BUILT_AT = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
PAPERS = ["2023-tech-regulation", "2024-fairness-bias"]


def _resolved(
    project, paper_id, tmp_path, deferred, edition_id="cited-draft", built_at=BUILT_AT
) -> dict:
    sources = gather(project, paper_id)
    assembled = assemble_paper(sources, edition_id, False, {}, built_at)
    options = paper_render_options(sources, False, built_at)
    work = tmp_path / f"work-{len(list(tmp_path.iterdir()))}"
    work.mkdir()
    parsed = (assembled.body_ast, assembled.parse_warnings)
    ast, warnings = resolve(
        assembled.markdown, options, paper_id, work, assembled, parsed, deferred
    )
    assert warnings == []
    return ast


def _made(deferred: cache.Deferred, project) -> int:
    """How many new entries the render made (none: it used a kept one), now written."""
    folder = project.cache / cited.FOLDER
    before = len(list(folder.iterdir())) if folder.exists() else 0
    deferred.keep()
    return len(list(folder.iterdir())) - before


def _edit(project, paper_id: str, change) -> None:
    prose = project.sources / paper_id / "sections" / "introduction.md"
    prose.write_text(change(prose.read_text(encoding="utf-8")), encoding="utf-8")


def _sentence_after_first_citation(text: str) -> str:
    """A sentence added after the first citation's sentence (the benchmark's kind of edit),
    in a paragraph that holds citations."""
    at = text.index(".", text.index("]", text.index("[@"))) + 1
    return text[:at] + " An editor's new sentence." + text[at:]


@pytest.mark.parametrize("paper_id", PAPERS)
def test_an_edit_beside_citations_uses_the_kept_work_and_reads_the_same(
    project, paper_id, tmp_path
):
    first = cache.Deferred()
    _resolved(project, paper_id, tmp_path, first)
    assert not (project.cache / cited.FOLDER).exists()  # nothing written before the gate
    assert _made(first, project) == 1
    _edit(project, paper_id, _sentence_after_first_citation)
    again = cache.Deferred()
    # A later build (its own edition id and date) after the edit: the kept entry stands in.
    later = {"edition_id": "cited-draft-2", "built_at": BUILT_AT + dt.timedelta(days=40)}
    kept = _resolved(project, paper_id, tmp_path, again, **later)
    assert _made(again, project) == 0
    assert '"sentence."' in json.dumps(kept) and "cited-draft-2" in json.dumps(kept)
    assert kept == _resolved(project, paper_id, tmp_path, None, **later)


@pytest.mark.parametrize(
    "change",
    [
        # a citation added
        lambda t: t.replace("[@", "[@reg-2016-679; @", 1),
        # a locator
        lambda t: re.sub(r"\[@([\w-]+)\]", r"[@\1, p. 4]", t, count=1),
        # the words right after a citation
        lambda t: t.replace("].", "] and more.", 1),
        # a citation moved into a footnote
        lambda t: re.sub(r" (\[@[\w-]+\])", r"^[As cited \1.]", t, count=1),
    ],
    ids=["added", "locator", "neighbour", "into-a-note"],
)
def test_a_change_citeproc_could_read_differently_runs_citeproc(project, change, tmp_path):
    paper_id = PAPERS[0]
    first = cache.Deferred()
    _resolved(project, paper_id, tmp_path, first)
    assert _made(first, project) == 1
    _edit(project, paper_id, change)
    again = cache.Deferred()
    ast = _resolved(project, paper_id, tmp_path, again)
    assert _made(again, project) == 1  # citeproc ran, and its work is kept under a new name
    assert ast == _resolved(project, paper_id, tmp_path, None)


def test_an_entry_that_does_not_fit_is_not_used(project, tmp_path):
    paper_id = PAPERS[0]
    first = cache.Deferred()
    _resolved(project, paper_id, tmp_path, first)
    first.keep()
    (entry,) = (project.cache / cited.FOLDER).iterdir()
    cache.write(
        (project.cache / cited.FOLDER), entry.name, b"[]"
    )  # a whole entry, for another document
    again = cache.Deferred()
    ast = _resolved(project, paper_id, tmp_path, again)
    assert ast == _resolved(project, paper_id, tmp_path, None)
    assert _made(again, project) == 0  # same name: rewritten with citeproc's own work
    assert cache.read(entry.parent, entry.name) != b"[]"


def test_a_build_the_gate_stops_keeps_no_citation_work(project):
    """A roster name in the bibliography reaches the editions only through citeproc: the gate
    stops the build, and citeproc's output is not kept."""
    references = project.sources / "references.yaml"
    text = references.read_text(encoding="utf-8")
    references.write_text(
        text.replace("publisher: United Nations", "publisher: Lumatrix Nordic", 1), "utf-8"
    )
    with pytest.raises(ConfidentialityError):
        build_paper(project, BuildRequest(PAPERS[0], formats=("html",)))
    assert not (project.cache / cited.FOLDER).exists()
