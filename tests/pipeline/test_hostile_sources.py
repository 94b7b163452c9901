"""Sources are regular UTF-8 files inside the project (issue 8 item 2), and pathological input is
one line, not a hang (item 3)."""

from __future__ import annotations

import os
import re
import time
import tracemalloc

import pytest

from briefings.cli import main
from briefings.errors import SourceError
from briefings.sources.loader import load_paper
from tests.pipeline.hostile import PAPER, append_prose, build_fails, build_succeeds, prose_path

INTERVIEWS = f"paper_sources/{PAPER}/interviews"


def first_interview(project):
    return sorted((project.paper_dir(PAPER) / "interviews").glob("P*.yaml"))[0]


def test_a_prose_file_linked_to_a_file_outside_is_refused(project, capsys, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("Outside the project.\n", encoding="utf-8")
    prose = prose_path(project)
    prose.unlink()
    prose.symlink_to(secret)
    (error,) = build_fails(project, capsys)
    assert error == (
        f"error: paper_sources/{PAPER}/sections/introduction.md: "
        "is a symbolic link to a file outside paper_sources/"
    )


def test_a_yaml_source_linked_outside_is_refused(project, capsys):
    interview = first_interview(project)
    interview.unlink()
    interview.symlink_to("/etc/passwd")
    (error,) = build_fails(project, capsys)
    assert error.endswith(f"{interview.name}: is a symbolic link to a file outside paper_sources/")


def test_a_roster_linked_outside_is_refused_but_the_roster_folder_setting_works(
    project, capsys, tmp_path, monkeypatch
):
    roster = project.paper_dir(PAPER) / "interviews" / "roster.yaml"
    outside = tmp_path / "keys" / PAPER / "roster.yaml"
    outside.parent.mkdir(parents=True)
    outside.write_bytes(roster.read_bytes())
    roster.unlink()
    roster.symlink_to(outside)
    (error,) = build_fails(project, capsys, "--format", "html")
    assert (
        error
        == f"error: {INTERVIEWS}/roster.yaml: is a symbolic link to a file outside paper_sources/"
    )
    roster.unlink()
    monkeypatch.setenv("BRIEFINGS_ROSTER_DIR", str(tmp_path / "keys"))
    build_succeeds(project, capsys, "--format", "html")


def test_a_symlinked_paper_folder_is_refused(project, capsys, tmp_path):
    import shutil

    elsewhere = shutil.copytree(project.paper_dir(PAPER), tmp_path / "elsewhere")
    (project.sources / "linked-paper").symlink_to(elsewhere)
    assert main(["--root", str(project.root), "build", "linked-paper"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "error: paper_sources/linked-paper: the paper folder is a symbolic link; "
        "keep the paper's sources inside paper_sources/"
    )


def test_a_fifo_is_refused_not_waited_for(project, capsys):
    interview = first_interview(project)
    interview.unlink()
    os.mkfifo(interview)
    (error,) = build_fails(project, capsys)
    assert error == f"error: {INTERVIEWS}/{interview.name}: is not a regular file"


def test_invalid_utf8_names_file_and_line(project, capsys):
    interview = first_interview(project)
    lines = interview.read_bytes().split(b"\n")
    lines[3] = lines[3] + b" caf\xe9"
    interview.write_bytes(b"\n".join(lines))
    line = append_prose(project, "Na\xefve text.\n")
    prose = prose_path(project)
    prose.write_bytes(prose.read_bytes().replace("Na\xefve".encode(), b"Na\xefve"))
    errors = build_fails(project, capsys)
    assert f"error: {INTERVIEWS}/{interview.name}:4: not valid UTF-8: byte 0xe9" in errors[0]
    assert errors[1].startswith(
        f"error: paper_sources/{PAPER}/sections/introduction.md:{line}: not valid UTF-8: byte 0xef"
    )
    assert len(errors) == 2


def test_a_byte_order_mark_is_removed_everywhere(project, capsys):
    prose = prose_path(project)
    prose.write_text("\ufeff## Opening words\n\n" + prose.read_text(encoding="utf-8"), "utf-8")
    for path in [first_interview(project), project.paper_dir(PAPER) / "paper.yaml"]:
        path.write_bytes("\ufeff".encode() + path.read_bytes())
    build_succeeds(project, capsys, "--format", "html")
    (html,) = project.outputs.rglob("*.html")
    page = html.read_text(encoding="utf-8")
    assert re.search(r"<h2[^>]*>Opening words</h2>", page)
    assert "\ufeff" not in page


ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["participant: P01"]
)


def test_a_yaml_alias_bomb_fails_fast_and_small(project, capsys):
    interview = first_interview(project)
    interview.write_text(ALIAS_BOMB + "\n", encoding="utf-8")
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(SourceError) as caught:
            load_paper(project, PAPER)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 10  # a guard against the exponential walk (>120 s)
    assert peak < 100_000_000
    mine = [str(p) for p in caught.value.problems if interview.name in p.file]
    assert mine[0] == (
        f"{INTERVIEWS}/{interview.name}:1: "
        "YAML anchor &a is not allowed: write the value out in full"
    )
    assert any("alias *a" in line for line in mine)
    errors = build_fails(project, capsys)
    assert all("\n" not in e for e in errors)


def test_a_key_given_twice_is_refused_naming_both_lines(project, capsys):
    interview = first_interview(project)
    text = interview.read_text(encoding="utf-8")
    assert "consent_to_quote: false" in text or "consent_to_quote: true" in text
    twice = re.sub(
        r"^(\s*)consent_to_quote: (true|false)$",
        r"\1consent_to_quote: false\n\1consent_to_quote: true",
        text,
        count=1,
        flags=re.M,
    )
    interview.write_text(twice, encoding="utf-8")
    first = (
        twice.splitlines().index(
            next(line for line in twice.splitlines() if "consent_to_quote: false" in line)
        )
        + 1
    )
    for command in ("check", "build"):
        assert main(["--root", str(project.root), command, PAPER]) == 1
        err = capsys.readouterr().err
        assert (
            f"error: {INTERVIEWS}/{interview.name}:{first + 1}: excerpts.0.consent_to_quote: "
            f"key 'consent_to_quote' given twice (lines {first} and {first + 1})"
        ) in err.splitlines(), err


def test_deeply_nested_brackets_in_prose_are_one_line_not_a_hang(project, capsys):
    line = append_prose(project, "Text " + "[" * 15 + "x" + "]" * 15 + " more.\n")
    (error,) = build_fails(project, capsys)
    assert error == (
        f"error: paper_sources/{PAPER}/sections/introduction.md:{line}: "
        "brackets [ ] nested more than 5 deep; simplify"
    )


def test_deeply_nested_brackets_in_a_reference_title_are_one_line(project, capsys):
    references = project.paper_dir(PAPER) / "references.yaml"
    if not references.exists():
        references = project.sources / "references.yaml"
    text = references.read_text(encoding="utf-8")
    nested = "[" * 15 + "x" + "]" * 15
    text = re.sub(r"^(\s*)title: (.*)$", rf"\1title: '\2 {nested}'", text, count=1, flags=re.M)
    references.write_text(text, encoding="utf-8")
    (error,) = build_fails(project, capsys)
    assert re.fullmatch(
        r"error: paper_sources/(\S+/)?references\.yaml:\d+: references\.\d+\.title: "
        r"brackets \[ \] nested more than 5 deep; simplify",
        error,
    ), error


def test_a_citation_style_outside_templates_csl_is_refused(project, capsys):
    paper = project.paper_dir(PAPER) / "paper.yaml"
    paper.write_text(
        paper.read_text(encoding="utf-8") + "csl: ../../../../etc/passwd\n", encoding="utf-8"
    )
    (error,) = build_fails(project, capsys)
    assert error.startswith(f"error: paper_sources/{PAPER}/paper.yaml:")
    assert ": csl: String should match pattern" in error


def test_control_characters_are_refused_with_file_and_line(project, capsys):
    line = append_prose(project, "A form feed \x0c here.\n")
    interview = first_interview(project)
    text = interview.read_text(encoding="utf-8")
    escaped = 'interviewed: "2023\\x14"'  # a YAML escape: the file itself is clean
    interview.write_text(re.sub(r"^interviewed: .*$", lambda _: escaped, text, flags=re.M), "utf-8")
    row = next(
        n
        for n, content in enumerate(interview.read_text(encoding="utf-8").splitlines(), 1)
        if content.startswith("interviewed:")
    )
    errors = build_fails(project, capsys)
    assert errors == [
        f"error: {INTERVIEWS}/{interview.name}:{row}: interviewed: control character U+0014 "
        "cannot appear in a document; remove it",
        f"error: paper_sources/{PAPER}/sections/introduction.md:{line}: control character U+000C "
        "at column 13 cannot appear in a document; remove it",
    ]
