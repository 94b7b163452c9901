"""Images come only from the paper's figures/ folder, checked, embedded; nothing is fetched."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest

from tests.pipeline.hostile import (
    PAPER,
    append_prose,
    build_fails,
    build_succeeds,
    counting_server,
)
from tests.render.sample import write_png

PROSE = "paper_sources/2023-tech-regulation/sections/introduction.md"


def test_a_figure_is_embedded_in_every_edition(project, capsys):
    figures = project.paper_dir(PAPER) / "figures"
    figures.mkdir()
    write_png(figures / "themes.png", 37, 19)
    append_prose(project, "![Share of companies raising each theme](figures/themes.png)\n")
    build_succeeds(project, capsys)
    (html,) = project.outputs.rglob("*.html")
    page = html.read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in page and "figures/themes.png" not in page
    (docx,) = project.outputs.rglob("*.docx")
    with zipfile.ZipFile(docx) as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert (figures / "themes.png").read_bytes() in media  # beside the findings chart
    (pdf,) = project.outputs.rglob("*.pdf")
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    sizes = [line.split()[3:5] for line in listing.stdout.splitlines()[2:]]
    assert ["37", "19"] in sizes  # the figure, by its pixel size


def test_every_image_outside_figures_is_refused_with_file_and_line(project, capsys, tmp_path):
    paper_dir = project.paper_dir(PAPER)
    figures = paper_dir / "figures"
    figures.mkdir()
    write_png(figures / "ok.png")
    (figures / "notes.png").write_text("participant names\n", encoding="utf-8")
    write_png(tmp_path / "outside.png")
    (figures / "linked.png").symlink_to(tmp_path / "outside.png")
    (figures / "folder-link").symlink_to(tmp_path)
    with counting_server() as (base, requests):
        images = {
            "absolute": "![Password file](/etc/passwd)",
            "roster": "![Roster](interviews/roster.yaml)",
            "dot-dot": "![Roster](figures/../interviews/roster.yaml)",
            "url": f"![Remote]({base}/remote.png)",
            "file url": "![Local](file:///etc/passwd)",
            "not an image": "![Notes](figures/notes.png)",
            "symlink": "![Linked](figures/linked.png)",
            "symlinked folder": "![Linked](figures/folder-link/outside.png)",
            "missing": "![Missing](figures/none.png)",
            "no alt text": "![](figures/ok.png)",
            "data uri": "![Inline](data:image/png;base64,iVBORw0KGgo=)",
        }
        lines = {name: append_prose(project, text + "\n") for name, text in images.items()}
        errors = build_fails(project, capsys)
        assert requests == []
    assert len(errors) == len(images), errors
    for name, line in lines.items():
        assert any(e.startswith(f"error: {PROSE}:{line}: ") for e in errors), (name, errors)
    assert any("no alt text" in e for e in errors)
    assert any("not a PNG, JPEG or GIF image" in e for e in errors)


def test_a_link_may_not_point_at_a_local_file_or_script(project, capsys):
    first = append_prose(project, "See [the file](file:///etc/passwd).\n")
    second = append_prose(project, "Or [this](javascript:alert(1)).\n")
    errors = build_fails(project, capsys, "--format", "html")
    assert [e.split(": link target ")[0] for e in errors] == [
        f"error: {PROSE}:{first}",
        f"error: {PROSE}:{second}",
    ], errors


@pytest.mark.clients
def test_the_html_edition_loads_nothing_from_outside_in_a_browser(
    project, capsys, tmp_path, chromium
):
    """The Content-Security-Policy holds in a real browser even if markup got past the build."""
    build_succeeds(project, capsys, "--format", "html")
    (html,) = project.outputs.rglob("*.html")
    page = html.read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy"' in page
    with counting_server() as (base, requests):
        injected = (
            f'<img src="{base}/img.png"><script src="{base}/s.js"></script>'
            f'<link rel="stylesheet" href="{base}/s.css"><iframe src="{base}/frame"></iframe>'
            f'<style>@import url("{base}/import.css");</style>'
        )
        hostile = tmp_path / "hostile.html"
        hostile.write_text(page.replace("</body>", injected + "</body>"), encoding="utf-8")
        control = tmp_path / "control.html"
        control.write_text(f'<html><body><img src="{base}/control.png"></body></html>')
        for path in (hostile, control):
            subprocess.run(
                [
                    chromium,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={tmp_path / 'profile'}",
                    "--dump-dom",
                    path.as_uri(),
                ],
                capture_output=True,
                timeout=120,
                check=True,
            )
    assert requests == ["/control.png"]  # the browser does load what no policy forbids


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=3000",
]


@pytest.fixture
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("BRIEFINGS_REQUIRE_CLIENTS") == "1":
            pytest.fail("BRIEFINGS_REQUIRE_CLIENTS=1 but chromium is not installed")
        pytest.skip("chromium is not installed (Debian package `chromium`)")
    return path
