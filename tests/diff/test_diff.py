"""`briefings diff`: what changed between two editions, aligned by paragraph id."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zipfile
from collections import Counter

import pytest
from lxml import etree

from briefings.cli import main
from briefings.diff.track_docx import NS, W
from tests.diff.conftest import PAPER


def _digests(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_writes_redlines_and_summary_and_leaves_editions_alone(two_editions, capsys):
    project, old, new = two_editions
    editions = project.outputs / PAPER
    before = {e: _digests(editions / e) for e in (old, new)}
    code, out, err = _run(capsys, "--root", str(project.root), "diff", PAPER)
    assert code == 0, err
    folder = editions / "changes" / f"{old}..{new}"
    assert out.splitlines() == [
        f"outputs/{PAPER}/changes/{old}..{new}/{name}"
        for name in (f"{PAPER}-redline.docx", f"{PAPER}-redline.html", "summary.md", "summary.json")
    ]
    assert {e: _digests(editions / e) for e in (old, new)} == before
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["recommendations"] == {
        "added": [],
        "removed": [],
        "reworded": ["p-rec-02"],
        "moved": ["p-rec-01"],
    }
    assert summary["instruments_status_changed"] == ["uk-osa"]
    by_id = {c["id"]: c for c in summary["changes"]}
    assert by_id["p-introduction-04"]["status"] == "removed"
    assert by_id["p-introduction-01"]["status"] == "changed"
    assert by_id["p-reg-uk-osa-sum"]["status"] == "changed"
    assert "quickly" in by_id["p-introduction-01"]["new"]
    sections = {s["title"]: s for s in summary["sections"]}
    assert sections["Introduction"]["removed"] == 1 and sections["Introduction"]["changed"] == 1
    markdown = (folder / "summary.md").read_text(encoding="utf-8")
    assert "Recommendations reworded: p-rec-02" in markdown


def test_docx_redline_is_real_tracked_changes(two_editions, capsys):
    project, old, new = two_editions
    assert _run(capsys, "--root", str(project.root), "diff", PAPER)[0] == 0
    folder = project.outputs / PAPER / "changes" / f"{old}..{new}"
    with zipfile.ZipFile(folder / f"{PAPER}-redline.docx") as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    manifest = json.loads((project.outputs / PAPER / new / "manifest.json").read_text())
    date = manifest["built_at"].replace("+00:00", "Z")
    changes = [
        el for tag in ("ins", "del", "moveFrom", "moveTo") for el in root.iter(f"{{{W}}}{tag}")
    ]
    assert changes and {c.get(f"{{{W}}}author") for c in changes} == {"briefings"}
    assert {c.get(f"{{{W}}}date") for c in changes} == {date}
    ids = Counter(c.get(f"{{{W}}}id") for c in changes)
    assert max(ids.values()) == 1, "every tracked change has an id of its own"
    # the moved recommendation is a move, named the same at both ends
    starts = {
        tag: [e.get(f"{{{W}}}name") for e in root.iter(f"{{{W}}}{tag}RangeStart")]
        for tag in ("moveFrom", "moveTo")
    }
    assert starts["moveFrom"] and starts["moveFrom"] == starts["moveTo"]
    # the removed paragraph is a deleted paragraph (its mark too), its text in w:delText
    removed = [
        p
        for p in root.iter(f"{{{W}}}p")
        if p.find("w:pPr/w:rPr/w:del", NS) is not None
        and p.find(".//w:moveFrom", NS) is None
        and "".join(p.itertext()).strip()
    ]
    assert removed and all(p.find(".//w:t", NS) is None for p in removed)
    # a changed status table cell carries a word-level change
    cells = [c for c in root.iter(f"{{{W}}}tc") if "commencement" in "".join(c.itertext())]
    assert any(c.find(".//w:ins", NS) is not None for c in cells)
    assert not [
        b for b in root.iter(f"{{{W}}}bookmarkStart") if "redline-" in b.get(f"{{{W}}}name")
    ]


def test_html_redline_marks_the_same_spans(two_editions, capsys):
    project, old, new = two_editions
    assert _run(capsys, "--root", str(project.root), "diff", PAPER)[0] == 0
    page = (
        project.outputs / PAPER / "changes" / f"{old}..{new}" / f"{PAPER}-redline.html"
    ).read_text(encoding="utf-8")
    assert re.search(r"<ins>\s*quickly\s*</ins>", page)
    assert re.search(r"<ins>\s*and fraudulent\s*</ins>", page)
    assert re.search(r"<del>\s*phased\s*</del>", page)
    assert re.search(r"<ins>\s*complete\s*</ins>", page)
    assert 'class="redline-legend"' in page
    # the moved recommendation: struck out at its old place, inserted at its new one
    assert page.count('<del class="redline-block moved" title="moved">') == 1
    assert page.count('<ins class="redline-block moved" title="moved">') == 1


def test_identical_editions_say_no_changes(two_editions, capsys):
    project, old, new = two_editions
    code, out, err = _run(capsys, "--root", str(project.root), "diff", PAPER, new, new)
    assert code == 0 and out.strip() == f"no changes: {new} and {new} say the same"
    assert not (project.outputs / PAPER / "changes").exists()


def test_bad_editions_are_one_line_errors(two_editions, capsys):
    project, old, new = two_editions
    root = str(project.root)
    code, out, err = _run(capsys, "--root", root, "diff", PAPER, "20990101T000000Z-draft", new)
    assert code == 1 and err.strip() == (
        f"error: outputs/{PAPER}: no edition '20990101T000000Z-draft' (newest: {new})"
    )
    # an edition of another paper copied in under this paper
    other = project.outputs / "2023-tech-regulation"
    other.mkdir()
    shutil.copytree(project.outputs / PAPER / old, other / old)
    code, out, err = _run(capsys, "--root", root, "diff", "2023-tech-regulation", old, old)
    assert code == 1 and err.strip() == (
        f"error: outputs/2023-tech-regulation/{old}/manifest.json: names paper {PAPER!r} "
        f"edition {old!r}, not '2023-tech-regulation' {old!r}"
    )
    # an edition whose files no longer match its manifest
    docx = project.outputs / PAPER / old / f"{PAPER}.docx"
    docx.write_bytes(docx.read_bytes() + b"\0")
    code, out, err = _run(capsys, "--root", root, "diff", PAPER, old, new)
    assert code == 1 and err.strip() == (
        f"error: outputs/{PAPER}/{old}/{PAPER}.docx: does not match its manifest checksum"
    )
    assert "Traceback" not in err


def test_next_draft_has_a_what_changed_page(two_editions):
    project, old, new = two_editions
    editions = project.outputs / PAPER
    first = (editions / old / f"{PAPER}.md").read_text(encoding="utf-8")
    second = (editions / new / f"{PAPER}.md").read_text(encoding="utf-8")
    assert "{#sec-changes}" not in first  # nothing earlier to compare with
    page = second[second.index("# What changed (draft only) {#sec-changes}") :]
    assert f"since edition\n{old}, the previous draft." in page
    assert "- [Introduction](#sec-introduction): 1 changed, 1 removed\n" in page
    assert "- [Recommendations](#sec-recommendations): 1 changed, 1 moved\n" in page
    manifest = json.loads((editions / new / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["changes_since"] == old
    assert manifest["source_map"]["sec-changes"]["source"] == "templates/sections/changes.md.j2"
    # the page and its links reach the reader's editions
    html = (editions / new / f"{PAPER}.html").read_text(encoding="utf-8")
    assert 'href="#sec-introduction">Introduction</a>' in html


@pytest.mark.prefect
def test_a_build_run_links_the_redline_since_the_reviewed_edition(
    project, prefect_harness, tmp_path
):
    """The build_paper flow writes the redline against the edition reviewers commented on and
    links it in the run's briefing-editions artifact."""
    from docx import Document
    from prefect.client.orchestration import get_client

    from briefings.flows import load_flow
    from briefings.pipeline import BuildRequest, build_paper
    from briefings.review import ingest
    from tests.diff.conftest import edit_sources
    from tests.review.review_kit import comment_on, paragraph_at

    reviewed_edition = build_paper(project, BuildRequest(PAPER, ("docx", "html")))
    doc = Document(str(reviewed_edition.files["docx"]))
    comment_on(doc, paragraph_at(doc, "p-introduction-01"), "Say since when.", "Rev One", "R1")
    returned = tmp_path / "returned.docx"
    doc.save(str(returned))
    ingest(project, PAPER, [returned])
    edit_sources(project.root)
    result = load_flow(project, "build", "build_paper")(paper=PAPER, formats=["docx", "html"])
    changes = f"{reviewed_edition.edition_id}..{result['edition']}"
    folder = project.outputs / PAPER / "changes" / changes
    assert (folder / f"{PAPER}-redline.docx").is_file()
    with get_client(sync_client=True) as client:
        artifacts = [a for a in client.read_artifacts() if a.key == "briefing-editions"]
    linked = [a.data for a in artifacts if changes in (a.data or "")]
    assert linked and f"changes since {reviewed_edition.edition_id}" in linked[-1]
    assert f"{PAPER}-redline.html" in linked[-1]


def test_redlines_are_published_readable_whatever_the_umask(two_editions, capsys):
    project, old, new = two_editions
    shutil.rmtree(project.outputs / PAPER / "changes", ignore_errors=True)
    previous = os.umask(0o077)
    try:
        assert _run(capsys, "--root", str(project.root), "diff", PAPER)[0] == 0
    finally:
        os.umask(previous)
    folder = project.outputs / PAPER / "changes" / f"{old}..{new}"
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o644}
    assert folder.stat().st_mode & 0o777 == folder.parent.stat().st_mode & 0o777 == 0o755
