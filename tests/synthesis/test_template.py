"""templates/sections/findings.md.j2 rendered in the lead's environment, then read back by
pandoc."""

from __future__ import annotations

import json
from pathlib import Path

import pypandoc
import pytest

from briefings.assemble.document import Paths
from briefings.assemble.environment import SourceMap, make_environment
from briefings.synthesis import synthesise
from briefings.synthesis.figures import figures_of
from tests.synthesis.synthesis_sources import interview

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "sections"


def render(sources):
    source_map = SourceMap()
    env = make_environment(TEMPLATES, source_map)
    findings = synthesise(sources)
    paths = Paths("paper_sources/test-paper", "paper_sources/regulations")
    text = env.get_template("findings.md.j2").render(
        findings=findings,
        figures=figures_of(sources, findings),
        paper=sources.paper,
        paths=paths,
    )
    return text, source_map.entries, findings


def pandoc_ast(markdown: str) -> dict:
    return json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))


def plain(node) -> str:
    version = pandoc_ast("x")["pandoc-api-version"]
    return pypandoc.convert_text(
        json.dumps({"pandoc-api-version": version, "meta": {}, "blocks": [node]}),
        "plain",
        format="json",
    ).strip()


@pytest.fixture
def rendered(make_paper):
    ivs = [
        interview(
            f"P{i:02d}",
            f"C{i:02d}",
            [(["uncertainty"], True), (["leadership"], True)],
            texts={0: f"Rules move *fast* | and [links] <b>break</b> for company {i}"},
        )
        for i in range(1, 5)
    ]
    ivs.append(interview("P05", "C05", [(["overlap"], True)], region="Oceania"))
    return render(make_paper(ivs, paper={"quotes": {"per_theme": 5}}))


def test_intro_table_and_theme_sections(rendered):
    text, _entries, findings = rendered
    assert findings.companies == 5
    ast = pandoc_ast(text)
    kinds = [b["t"] for b in ast["blocks"]]
    assert kinds[0] == "Div" and ast["blocks"][0]["c"][0][0] == "p-findings-intro"
    assert "five people at five companies" in plain(ast["blocks"][0])
    [table] = [b for b in ast["blocks"] if b["t"] == "Table"]
    table_text = plain(table)
    assert "Themes ranked by the number of companies" in table_text
    rows = [" ".join(row.split()) for row in table_text.splitlines()]
    assert any(r.startswith("Regulatory uncertainty") and r.endswith(" 5") for r in rows), rows
    assert any(r.startswith("Leadership from the top") and r.endswith(" 4") for r in rows), rows
    headers = [(b["c"][0], b["c"][1][0]) for b in ast["blocks"] if b["t"] == "Header"]
    assert headers == [(2, "sec-theme-uncertainty"), (2, "sec-theme-leadership")]


def test_blocks_are_recorded_in_the_source_map_and_fenced(rendered):
    text, entries, findings = rendered
    assert entries["p-theme-uncertainty"] == {
        "source": "paper_sources/test-paper/interviews/codebook.yaml",
        "field": "themes.uncertainty",
    }
    assert entries["p-theme-overlap"]["field"] == "themes.overlap"
    quote = findings.theme("uncertainty").quotes[0]
    assert entries[f"p-quote-{quote.id}"] == {
        "source": f"paper_sources/test-paper/interviews/{quote.participant}.yaml",
        "field": f"excerpts.{quote.id}",
    }
    blocks = pandoc_ast(text)["blocks"]
    # fig-* divs hold the chart (a figure, not a traced paragraph)
    divs = {
        b["c"][0][0]: b for b in blocks if b["t"] == "Div" and not b["c"][0][0].startswith("fig-")
    }
    assert set(divs) == {k for k in entries if not k.startswith(("row:", "column:"))}
    assert all(len(i) <= 40 for i in divs)
    quote_div = divs[f"p-quote-{quote.id}"]
    assert quote_div["c"][1][0]["t"] == "BlockQuote"
    assert "all five companies" in plain(divs["p-theme-uncertainty"]).replace("All", "all")


def test_source_text_is_escaped_and_attributions_coarsened(rendered):
    text, _entries, findings = rendered
    ast_text = pypandoc.convert_text(text, "plain", format="markdown")
    assert "Rules move *fast* | and [links] <b>break</b> for company 1" in " ".join(
        ast_text.split()
    )
    assert "— human rights lead, large software company, Europe" in text
    assert "Oceania" not in text
    assert any(c.participant == "P05" and c.dropped == ("region",) for c in findings.coarsened)
