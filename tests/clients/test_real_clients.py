"""Both sample papers opened in the clients their readers use.

HTML in headless Chromium (Debian's, driven by npm puppeteer-core; one browser for the session)
with axe-core, every rule enabled, and a sideways-scroll check at 320 and 390 px; the W3C Nu
validator (npm vnu-jar on Java); the PDF's PDF/UA identification, DisplayDocTitle, title heading
and language spans (poppler, pypdf); the DOCX opened and converted by LibreOffice headless.

Missing clients skip these tests locally; CI sets BRIEFINGS_REQUIRE_CLIENTS=1 (and installs them)
so that a missing client fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO

PAPERS = ("2023-tech-regulation", "2024-fairness-bias")
NODE_MODULES = REPO / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
# Titles in their own language (registry `title_lang`): every format marks them.
FOREIGN_TITLES = {
    "de": "Lieferkettensorgfaltspflichtengesetz (LkSG)",
    "fr": "Loi n° 2017-399 du 27 mars 2017 relative au devoir de vigilance",
    "nb": "Åpenhetsloven (Transparency Act)",
}


def _missing() -> list[str]:
    missing = []
    if not (NODE_MODULES / "puppeteer-core").is_dir() or not (NODE_MODULES / "axe-core").is_dir():
        missing.append("npm packages (run `PUPPETEER_SKIP_DOWNLOAD=1 npm ci` in the project)")
    for program in ("node", "java", "soffice", "pdfinfo"):
        if not shutil.which(program):
            missing.append(program)
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"chromium ({CHROMIUM})")
    return missing


MISSING = _missing()
REQUIRED = os.environ.get("BRIEFINGS_REQUIRE_CLIENTS") == "1"
pytestmark = [
    pytest.mark.clients,
    pytest.mark.skipif(bool(MISSING) and not REQUIRED, reason=f"missing: {', '.join(MISSING)}"),
]


@pytest.fixture(scope="session")
def editions(tmp_path_factory):
    """Draft editions of both sample papers, built once."""
    if MISSING:
        pytest.fail(f"BRIEFINGS_REQUIRE_CLIENTS=1 but missing: {', '.join(MISSING)}")
    from briefings.pipeline import BuildRequest, build_paper
    from briefings.project import Project
    from tests.conftest import copy_project

    project = Project(copy_project(tmp_path_factory.mktemp("clients")))
    return {paper: build_paper(project, BuildRequest(paper)) for paper in PAPERS}


@pytest.fixture(scope="session")
def chromium_report(editions, tmp_path_factory):
    """One Chromium for the session: every HTML edition measured and checked with axe-core."""
    files = [str(editions[p].files["html"]) for p in PAPERS]
    profile = tmp_path_factory.mktemp("chromium-profile")
    done = subprocess.run(
        ["node", str(HERE / "html_check.js"), str(profile), *files],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    return {paper: report[str(editions[paper].files["html"])] for paper in PAPERS}


@pytest.mark.parametrize("paper", PAPERS)
def test_html_never_scrolls_sideways_at_phone_width(chromium_report, paper):
    assert chromium_report[paper]["overflow"] == {"320": 0, "390": 0, "1280": 0}
    assert chromium_report[paper]["requests"] == []  # self-contained: nothing else loads


@pytest.mark.parametrize("paper", PAPERS)
def test_html_is_clean_under_every_axe_rule(chromium_report, paper):
    result = chromium_report[paper]
    assert result["rules"] > 90  # every rule of axe-core, best practices and experimental too
    assert result["violations"] == []
    assert result["landmarks"] == {"main": 1, "skip": "#main"}


def test_html_validates_with_the_w3c_nu_checker(editions):
    files = [str(editions[p].files["html"]) for p in PAPERS]
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    problems = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert problems == []


@pytest.mark.parametrize("paper", PAPERS)
def test_pdf_is_identified_as_pdf_ua_and_shows_its_title(editions, paper):
    pdf = editions[paper].files["pdf"]
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True).stdout
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    root = PdfReader(pdf).trailer["/Root"]
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert str(root["/Lang"]) == "en-GB"


def test_pdf_title_is_a_heading_and_foreign_titles_carry_their_language(editions):
    pdf = editions["2023-tech-regulation"].files["pdf"]
    done = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True)
    tree = done.stdout.splitlines()
    first_heading = next(line.strip() for line in tree if line.strip().startswith("H1 "))
    assert first_heading.startswith('H1 "Advancing Human Rights Leadership in Technology')
    raw = pdf.read_bytes()
    # Registry titles, and bibliography entries by their CSL `language` (with its region).
    for lang in [*FOREIGN_TITLES, "de-DE", "fr-FR", "nb-NO"]:
        assert f"/Lang({lang})".encode() in raw
    assert b"/Lang(de-GB)" not in raw  # the paper's region does not leak into German


def test_docx_and_html_mark_foreign_titles(editions):
    edition = editions["2023-tech-regulation"]
    html = " ".join(edition.files["html"].read_text(encoding="utf-8").split())  # pandoc wraps
    with zipfile.ZipFile(edition.files["docx"]) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert '<div id="ref-lksg-2021" class="csl-entry" lang="de-DE"' in html
    assert '<w:lang w:val="de-DE"/>' in document
    for lang, title in FOREIGN_TITLES.items():
        assert f'<span lang="{lang}">{title}</span>' in html
        assert f'<w:lang w:val="{lang}"/></w:rPr><w:t xml:space="preserve">{title}' in document


def test_libreoffice_opens_and_converts_each_docx(editions, tmp_path):
    """A DOCX LibreOffice must repair fails to load headless; this one converts, contents intact."""
    files = [str(editions[p].files["docx"]) for p in PAPERS]
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for paper in PAPERS:
        pdf = tmp_path / f"{paper}.pdf"
        assert pdf.is_file(), done.stdout + done.stderr
        text = subprocess.run(
            ["pdftotext", "-l", "3", str(pdf), "-"], capture_output=True, text=True
        ).stdout
        # The contents list is there when first opened (the TOC field's stored result).
        assert "Contents" in text and "Executive summary" in text and "Methodology" in text
