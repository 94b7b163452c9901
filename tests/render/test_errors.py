"""Failures become RenderError naming the format; strict builds fail on any warning."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from briefings.errors import RenderError
from briefings.render import render_editions

DOCUMENT = """---
title: Typst
author: Roundtable on Human Rights and AI
---

# Section {#sec-one}

Text.
"""


def with_typst_line(tmp_path, options, line: str):
    """Options whose Typst template ends with `line` (raw Typst in a source is refused)."""
    templates = shutil.copytree(options.templates, tmp_path / "templates")
    template = templates / "typst" / "briefing.typ"
    template.write_text(template.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return replace(options, templates=templates)


def unknown_key_document() -> str:
    return (
        "---\ntitle: Keys\nauthor: Roundtable on Human Rights and AI\n---\n\n"
        "As shown [@no-such-key].\n"
    )


def test_unknown_citation_key_fails_a_strict_build(tmp_path, options):
    strict = replace(options, strict=True, draft=False)
    with pytest.raises(RenderError) as caught:
        render_editions(unknown_key_document(), ["html"], tmp_path, "keys", strict)
    assert any("no-such-key" in line for line in caught.value.lines())
    assert list(tmp_path.iterdir()) == []


def test_unknown_citation_key_only_warns_in_a_draft(tmp_path, options, caplog):
    paths = render_editions(unknown_key_document(), ["html"], tmp_path, "keys", options)
    assert paths["html"].is_file()
    assert any("no-such-key" in r.getMessage() for r in caplog.records)


def test_broken_typst_names_the_pdf_and_the_line(tmp_path, options):
    broken = with_typst_line(tmp_path / "t", options, "#let unfinished =")
    out = tmp_path / "out"
    with pytest.raises(RenderError) as caught:
        render_editions(DOCUMENT, ["docx", "pdf", "html"], out, "broken", broken)
    lines = caught.value.lines()
    assert len(lines) == 1
    assert lines[0].startswith("broken.pdf: pdf: Typst: ")
    assert "line " in lines[0] and "#let unfinished =" in lines[0]
    # nothing half-written is left beside the failure
    assert list(out.iterdir()) == []


def test_typst_warning_fails_only_strict_builds(tmp_path, options):
    odd = with_typst_line(tmp_path, options, '#text(font: "No Such Face")[odd]')
    assert render_editions(DOCUMENT, ["pdf"], tmp_path / "draft", "font", odd)["pdf"].is_file()
    with pytest.raises(RenderError) as caught:
        render_editions(DOCUMENT, ["pdf"], tmp_path / "final", "font", replace(odd, strict=True))
    assert "unknown font family" in caught.value.lines()[0]


def test_unknown_format_is_refused(tmp_path, options):
    with pytest.raises(RenderError, match="epub"):
        render_editions(unknown_key_document(), ["epub"], tmp_path, "x", options)


def test_missing_template_is_reported(tmp_path, options):
    with pytest.raises(RenderError) as caught:
        render_editions(
            unknown_key_document(), ["docx"], tmp_path, "x", replace(options, templates=tmp_path)
        )
    assert "reference.docx" in caught.value.lines()[0]
