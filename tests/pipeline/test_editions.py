"""The sample paper's three editions, checked by content."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from html.parser import HTMLParser

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from pypdf import PdfReader

from tests.conftest import REPO

PAPER = "2023-tech-regulation"


@pytest.fixture(scope="module")
def edition(built_project):
    return built_project[1]


def _recomputed_company_counts():
    """Companies per theme, straight from the YAML files (independent of briefings.synthesis)."""
    folder = REPO / "paper_sources" / PAPER / "interviews"
    codebook = yaml.safe_load((folder / "codebook.yaml").read_text(encoding="utf-8"))["themes"]
    parent = {t["id"]: t.get("parent") for t in codebook}
    raised = defaultdict(set)
    companies = set()
    for path in folder.glob("P*.yaml"):
        interview = yaml.safe_load(path.read_text(encoding="utf-8"))
        companies.add(interview["company"])
        for excerpt in interview["excerpts"]:
            for code in excerpt["themes"]:
                while code:
                    raised[code].add(interview["company"])
                    code = parent[code]
    labels = {t["id"]: t["label"] for t in codebook}
    return {labels[k]: len(v) for k, v in raised.items()}, len(companies)


def test_docx_headings_follow_the_paper_sections(edition):
    """paper.yaml names no sections: every section, in the documented order, one heading each."""
    document = docx.Document(edition.files["docx"])
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    paper = yaml.safe_load(
        (REPO / "paper_sources" / PAPER / "paper.yaml").read_text(encoding="utf-8")
    )
    assert "sections" not in paper
    assert headings == [
        "Executive summary",
        "Introduction",
        "Regulatory context",
        "Interview findings",
        "Recommendations",
        "Conclusion",
        "Methodology",
        "References",
        "Appendix: instruments and official identifiers",
    ]


def test_docx_bookmarks_cover_sections_and_paragraphs(edition):
    document = docx.Document(edition.files["docx"])
    names = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    for required in (
        "sec-regulatory-context",
        "sec-findings",
        "sec-recommendations",
        "p-rec-01",
        "p-introduction-01",
        "p-reg-eu-ai-act-sum",
    ):
        assert required in names
    source_map = edition.manifest["source_map"]
    assert source_map["p-rec-01"]["source"].endswith(f"{PAPER}/recommendations.yaml")
    assert source_map["p-rec-01"]["section"] == "recommendations"
    assert source_map["p-reg-eu-ai-act-sum"]["source"].endswith("regulations/eu-ai-act.yaml")
    # every bookmark the build recorded is really in the DOCX
    missing = [
        k
        for k in source_map
        if k not in names and not k.startswith(("sec-review", "row:", "column:"))  # table cells
    ]
    assert not missing


def test_docx_tables_and_metadata(edition):
    document = docx.Document(edition.files["docx"])
    assert len(document.tables) >= 3
    overview = document.tables[0]
    assert [c.text for c in overview.rows[0].cells] == [
        "Jurisdiction",
        "Instrument",
        "Type",
        "Status",
    ]
    paper = yaml.safe_load(
        (REPO / "paper_sources" / PAPER / "paper.yaml").read_text(encoding="utf-8")
    )
    assert document.core_properties.author == paper["organisation"]
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=1)
    assert document.sections[0].page_height.mm == pytest.approx(297, abs=1)


def test_findings_counts_equal_counts_recomputed_from_interviews(edition):
    counts, total = _recomputed_company_counts()
    text = "\n".join(p.text for p in docx.Document(edition.files["docx"]).paragraphs)
    table_rows = []
    for table in docx.Document(edition.files["docx"]).tables:
        for row in table.rows:
            table_rows.append([c.text for c in row.cells])
    found = 0
    for row in table_rows:
        if row[0] in counts and re.fullmatch(r"\d+", row[-1].strip()):
            assert int(row[-1]) == counts[row[0]], row
            found += 1
    assert found >= 8
    assert f"{total} companies" in text
    assert f"(of the {total} interviewed)" in text  # the table's caption gives the total


def test_pdf_is_a4_with_title_page_and_text(edition):
    reader = PdfReader(edition.files["pdf"])
    assert len(reader.pages) >= 8
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=1) and float(box.height) == pytest.approx(
        841.9, abs=1
    )
    first = reader.pages[0].extract_text()
    assert "Advancing Human Rights Leadership" in first
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Interview findings" in text and "Recommendations" in text


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_and_accessible(edition):
    html = edition.files["html"].read_text(encoding="utf-8")
    parser = _Structure()
    parser.feed(html)
    root = [a for t, a in parser.tags if t == "html"][0]
    assert root.get("lang") == "en-GB"
    assert any(t == "nav" and a.get("id") == "TOC" for t, a in parser.tags)
    ths = [a for t, a in parser.tags if t == "th"]
    assert ths and all(a.get("scope") == "col" for a in ths)
    for tag, attrs in parser.tags:
        if tag in ("script", "img", "link", "iframe"):
            for key in ("src", "href"):
                assert not str(attrs.get(key, "")).startswith(("http:", "https:", "//")), (
                    tag,
                    attrs,
                )


def test_manifest_records_sources_tools_and_checksums(built_project, edition):
    project, _ = built_project
    manifest = json.loads((edition.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["paper"] == PAPER and manifest["edition"] == edition.edition_id
    assert {"pandoc", "typst", "python"} <= set(manifest["tools"])
    assert f"paper_sources/{PAPER}/paper.yaml" in manifest["sources"]
    assert any(k.startswith("paper_sources/regulations/") for k in manifest["sources"])
    assert not any("roster" in k for k in manifest["sources"])
    for name, info in manifest["outputs"].items():
        assert hashlib.sha256((edition.path / name).read_bytes()).hexdigest() == info["sha256"]
    assert (project.outputs / PAPER / "LATEST").read_text().strip() == edition.edition_id


def test_draft_is_marked_and_final_is_not(project):
    from briefings.pipeline import BuildRequest, build_paper
    from briefings.publish.writer import EDITION_ID

    final = build_paper(
        project,
        BuildRequest(PAPER, ("html", "docx"), final=True, allow_open=True, allow_unverified=True),
    )
    draft = build_paper(project, BuildRequest(PAPER, ("html", "docx")))
    assert "DRAFT" in draft.files["html"].read_text(encoding="utf-8")
    assert "DRAFT" not in final.files["html"].read_text(encoding="utf-8")
    # the kind, before any same-second counter (builds can now both fall in one second)
    kinds = [EDITION_ID.match(e.edition_id)[2] for e in (final, draft)]  # type: ignore[index]
    assert kinds == ["final", "draft"]


def test_every_paragraph_of_the_paper_has_a_stable_id(edition):
    """Each top-level block is a section heading, a table, or a div with an id (a DOCX bookmark)."""
    import pypandoc

    markdown = (edition.path / f"{PAPER}.md").read_text(encoding="utf-8")
    blocks = json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))["blocks"]
    loose = [b["t"] for b in blocks if b["t"] not in ("Div", "Header", "Table")]
    assert loose == []
    ids = [
        b["c"][0][0] if b["t"] == "Div" else b["c"][1][0]
        for b in blocks
        if b["t"] in ("Div", "Header")
    ]
    assert all(ids) and len(ids) == len(set(ids))


def test_docx_last_modified_by_is_the_organisation(edition):
    props = docx.Document(edition.files["docx"]).core_properties
    assert props.last_modified_by == props.author == "Roundtable on Human Rights and AI"


def test_every_internal_link_has_a_target(edition):
    markdown = (edition.path / f"{PAPER}.md").read_text(encoding="utf-8")
    targets = set(re.findall(r"\]\(#([^)\s]+)\)", markdown))
    ids = set(re.findall(r"\{#([^}\s]+)", markdown))
    # ref-<key>: a bibliography entry, made by citeproc in every edition (see the HTML)
    references = {t for t in targets if t.startswith("ref-")}
    assert targets and targets - references <= ids
    html = edition.files["html"].read_text(encoding="utf-8")
    assert references and all(f'id="{t}"' in html for t in references)
