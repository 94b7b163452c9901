"""Assembly: escaping of source values, stable paragraph ids, the source map."""

from __future__ import annotations

import pypandoc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.assemble.environment import SourceMap
from briefings.assemble.markdown import escape_md
from briefings.assemble.prose import anchor_prose
from briefings.errors import TemplateError


def _html(markdown: str) -> str:
    return pypandoc.convert_text(markdown, "html", format="markdown")


def _plain(markdown: str) -> str:
    text = pypandoc.convert_text(markdown, "plain", format="markdown", extra_args=["--wrap=none"])
    return text.replace("\xa0", " ").strip()


@pytest.mark.parametrize(
    "value",
    [
        "a *stray* star",
        "<script>alert(1)</script>",
        "{#not-an-id}",
        "[link](http://x)",
        "@cite-key",
        "- not a list",
        "1. not a list",
        "2024. a year",
        "10) ten",
        "(a) item",
        "iv. roman",
        "# not a heading",
        "`code`",
        "$x$",
        "a | pipe",
        "&amp; entity",
        "line one\n\n# two",
        "back\\slash",
        "~sub~ ^sup^",
        "> quote",
    ],
)
def test_escaped_values_render_as_exactly_the_literal_text(value):
    expected = " ".join(value.split())
    assert _plain(escape_md(value)) == expected  # alone, i.e. at the start of a block
    assert _plain("- " + escape_md(value)) == "- " + expected  # as a list item's text
    html = _html("Before " + escape_md(value) + " after.")
    for tag in (
        "<em>",
        "<script>",
        "<code>",
        "<h1",
        "<li>",
        "<a ",
        "<blockquote>",
        "<sub>",
        "<span",
        "<ol",
    ):
        assert tag not in html


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab *_<>{}#[]@`$|&~^\\-+1.:!=\n")), max_size=30))
def test_escape_never_produces_markup(value):
    html = _html("x " + escape_md(value) + " y")
    assert html.count("<p>") == 1
    for tag in ("<em>", "<strong>", "<code>", "<a ", "<span", "<sub>", "<sup>", "<del>"):
        assert tag not in html


def test_prose_paragraphs_get_stable_ids_and_sources():
    text = "First para.\n\n## A heading\n\nSecond para\nspans lines.\n\n[^1]: A note.\n\n- a\n- b\n"
    source_map = SourceMap()
    out = anchor_prose("introduction", text, "sections/introduction.md", source_map)
    assert "::: {#p-introduction-01}\nFirst para.\n:::" in out
    assert "## A heading {#sec-introduction-a-heading}" in out
    assert "::: {#p-introduction-03}\n- a\n- b\n:::" in out
    assert "[^1]: A note." in out and "{#p-introduction-04}" not in out
    assert source_map.entries["p-introduction-02"] == {
        "source": "sections/introduction.md",
        "field": "paragraph 2",
    }
    again = SourceMap()
    assert anchor_prose("introduction", text, "sections/introduction.md", again) == out


def test_block_ids_are_unique():
    source_map = SourceMap()
    source_map.block("p-x", "a", "b")
    with pytest.raises(TemplateError) as info:
        source_map.block("p-x", "a", "b")
    assert info.value.lines() == ["a: b: block id 'p-x' used twice: a bookmark must be unique"]
