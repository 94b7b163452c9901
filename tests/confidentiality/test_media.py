"""Embedded media: data: URIs and DOCX media parts are decoded; anything not an image is refused."""

from __future__ import annotations

import base64
import struct
import zipfile
import zlib
from pathlib import Path

import pypandoc
import pytest

from briefings.confidentiality import check_edition, check_text
from briefings.errors import ConfidentialityError
from briefings.project import Project
from tests.confidentiality.editions import PIXEL
from tests.confidentiality.gate_project import ALLOWLIST, PAPER
from tests.confidentiality.test_gate import assert_no_name_shown


def png_with_text(keyword: bytes, text: bytes, kind: bytes = b"tEXt") -> bytes:
    """PIXEL with one text chunk (tEXt, or zTXt compressed) before its image data."""
    body = keyword + b"\0" + (b"\0" + zlib.compress(text) if kind == b"zTXt" else text)
    chunk = struct.pack(">I", len(body)) + kind + body
    chunk += struct.pack(">I", zlib.crc32(kind + body))
    return PIXEL[:33] + chunk + PIXEL[33:]  # after the signature and IHDR


def jpeg_with_comment(comment: bytes) -> bytes:
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return b"\xff\xd8" + segment + b"\xff\xda\x00\x02" + b"\x00" * 16 + b"\xff\xd9"


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def docx_with_media(folder: Path, media: bytes) -> Path:
    """A clean pandoc DOCX embedding PIXEL as word/media/…, with that part's bytes replaced."""
    (folder / "pixel.png").write_bytes(PIXEL)
    original = folder / "clean.docx"
    pypandoc.convert_text(
        "A chart:\n\n![A chart](pixel.png)\n",
        "docx",
        format="markdown",
        outputfile=str(original),
        extra_args=[f"--resource-path={folder}"],
    )
    check_edition(Project(folder), PAPER, "", [original])  # clean as pandoc wrote it
    out = folder / "swapped.docx"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(out, "w") as target:
        names = [n for n in source.namelist() if n.startswith("word/media/")]
        assert names, "pandoc embedded the image"
        for info in source.infolist():
            target.writestr(info, media if info.filename in names else source.read(info))
    return out


def refused(caught) -> list[str]:
    return [str(p) for p in caught.value.problems if "not an image" in p.message]


def test_a_docx_media_part_that_is_not_an_image_is_refused(gate_project, tmp_path):
    path = docx_with_media(tmp_path, b"- {participant: P01, name: Someone}\n")
    with pytest.raises(ConfidentialityError) as caught:
        check_edition(gate_project, PAPER, "Clean.", [path], ALLOWLIST)
    (line,) = refused(caught)
    assert line.startswith("swapped.docx: word/media/")
    assert "embedded media that is not an image: an edition embeds images only" in line


@pytest.mark.parametrize(
    "media",
    [
        png_with_text(b"Author", b"Ingrid S\xf8rensen"),
        png_with_text(b"Comment", "Photo at Nоrvale".encode(), b"zTXt"),
        jpeg_with_comment("K\u0435strel Holdings AG".encode()),
    ],
    ids=["png tEXt", "png zTXt", "jpeg comment"],
)
def test_a_name_in_image_metadata_is_found(gate_project, tmp_path, media):
    path = docx_with_media(tmp_path, media)
    with pytest.raises(ConfidentialityError) as caught:
        check_edition(gate_project, PAPER, "Clean.", [path], ALLOWLIST)
    assert any("metadata)" in (p.field or "") for p in caught.value.problems)
    assert not refused(caught)
    assert_no_name_shown(caught.value)


def test_a_clean_image_passes(gate_project, tmp_path):
    path = docx_with_media(tmp_path, png_with_text(b"Software", b"pandoc"))
    check_edition(gate_project, PAPER, "Clean.", [path], ALLOWLIST)


def test_data_uris_in_html_are_decoded(gate_project, tmp_path):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><text>Kestrel</text></svg>'
    html = tmp_path / "edition.html"
    html.write_text(
        f'<p><img src="{data_uri("image/png", PIXEL)}" alt="chart">'
        f'<img src="{data_uri("image/svg+xml", svg)}" alt="chart"></p>',
        encoding="utf-8",
    )
    with pytest.raises(ConfidentialityError) as caught:
        check_edition(gate_project, PAPER, "Clean.", [html], ALLOWLIST)
    (problem,) = caught.value.problems
    assert problem.file == "edition.html" and problem.field == "attribute src: data: URI"
    assert "K*****l" in problem.message


@pytest.mark.parametrize(
    "uri",
    [
        data_uri("image/png", b"name: Ingrid"),  # says image, is not
        data_uri("text/plain", b"nothing secret"),
        "data:text/html,%3Cp%3Ehello",
    ],
)
def test_a_data_uri_that_is_not_an_image_is_refused(gate_project, uri):
    with pytest.raises(ConfidentialityError) as caught:
        check_text(gate_project, PAPER, f"# Intro\n\nSee [this]({uri}).\n", ALLOWLIST)
    (line,) = refused(caught)
    assert line.startswith("assembled Markdown: text: data: URI: embedded media")


def test_words_that_merely_mention_data_pass(gate_project):
    check_text(gate_project, PAPER, "Personal data: names. Metadata:, and data:, fine.\n", [])


def test_a_part_named_after_someone_is_not_printed(gate_project, tmp_path):
    clean = docx_with_media(tmp_path, PIXEL)
    renamed = tmp_path / "renamed.docx"
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(renamed, "w") as target:
        for info in source.infolist():
            name = info.filename
            if name.startswith("word/media/"):
                name = "word/media/K\u0435strel.txt"  # Cyrillic е; not an image either
            target.writestr(name, b"plain text" if "media" in name else source.read(info))
    with pytest.raises(ConfidentialityError) as caught:
        check_edition(gate_project, PAPER, "Clean.", [renamed], ALLOWLIST)
    lines = caught.value.lines()
    assert any("(a part whose name holds a roster name)" in line for line in lines)
    assert any("not an image" in line for line in lines)
    assert_no_name_shown(caught.value)
    assert not [line for line in lines if "strel" in line]
