"""The HTML edition: self-contained, lang set, contents list, accessible tables, draft banner."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest


class Page(HTMLParser):
    """Collects the elements the tests look at."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.header_cells: list[dict[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "th" and "thead" in self.stack:
            self.header_cells.append(attributes)
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.elements if t == tag]


@pytest.fixture(scope="module")
def final_text(final) -> str:
    return final["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def final_page(final_text) -> Page:
    return Page(final_text)


def test_language_and_title(final_page, final_text):
    assert final_page.all("html")[0]["lang"] == "en-GB"
    assert "<title>Advancing Human Rights Leadership in Technology Regulation</title>" in final_text


def test_table_of_contents_links_every_section(final_page):
    nav = [a for t, a in final_page.elements if t == "nav" and a.get("id") == "TOC"]
    assert nav and nav[0]["role"] == "doc-toc"
    links = {a["href"] for a in final_page.all("a") if (a.get("href") or "").startswith("#sec-")}
    assert {
        "#sec-executive-summary",
        "#sec-regulatory-context",
        "#sec-overview",
        "#sec-references",
    } <= links


def test_ids_of_sections_and_paragraphs_are_kept(final_page):
    ids = {a.get("id") for _, a in final_page.elements}
    assert {"sec-regulatory-context", "p-exec-01", "p-rec-04", "tbl-instruments", "refs"} <= ids


def test_tables_have_captions_and_column_headers(final_page, final_text):
    assert len(final_page.all("table")) == 2
    assert len(final_page.all("caption")) == 2
    assert len(final_page.header_cells) == 6
    assert all(cell.get("scope") == "col" for cell in final_page.header_cells)
    assert final_text.count("INST-0") == 72


def test_no_external_resources(final_page, final_text):
    loaders = [
        ("script", "src"),
        ("img", "src"),
        ("link", "href"),
        ("iframe", "src"),
        ("source", "src"),
        ("video", "src"),
        ("audio", "src"),
    ]
    for tag, attribute in loaders:
        for attrs in final_page.all(tag):
            assert not (attrs.get(attribute) or "").startswith(("http:", "https:", "//")), (
                tag,
                attrs,
            )
    assert "@import" not in final_text and "url(http" not in final_text
    # the image is inlined and keeps its alt text
    image = final_page.all("img")[0]
    assert image["src"].startswith("data:image/png;base64,")
    assert image["alt"] == "Share of companies raising each theme"
    # ordinary hyperlinks in the text are allowed
    assert any((a.get("href") or "").startswith("https://eur-lex") for a in final_page.all("a"))


def test_house_css_is_embedded(final_text):
    assert "--accent: #1f3a5f" in final_text


def test_draft_banner_only_on_drafts(draft, final_text):
    draft_page = Page(draft["html"].read_text(encoding="utf-8"))
    banners = [a for a in draft_page.all("aside") if a.get("class") == "draft-banner"]
    assert len(banners) == 1
    assert 'class="draft-banner"' not in final_text
    assert "DRAFT" not in final_text.split("<body>", 1)[1]
