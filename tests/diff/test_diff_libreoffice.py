"""A real client: LibreOffice opens the DOCX redline, lists its tracked changes, and *accept
all* gives the NEW edition's text while *reject all* gives the OLD edition's."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from briefings.cli import main
from tests.conftest import SYSTEM_PYTHON
from tests.diff.conftest import PAPER

pytestmark = pytest.mark.libreoffice
HELPER = Path(__file__).with_name("lo_redline.py")


def test_accept_all_gives_new_and_reject_all_gives_old(two_editions, libreoffice, capsys):
    project, old, new = two_editions
    assert main(["--root", str(project.root), "diff", PAPER]) == 0
    capsys.readouterr()
    editions = project.outputs / PAPER
    redline = editions / "changes" / f"{old}..{new}" / f"{PAPER}-redline.docx"
    files = [redline, editions / old / f"{PAPER}.docx", editions / new / f"{PAPER}.docx"]
    run = subprocess.run(
        [SYSTEM_PYTHON, str(HELPER), libreoffice, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    red, old_doc, new_doc = (seen[str(f)] for f in files)
    assert old_doc["changes"] == new_doc["changes"] == 0
    # prose words, a removed paragraph, a reworded and a moved recommendation, a summary,
    # a status paragraph and a status table cell: each at least one tracked change
    assert red["changes"] >= 7
    assert red["left_after_accept"] == red["left_after_reject"] == 0
    assert red["accepted"] == new_doc["text"]
    assert red["rejected"] == old_doc["text"]


def test_a_redline_comes_back_like_a_draft(two_editions, libreoffice, capsys, tmp_path):
    """A reviewer comments on the redline in LibreOffice; ingest reads it as a copy of NEW:
    the reviewer's comments are items, traced to their places; the redline's own tracked
    changes are not."""
    from briefings.review import ingest, list_items
    from tests.review.libreoffice import annotate

    project, old, new = two_editions
    assert main(["--root", str(project.root), "diff", PAPER]) == 0
    capsys.readouterr()
    redline = project.outputs / PAPER / "changes" / f"{old}..{new}" / f"{PAPER}-redline.docx"
    returned = tmp_path / "redline-reviewed.docx"
    notes = [
        {"find": "quickly", "text": "Is 'quickly' fair?", "author": "Rev One", "initials": "R1"},
        {"find": "fraudulent", "text": "Which frauds?", "author": "Rev One", "initials": "R1"},
    ]
    annotate(libreoffice, redline, returned, notes)
    report = ingest(project, PAPER, [returned])
    assert report is not None
    items = list_items(project, PAPER)
    assert sorted(i.text for i in items) == ["Is 'quickly' fair?", "Which frauds?"]
    assert {i.kind for i in items} == {"comment"} and {i.edition for i in items} == {new}
    by_text = {i.text: i for i in items}
    assert by_text["Is 'quickly' fair?"].section_id == "introduction"
    assert by_text["Is 'quickly' fair?"].source == (
        f"paper_sources/{PAPER}/sections/introduction.md"
    )
    assert by_text["Which frauds?"].section_id == "regulatory-context"
    assert by_text["Which frauds?"].source == "paper_sources/regulations/uk-osa.yaml"
