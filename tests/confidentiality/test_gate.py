"""check_text and check_edition: what fails, what passes, and what the editor is told."""

from __future__ import annotations

import logging
import shutil

import pytest

from briefings.confidentiality import check_edition, check_text
from briefings.errors import ConfidentialityError
from briefings.project import Project
from tests.confidentiality.editions import docx_with_header, pandoc_edition
from tests.confidentiality.gate_project import ALLOWLIST, PAPER, ROSTER, write_gate_project

ROSTER_WORDS = {
    w.casefold()
    for e in ROSTER
    for v in (e["name"], e["company"], *e.get("aliases", []))
    for w in v.split()
    if len(w) > 3 and w not in ("Systems", "Holdings", "Telecom")
}


def assert_no_name_shown(exc: ConfidentialityError) -> None:
    shown = (str(exc) + "\n" + "\n".join(exc.lines())).casefold()
    assert not [w for w in ROSTER_WORDS if w in shown]


def test_clean_text_and_allowlisted_words_pass(gate_project):
    check_text(gate_project, PAPER, "# Intro\n\nA rose, and Rose's garden.\n", ALLOWLIST)


def test_an_allowlisted_word_fails_when_not_allowlisted(gate_project):
    with pytest.raises(ConfidentialityError):
        check_text(gate_project, PAPER, "A rose by any other name.\n", [])


def test_a_name_is_traced_to_its_source_file_and_field(tmp_path):
    project = Project(write_gate_project(tmp_path, {"interview": " Kestrel’s lawyers agreed."}))
    with pytest.raises(ConfidentialityError) as caught:
        check_text(
            project,
            PAPER,
            "# Findings\n\n> Nothing to see. KESTREL\u200b’s lawyers agreed.\n",
            ALLOWLIST,
        )
    [problem] = caught.value.problems
    assert problem.file == f"paper_sources/{PAPER}/interviews/P01.yaml"
    assert (problem.field, problem.line) == ("excerpts.1.text", 10)
    assert "K*****l" in problem.message and "assembled Markdown: text line 3" in problem.message
    assert "nothing was published" in str(caught.value)
    assert_no_name_shown(caught.value)


def test_a_name_in_prose_is_traced_to_its_line(tmp_path):
    project = Project(write_gate_project(tmp_path, {"prose": "\nMet at Nor-\nvale."}))
    with pytest.raises(ConfidentialityError) as caught:
        check_text(project, PAPER, "Met at Norvale.", ALLOWLIST)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (f"paper_sources/{PAPER}/sections/introduction.md", 6)
    assert_no_name_shown(caught.value)


def test_an_untraceable_name_points_to_the_edition(gate_project):
    with pytest.raises(ConfidentialityError) as caught:
        check_text(gate_project, PAPER, "one\ntwo\nIngrid Sorensen\n", ALLOWLIST)
    assert {(p.file, p.field, p.line) for p in caught.value.problems} == {
        ("assembled Markdown", "text", 3)
    }
    # One line for the place: the full name; its first name and surname are not listed again.
    (problem,) = caught.value.problems
    assert "participant name I*************n found; not in any text source" in problem.message
    assert "3 roster name(s)" in str(caught.value)
    assert_no_name_shown(caught.value)


def test_edition_files_are_scanned(gate_project, tmp_path):
    docx = pandoc_edition(tmp_path / "docx", "docx")
    with pytest.raises(ConfidentialityError) as caught:
        check_edition(gate_project, PAPER, "clean text", [docx], ALLOWLIST)
    places = {(p.file, p.field) for p in caught.value.problems}
    assert ("edition.docx", "word/footnotes.xml") in places
    assert ("edition.docx", "docProps/core.xml") in places
    assert_no_name_shown(caught.value)
    clean = docx_with_header(tmp_path / "clean", "The Roundtable")
    check_edition(gate_project, PAPER, "clean text", [clean], ALLOWLIST)


def test_markdown_is_scanned_by_check_edition_too(gate_project, tmp_path):
    with pytest.raises(ConfidentialityError):
        check_edition(gate_project, PAPER, "Brightwater", [], ALLOWLIST)


def test_roster_outside_the_repository(tmp_path, monkeypatch):
    project = Project(write_gate_project(tmp_path / "repo"))
    roster = project.paper_dir(PAPER) / "interviews" / "roster.yaml"
    outside = tmp_path / "vault" / PAPER
    outside.mkdir(parents=True)
    shutil.move(roster, outside / "roster.yaml")
    check_text(
        project, PAPER, "Kestrel", ALLOWLIST
    )  # no roster anywhere the build looks: nothing to match
    monkeypatch.setenv("BRIEFINGS_ROSTER_DIR", str(tmp_path / "vault"))
    with pytest.raises(ConfidentialityError) as caught:
        check_text(project, PAPER, "Kestrel", ALLOWLIST)
    assert all("vault" not in line for line in caught.value.lines())  # the roster is not a source


def test_missing_roster_warns_without_names(gate_project, caplog):
    (gate_project.paper_dir(PAPER) / "interviews" / "roster.yaml").unlink()
    with caplog.at_level(logging.WARNING):
        check_text(gate_project, PAPER, "Kestrel", ALLOWLIST)
    assert "no roster found" in caplog.text


def test_each_part_of_a_hyphenated_surname_is_a_name():
    from briefings.roster import RosterNames
    from briefings.sources.models import RosterEntry

    names = RosterNames(
        [RosterEntry(participant="P01", name="Amara Okonkwe-Lind", company="Brightquay")]
    )
    assert (
        names.find("as Lind wrote") and names.find("OKONKWE said") and names.find("Okonkwe-\nLind")
    )
    assert not names.find("a lindy hop")


def test_a_file_changed_after_it_was_prescanned_is_read_again(gate_project, tmp_path):
    """The gate reads files as they are rendered; a DOCX that then gets the carried comments
    (or any file changed since) is read again, never judged by its earlier bytes."""
    from briefings.confidentiality import Prescan

    edition = tmp_path / "edition.md"
    edition.write_text("# Intro\n\nClean text.\n", encoding="utf-8")
    prescan = Prescan()
    try:
        prescan.submit(edition)
        prescan._read[edition].result()  # the clean bytes have been read
        edition.write_text("# Intro\n\nKestrel agreed.\n", encoding="utf-8")
        with pytest.raises(ConfidentialityError):
            check_edition(gate_project, PAPER, "clean", [edition], ALLOWLIST, prescan)
        prescan.submit(edition)  # read after the change: the prescan itself finds it
        with pytest.raises(ConfidentialityError):
            check_edition(gate_project, PAPER, "clean", [edition], ALLOWLIST, prescan)
    finally:
        prescan.close()
