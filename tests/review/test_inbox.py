"""The review inbox: returned drafts dropped in a folder are ingested once and filed away."""

from __future__ import annotations

import os
import time

import pytest

from briefings.cli import main
from briefings.errors import ReviewError
from briefings.review import list_items
from briefings.review.inbox import INBOX_ENV, inbox_root
from tests.review import review_kit as kit


def _settled(path):
    """As if copied a minute ago (files changed in the last seconds may still be copying)."""
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def test_every_new_draft_is_ingested_and_moved_with_its_outcome(project, draft, inbox, capsys):
    _settled(kit.reviewed(draft, inbox / "from Alex.docx"))
    (inbox / "broken.docx").write_bytes(b"not a zip")
    _settled(inbox / "broken.docx")
    (inbox / "~$om Alex.docx").write_bytes(b"Word's lock file")
    _settled(inbox / "~$om Alex.docx")
    kit.reviewed(draft, inbox / "still-copying.docx")  # changed just now: left for next time

    assert main(["--root", str(project.root), "review", "ingest", kit.PAPER]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{kit.PAPER}: from Alex.docx: 1 file(s), 6 new item(s), 0 already in the ledger, "
        "1 new reply"
    ]
    [refused] = err.splitlines()
    assert refused.startswith(f"error: {inbox / 'broken.docx'}: refused: broken.docx: ")
    assert len(list_items(project, kit.PAPER)) == 6

    left = sorted(p.name for p in inbox.iterdir())
    assert left == ["processed", "still-copying.docx", "~$om Alex.docx"]
    # Each name starts with the second it was filed in (the two may differ): sorted without.
    processed = {p.name[17:]: p for p in (inbox / "processed").iterdir()}
    assert sorted(processed) == [
        "ingested-from Alex.docx",
        "ingested-from Alex.docx.txt",
        "refused-broken.docx",
        "refused-broken.docx.txt",
    ]
    outcome = processed["ingested-from Alex.docx.txt"].read_text(encoding="utf-8")
    assert "6 new item(s)" in outcome
    assert processed["refused-broken.docx"].read_bytes() == b"not a zip"  # kept as it was

    assert main(["--root", str(project.root), "review", "ingest", kit.PAPER]) == 0
    assert capsys.readouterr().out == f"{kit.PAPER}: nothing new in {inbox}\n"


def test_an_inbox_inside_the_repository_is_refused(project, tmp_path, monkeypatch):
    (tmp_path / "clone" / ".git").mkdir(parents=True)
    for inside in (tmp_path / "clone" / "inbox", project.root / "review-inbox"):
        monkeypatch.setenv(INBOX_ENV, str(inside))
        with pytest.raises(ReviewError, match="must never be committed"):
            inbox_root(project)
