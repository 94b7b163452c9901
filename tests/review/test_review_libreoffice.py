"""A real client: LibreOffice opens a generated draft over UNO, comments in four sections, saves
DOCX."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from docx import Document

from briefings.review import ingest, list_items, read_review_docx
from tests.review import review_kit as kit

SYSTEM_PYTHON = "/usr/bin/python3"
HELPER = Path(__file__).with_name("lo_annotate.py")


def _why_not() -> str | None:
    if not shutil.which("soffice"):
        return (
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer python3-uno"
        )
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"{SYSTEM_PYTHON} is missing (python3-uno is only importable by Debian's python)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode:
        return "python3-uno is not installed: apt-get install python3-uno"
    return None


# CI sets BRIEFINGS_REQUIRE_LIBREOFFICE=1 so that a missing LibreOffice fails instead of skipping.
REQUIRED = os.environ.get("BRIEFINGS_REQUIRE_LIBREOFFICE") == "1"
MISSING = _why_not()
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(bool(MISSING) and not REQUIRED, reason=MISSING or ""),
]


@pytest.fixture(scope="module")
def soffice(tmp_path_factory):
    """A headless LibreOffice with a throw-away profile, listening on a private pipe."""
    if MISSING:
        pytest.fail(f"BRIEFINGS_REQUIRE_LIBREOFFICE=1 but {MISSING}")
    pipe = f"briefings-review-{uuid.uuid4().hex[:8]}"
    profile = tmp_path_factory.mktemp("lo-profile")
    proc = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield pipe
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    # A terminated soffice leaves its named pipe's socket file behind.
    for leftover in Path(tempfile.gettempdir()).glob(f"OSL_PIPE_*_{pipe}"):
        leftover.unlink(missing_ok=True)


def annotate(pipe: str, draft: Path, out: Path, notes: list[dict]) -> None:
    run = subprocess.run(
        [SYSTEM_PYTHON, str(HELPER), pipe, str(draft), str(out), json.dumps(notes)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]


def test_libreoffice_comments_map_to_their_sections(soffice, project, draft, tmp_path):
    notes = [
        {
            "find": "human rights duties",
            "text": "Name the duties.",
            "author": "Ana Ortiz",
            "initials": "AO",
        },
        {
            "find": "four tiers of risk",
            "text": "Article 6 sets the tiers.",
            "author": "Ben Okafor",
            "initials": "BO",
        },
        {
            "find": "lack a process",
            "text": "How many lack one?",
            "author": "Ben Okafor",
            "initials": "BO",
        },
        {
            "find": "impact assessments",
            "text": "Which standard?",
            "author": "Ana Ortiz",
            "initials": "AO",
        },
    ]
    out = tmp_path / "reviewed-in-libreoffice.docx"
    annotate(soffice, draft, out, notes)

    doc = read_review_docx(out)
    assert (doc.paper_id, doc.edition_id) == (kit.PAPER, kit.EDITION)  # custom properties survive
    report = ingest(project, kit.PAPER, [out])
    assert len(report.added) == 4 and report.unplaced == 0
    items = {i.text: i for i in list_items(project, kit.PAPER)}
    got = {t: (i.section_id, i.field, i.anchor_text, i.author) for t, i in items.items()}
    assert got == {
        "Name the duties.": (
            "introduction",
            "p-introduction-01",
            "human rights duties",
            "Ana Ortiz",
        ),
        "Article 6 sets the tiers.": (
            "regulatory-context",
            "summary",
            "four tiers of risk",
            "Ben Okafor",
        ),
        "How many lack one?": ("findings", None, "lack a process", "Ben Okafor"),
        "Which standard?": ("recommendations", "rec-04", "impact assessments", "Ana Ortiz"),
    }
    assert items["Article 6 sets the tiers."].source == "paper_sources/regulations/eu-ai-act.yaml"
    assert ingest(project, kit.PAPER, [out]).added == []


def test_libreoffice_on_the_real_sample_build(soffice, built, tmp_path):
    """The pipeline's own draft, commented in three sections by LibreOffice, traces to the
    manifest."""
    project, draft, source_map = built
    doc = Document(str(draft))
    targets = ["p-reg-eu-dsa-sum", "p-quote-P06-02", "p-conclusion-03"]
    notes = [
        {
            "find": kit.unique_snippet(doc, kit.paragraph_at(doc, b).text),
            "text": f"Remark on {b}.",
            "author": "Ben Okafor",
            "initials": "BO",
        }
        for b in targets
    ]
    out = tmp_path / "sample-in-libreoffice.docx"
    annotate(soffice, draft, out, notes)
    assert len(ingest(project, kit.PAPER, [out]).added) == 3
    items = {i.text: i for i in list_items(project, kit.PAPER)}
    for note, bookmark in zip(notes, targets, strict=True):
        item, expected = items[f"Remark on {bookmark}."], source_map[bookmark]
        assert (item.section_id, item.source, item.field, item.anchor_text) == (
            expected["section"],
            expected["source"],
            expected["field"],
            note["find"].strip(),
        ), bookmark
    assert len({items[f"Remark on {b}."].section_id for b in targets}) == 3
