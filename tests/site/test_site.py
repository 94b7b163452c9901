"""The editions site: outputs/ over real HTTP, a page per paper, nothing unpublished served."""

from __future__ import annotations

import re

import docx
import pytest
import requests

from briefings.errors import BriefingError
from briefings.pipeline import BuildRequest, build_paper
from briefings.review import ingest, write_review_report
from briefings.site import parse_address
from briefings.site.server import EditionsSite

PAPER = "2023-tech-regulation"


@pytest.fixture
def site(project):
    running = EditionsSite(project, "127.0.0.1:0")
    yield running
    running.stop()


def _reviewed(edition, target):
    """The draft DOCX with one reviewer comment, as python-docx writes it."""
    document = docx.Document(edition.files["docx"])
    run = next(p.runs[0] for p in document.paragraphs if p.runs and len(p.text) > 40)
    document.add_comment([run], text="Please check this.", author="A Reviewer", initials="AR")
    document.save(target)
    return target


def test_a_paper_page_lists_its_editions_newest_first_and_links_that_open(project, site, tmp_path):
    first = build_paper(project, BuildRequest(PAPER))  # every format: LATEST names it
    ingest(project, PAPER, [_reviewed(first, tmp_path / "returned.docx")])
    write_review_report(project, PAPER, project.outputs / PAPER / "review")
    second = build_paper(project, BuildRequest(PAPER, ("html",)))

    home = requests.get(site.url + "/", timeout=10)
    assert home.ok and f'href="{PAPER}/"' in home.text
    page = requests.get(f"{site.url}/{PAPER}/", timeout=10)
    assert page.ok and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", page.text)
    # Newest first; an edition of only some formats is newer but LATEST stays on the complete one.
    assert [kind for _, kind, _, _ in rows] == ["draft", "draft (latest)"]
    assert [items for *_, items in rows] == ["0", "1"]  # the comment was made on the first
    built = [
        edition.manifest["built_at"][:16].replace("T", " ") + " UTC" for edition in (second, first)
    ]
    assert [when for when, *_ in rows] == built
    assert re.findall(">([A-Z]+)</a>", rows[1][2]) == ["DOCX", "HTML", "PDF"]
    assert re.findall(">([A-Z]+)</a>", rows[0][2]) == ["HTML"]
    assert 'href="review/review.html"' in page.text

    links = re.findall(r'href="([^"]+)"', page.text)
    html_link = next(link for link in links if link.startswith(second.edition_id))
    opened = requests.get(f"{site.url}/{PAPER}/{html_link}", timeout=10)
    assert opened.ok and opened.content == second.files["html"].read_bytes()
    assert opened.headers["Content-Type"] == "text/html"
    report = requests.get(f"{site.url}/{PAPER}/review/review.html", timeout=10)
    assert report.ok and "Please check this." in report.text
    assert requests.get(f"{site.url}/{PAPER}", timeout=10, allow_redirects=False).status_code == 301


def test_nothing_unpublished_or_outside_outputs_is_served(project, site):
    edition = build_paper(project, BuildRequest(PAPER, ("html",)))
    paper_root = project.outputs / PAPER
    (paper_root / ".staging").mkdir(exist_ok=True)
    (paper_root / ".staging" / "secret.html").write_text("staged", encoding="utf-8")
    (project.root / "outside.txt").write_text("outside", encoding="utf-8")
    for path in (
        f"/{PAPER}/.staging/secret.html",
        f"/{PAPER}/%2Estaging/secret.html",
        f"/{PAPER}/.lock",
        "/../outside.txt",
        "/%2E%2E/outside.txt",
        f"/{PAPER}/..%2F..%2Foutside.txt",
        "/README.md",  # not a paper's
        "/no-such-paper/",
    ):
        answer = requests.get(site.url + path, timeout=10)
        assert answer.status_code == 404, path
        assert "staged" not in answer.text and "outside" not in answer.text
    assert requests.post(f"{site.url}/{PAPER}/", timeout=10).status_code == 501
    assert requests.get(f"{site.url}/{PAPER}/{edition.edition_id}/{PAPER}.html", timeout=10).ok


def test_a_bad_or_taken_address_is_one_line(project, site):
    with pytest.raises(BriefingError, match="expected HOST:PORT"):
        parse_address("localhost")
    taken = site.url.removeprefix("http://")
    with pytest.raises(BriefingError, match=f"cannot listen on {taken}"):
        EditionsSite(project, taken)
