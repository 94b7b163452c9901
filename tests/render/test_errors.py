"""Failures become RenderError naming the format; strict builds fail on any warning."""

from __future__ import annotations

from dataclasses import replace

import pytest

from briefings.errors import RenderError
from briefings.render import render_editions

BROKEN_TYPST = """---
title: Broken
author: Roundtable on Human Rights and AI
---

# Section {#sec-one}

```{=typst}
#let unfinished =
```
"""

UNKNOWN_FONT = """---
title: Font
author: Roundtable on Human Rights and AI
---

# Section {#sec-one}

```{=typst}
#text(font: "No Such Face")[odd]
```
"""


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
    with pytest.raises(RenderError) as caught:
        render_editions(BROKEN_TYPST, ["docx", "pdf", "html"], tmp_path, "broken", options)
    lines = caught.value.lines()
    assert len(lines) == 1
    assert lines[0].startswith("broken.pdf: pdf: Typst: ")
    assert "line " in lines[0] and "#let unfinished =" in lines[0]
    # nothing half-written is left beside the failure
    assert list(tmp_path.iterdir()) == []


def test_typst_warning_fails_only_strict_builds(tmp_path, options):
    assert render_editions(UNKNOWN_FONT, ["pdf"], tmp_path / "draft", "font", options)[
        "pdf"
    ].is_file()
    with pytest.raises(RenderError) as caught:
        render_editions(
            UNKNOWN_FONT, ["pdf"], tmp_path / "final", "font", replace(options, strict=True)
        )
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
