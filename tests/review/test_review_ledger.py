"""The ledger file: fingerprints, folding, refusing a damaged ledger without touching it."""

from __future__ import annotations

import pytest

from briefings.errors import ReviewError
from briefings.review import ingest, ledger, list_items
from briefings.review.models import Location, ReviewComment, ReviewedDocx
from tests.review import review_kit as kit


def test_fingerprint_ignores_whitespace_and_unicode_form():
    assert ledger.fingerprint("comment", "Ana", "Cafe\u0301  ok\n") == ledger.fingerprint(
        "comment", "Ana", "Café ok"
    )
    assert ledger.fingerprint("comment", "Ana", "x") != ledger.fingerprint("comment", "Ben", "x")


def test_fold_takes_the_latest_decision():
    records = [
        {"type": "item", "id": "a1", "kind": "comment", "text": "t"},
        {"type": "decision", "item": "a1", "status": "accepted", "note": "n"},
        {"type": "reply", "item": "a1", "id": "r1", "author": "B", "text": "ok"},
        {"type": "reply", "item": "a1", "id": "r1", "author": "B", "text": "ok"},
        {"type": "decision", "item": "a1", "status": "open", "note": None},
        {"type": "decision", "item": "zz", "status": "rejected"},
    ]
    (item,) = ledger.fold(records).values()
    assert (item.status, item.note, len(item.replies)) == ("open", None, 1)


def test_replies_to_replies_join_the_top_thread():
    def c(key, parent=None):
        return ReviewComment(key, "A", "", "", f"c{key}", "", Location(), True, parent=parent)

    doc = ReviewedDocx("x.docx", None, None, [c("1"), c("2", "1"), c("3", "2"), c("4", "4")], [])
    assert [(top.key, [r.key for r in rs]) for top, rs in doc.threads()] == [
        ("1", ["2", "3"]),
        ("4", []),
    ]


@pytest.mark.parametrize("damage", [b'{"type": "item", "id": "x"', b"not json\n", b"[1, 2]\n"])
def test_damaged_ledger_is_refused_and_left_alone(project, draft, tmp_path, damage, ledger_bytes):
    path = ledger.ledger_path(project, kit.PAPER)
    path.write_bytes(damage)
    with pytest.raises(ReviewError):
        ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "r.docx")])
    assert ledger_bytes() == damage


def test_lines_are_whole_json_objects(project, draft, tmp_path):
    ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "r.docx")])
    raw = ledger.ledger_path(project, kit.PAPER).read_bytes()
    assert raw.endswith(b"\n") and all(line.startswith(b"{") for line in raw.splitlines())
    assert len(list_items(project, kit.PAPER)) == 6
