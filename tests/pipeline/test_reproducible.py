"""One clock per edition, byte-identical rebuilds, and `briefings verify`."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile

import pytest
from lxml import etree

from briefings.cli import main
from briefings.clock import SOURCE_DATE_EPOCH, iso
from briefings.pipeline import BuildRequest, build_paper, gather, make_edition, open_review_items
from briefings.publish import published_editions

PAPER = "2023-tech-regulation"
EPOCH = 1764460800  # 2025-11-30T00:00:00Z
PINNED = dt.datetime.fromtimestamp(EPOCH, dt.UTC)


def _pdfinfo(path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", "-isodates", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)


def test_two_builds_with_the_same_id_and_time_are_byte_identical(project, tmp_path):
    sources = gather(project, PAPER)
    request = BuildRequest(PAPER)
    review = open_review_items(project, PAPER)
    built = []
    for name in ("one", "two"):
        _, files = make_edition(
            sources, request, "20261130T000000Z-draft", PINNED, tmp_path / name, review
        )
        built.append({fmt: path.read_bytes() for fmt, path in files.items()})
    assert set(built[0]) == {"docx", "pdf", "html"}
    for fmt in built[0]:
        assert built[0][fmt] == built[1][fmt], f"{fmt} differs between two identical builds"


def test_every_date_inside_an_edition_is_the_pinned_build_time(project, monkeypatch):
    monkeypatch.setenv(SOURCE_DATE_EPOCH, str(EPOCH))
    edition = build_paper(project, BuildRequest(PAPER))
    assert edition.manifest["built_at"] == "2025-11-30T00:00:00Z"
    # The edition id is the wall clock of publication, not the pinned epoch.
    assert edition.edition_id > "2026"

    with zipfile.ZipFile(edition.files["docx"]) as package:
        assert {info.date_time for info in package.infolist()} == {(2025, 11, 30, 0, 0, 0)}
        core = etree.fromstring(package.read("docProps/core.xml"))
        app = etree.fromstring(package.read("docProps/app.xml"))
    dates = [e.text for e in core if etree.QName(e).localname in ("created", "modified")]
    assert dates == [iso(PINNED)] * 2
    # No borrowed statistics (pandoc's template said 83 words, 1 page, Word 12).
    names = {etree.QName(e).localname: e.text for e in app}
    assert not {"Pages", "Words", "Characters", "Lines", "TotalTime"} & set(names)
    assert names["Application"].startswith("briefings")

    info = _pdfinfo(edition.files["pdf"])
    assert info["CreationDate"].strip().startswith("2025-11-30T00:00:00")
    assert info["ModDate"].strip().startswith("2025-11-30T00:00:00")


def test_an_old_epoch_does_not_make_a_new_edition_sort_first(project, monkeypatch):
    build_paper(project, BuildRequest(PAPER))
    monkeypatch.setenv(SOURCE_DATE_EPOCH, "0")
    newer = build_paper(project, BuildRequest(PAPER, force=True))
    assert published_editions(project, PAPER)[-1] == newer.edition_id
    assert newer.manifest["built_at"] == "1970-01-01T00:00:00Z"
    with zipfile.ZipFile(newer.files["docx"]) as package:  # zip cannot go below 1980
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_bad_epoch_is_one_line(project, monkeypatch, capsys):
    monkeypatch.setenv(SOURCE_DATE_EPOCH, "yesterday")
    assert main(["--root", str(project.root), "build", PAPER]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert [line for line in err if line.startswith("error:")] == [
        "error: $SOURCE_DATE_EPOCH: not a count of seconds since 1970: 'yesterday'"
    ]
    assert published_editions(project, PAPER) == []


def test_verify_says_identical_then_names_what_changed(project, capsys):
    root = ["--root", str(project.root)]
    assert main([*root, "build", PAPER]) == 0
    capsys.readouterr()
    assert main([*root, "verify", PAPER]) == 0
    (edition_id,) = published_editions(project, PAPER)
    assert capsys.readouterr().out == f"{PAPER} {edition_id}: identical\n"

    conclusion = project.paper_dir(PAPER) / "sections" / "conclusion.md"
    conclusion.write_text(conclusion.read_text(encoding="utf-8") + "\nOne more sentence.\n")
    assert main([*root, "verify", PAPER, edition_id]) == 1
    out = capsys.readouterr().out.splitlines()
    for name in (f"{PAPER}.docx", f"{PAPER}.html", f"{PAPER}.pdf"):
        assert f"{PAPER} {edition_id}: {name} differs from the published file" in out
    changed = [line for line in out if " source " in line]
    assert changed == [
        f"{PAPER} {edition_id}: source paper_sources/{PAPER}/sections/conclusion.md (changed) "
        "since the edition"
    ]


@pytest.mark.parametrize("edition", ["20990101T000000Z-draft", "../x"])
def test_verify_of_an_unknown_edition_is_one_line(project, capsys, edition):
    assert main(["--root", str(project.root), "verify", PAPER, edition]) == 1
    assert capsys.readouterr().err == f"error: {PAPER}: no published edition {edition!r}\n"
