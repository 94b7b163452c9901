"""Sections read apart (and kept) make exactly the document pandoc reads at once."""

from __future__ import annotations

import datetime as dt

import pytest

import briefings.assemble.document as document
from briefings.assemble.reading import read_sections
from briefings.pandoc_ast import parse_markdown
from briefings.pipeline import assemble_paper, gather

BUILT_AT = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def _whole(sections: list[str]):
    return parse_markdown("\n".join(sections), "whole")


def _sections_of(project, paper_id, monkeypatch) -> list[str]:
    seen: list[list[str]] = []

    def capture(sections, folder):
        seen.append(list(sections))
        return read_sections(sections, folder)

    monkeypatch.setattr(document, "read_sections", capture)
    assemble_paper(gather(project, paper_id), "reading-draft", False, {}, BUILT_AT)
    return seen[0]


@pytest.mark.parametrize("paper_id", ["2023-tech-regulation", "2024-fairness-bias"])
def test_sample_sections_read_apart_are_the_whole_reading(project, paper_id, monkeypatch, tmp_path):
    sections = _sections_of(project, paper_id, monkeypatch)
    assert len(sections) > 5
    whole, whole_warnings = _whole(sections)
    kept = tmp_path / "kept"
    ast, warnings, made = read_sections(sections, kept)
    assert ast == whole and warnings == whole_warnings
    assert len(made) == len(sections)  # every section read now: nothing kept yet
    assert not kept.exists()  # nothing written before the gate has passed
    made.keep()
    again, _, made_again = read_sections(sections, kept)
    assert again == whole and len(made_again) == 0  # all from the cache


def test_one_edited_section_is_the_only_one_read_again(tmp_path):
    sections = [f"# Part {n} {{#sec-p{n}}}\n\nText of part {n} [@key].\n" for n in range(6)]
    read_sections(sections, tmp_path)[2].keep()
    sections[3] = "# Part 3 {#sec-p3}\n\nEdited *text* of part 3.\n"
    ast, _, made = read_sections(sections, tmp_path)
    assert len(made) == 1
    assert ast == _whole(sections)[0]


ONE = "# One {#sec-one}\n\n## Overview\n\nText.\n"


@pytest.mark.parametrize(
    "first, second",
    [
        # a heading id pandoc numbers across the document (overview, overview-1)
        (ONE, "# Two {#sec-two}\n\n## Overview\n\nMore.\n"),
        # a reference link defined in another section
        (ONE + "\n[act]: https://example.org/act\n", "# Two {#sec-two}\n\nSee [the act][act].\n"),
        # a link to another section's heading by its text
        (ONE, "# Two {#sec-two}\n\nAs in [Overview].\n"),
        # an example list numbered on from another section
        (ONE + "\n(@) first example\n", "# Two {#sec-two}\n\n(@) second example\n"),
    ],
)
def test_constructs_reaching_across_sections_read_the_whole(first, second, tmp_path):
    sections = [first, second]
    whole = _whole(sections)[0]
    assert read_sections(sections, tmp_path)[0] == whole
    apart = [parse_markdown(s, "apart")[0]["blocks"] for s in sections]
    assert apart[0] + apart[1] != whole["blocks"]  # read apart, it would differ


def test_json_nested_deeper_than_orjson_goes_is_still_read_and_written():
    import json

    from briefings.pandoc_ast import from_json, to_json

    deep: list = []
    for _ in range(200):  # 400 levels of JSON: orjson writes 254, the json module ~1,000
        deep = [{"t": "Div", "c": deep}]
    assert from_json(to_json(deep)) == deep
    assert json.loads(to_json(deep, sort_keys=True)) == deep
    with pytest.raises(RecursionError):
        from_json("[" * 5000 + "]" * 5000)


def test_pandoc_is_the_one_pypandoc_finds_without_importing_it():
    import subprocess
    import sys

    import pypandoc

    from briefings.pandoc_ast import pandoc_path, pandoc_version

    assert pandoc_path() == pypandoc.get_pandoc_path()
    assert pandoc_version() == pypandoc.get_pandoc_version()
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from briefings.pandoc_ast import pandoc_version;"
            " pandoc_version(); print('pypandoc' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"
