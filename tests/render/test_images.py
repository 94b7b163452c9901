"""The one image check: PNG, JPEG, GIF by their bytes; an SVG only from the pipeline, and only
if it can run and load nothing. The findings chart passes it in every format."""

from __future__ import annotations

import pytest

from briefings.render.chart import ThemeBar, ThemeChart
from briefings.sources.images import ImageRefused, checked_image_bytes
from tests.render.sample import write_png

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
HOSTILE_SVG = {
    "script": "<script>alert(1)</script>",
    "event handler": '<rect onclick="alert(1)"/>',
    "external image": '<image href="https://example.org/x.png"/>',
    "external xlink": '<image xlink:href="file:///etc/passwd"/>',
    "css url": '<rect style="fill: url(https://example.org/x)"/>',
    "style element": "<style>@import url(https://example.org/x.css);</style>",
    "foreign object": "<foreignObject><p>html</p></foreignObject>",
}


def test_png_jpeg_and_gif_pass_by_their_bytes(tmp_path):
    png = write_png(tmp_path / "a.png").read_bytes()
    assert checked_image_bytes(png).mime == "image/png"
    assert checked_image_bytes(b"\xff\xd8\xff\xe0rest").mime == "image/jpeg"
    assert checked_image_bytes(b"GIF89a rest").mime == "image/gif"


@pytest.mark.parametrize("data", [b"name,company\n", b"%PDF-1.7", b"PK\x03\x04", b""])
def test_anything_else_is_refused(data):
    with pytest.raises(ImageRefused, match="not a PNG, JPEG or GIF"):
        checked_image_bytes(data)


def test_an_svg_is_refused_unless_the_pipeline_drew_it():
    with pytest.raises(ImageRefused):
        checked_image_bytes(SVG.format("<rect/>").encode())
    assert checked_image_bytes(SVG.format('<rect fill="url(#g)"/>').encode(), svg=True)


@pytest.mark.parametrize("body", HOSTILE_SVG.values(), ids=HOSTILE_SVG.keys())
def test_an_svg_that_could_run_or_load_something_is_refused(body):
    with pytest.raises(ImageRefused, match="SVG image"):
        checked_image_bytes(SVG.format(body).encode(), svg=True)


def test_an_svg_with_entities_is_refused():
    bomb = b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    with pytest.raises(ImageRefused, match="well-formed"):
        checked_image_bytes(bomb, svg=True)


def test_the_findings_chart_passes_the_check_in_every_format():
    chart = ThemeChart("fig-themes", 18, (ThemeBar("Fragmentation", "challenge", 15),))
    for fmt in ("docx", "html", "pdf"):
        image = chart.figure(fmt)["c"][2][0]["c"][0]
        assert image["c"][2][0].startswith(("data:image/png;base64,", "data:image/svg+xml;base64,"))
    assert chart.html_figure("Figure 1:")["t"] == "RawBlock"


def test_the_chart_png_keeps_every_pixel_in_an_eighth_of_the_bytes():
    import io

    import vl_convert
    from PIL import Image, ImageChops

    from briefings.render.chart import PNG_SCALE, with_palette

    chart = ThemeChart(
        "fig-themes",
        18,
        (ThemeBar("Fragmentation", "challenge", 15), ThemeBar("Clarity", "opportunity", 9)),
    )
    drawn = vl_convert.svg_to_png(chart.svg().decode("utf-8"), scale=PNG_SCALE)
    stored = chart.png()
    assert len(stored) * 5 < len(drawn)
    with Image.open(io.BytesIO(drawn)) as before, Image.open(io.BytesIO(stored)) as after:
        assert after.mode == "P" and after.info["dpi"] == pytest.approx(before.info["dpi"])
        assert (
            ImageChops.difference(after.convert("RGBA"), before.convert("RGBA")).getbbox() is None
        )
    # A picture of more than 256 colours is kept as it was drawn.
    gradient = Image.new("RGB", (600, 1))
    gradient.putdata([(n % 256, n // 256, 0) for n in range(600)])
    out = io.BytesIO()
    gradient.save(out, "PNG")
    assert with_palette(out.getvalue()) == out.getvalue()
