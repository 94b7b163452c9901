"""The findings chart: themes by "N of M companies", challenges and opportunities apart.

Drawn with Vega-Lite through `vl-convert-python` (no browser, no network, the same bytes for the
same data): SVG for HTML and PDF, PNG for DOCX (what Word and LibreOffice both display). The
alt text states every bar, so a reader who cannot see the chart loses nothing; the table below
it keeps the exact figures.
"""

from __future__ import annotations

import functools
import html
import importlib.metadata
import io
import json
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert
from lxml import etree

from .. import cache
from ..errors import RenderError
from ..pandoc_ast import Node, plain
from ..programs import run_program
from ..sources.images import checked_image_bytes

# Colour-blind-safe pair (blue / orange, Okabe-Ito) that also differs in lightness in greyscale.
COLOURS = {"Challenge": "#0b4f8a", "Opportunity": "#d55e00"}
FONT = '"Libertinus Serif", Georgia, "Times New Roman", serif'
WIDTH = 300  # of the bar area, in px; labels take what they need on the left
SVG_NS = "http://www.w3.org/2000/svg"
PNG_SCALE = 3  # 288 dpi at the width Word gives it


@dataclass(frozen=True)
class ThemeBar:
    label: str
    kind: str  # "challenge" or "opportunity"
    companies: int


@dataclass(frozen=True)
class ThemeChart:
    """The ranked themes of a paper's synthesis, as a figure with a caption and alt text."""

    figure_id: str
    total: int  # M: companies interviewed
    bars: tuple[ThemeBar, ...]
    # Where drawings are kept between builds (see briefings.cache); None draws every time.
    cache: Path | None = field(default=None, compare=False)

    @property
    def caption(self) -> str:
        return (
            f"Themes by the number of companies (of {self.total}) whose participants raised "
            "them, challenges and opportunities"
        )

    @property
    def alt(self) -> str:
        """Every bar in words, in the chart's order."""
        parts = [f"{bar.label} ({bar.kind}): {bar.companies} of {self.total}" for bar in self.bars]
        return (
            f"Horizontal bar chart of {len(self.bars)} themes by the number of companies, "
            f"out of {self.total}, whose participants raised them. " + "; ".join(parts) + "."
        )

    def spec(self) -> dict:
        values = [
            {"theme": b.label, "type": b.kind.capitalize(), "companies": b.companies}
            for b in self.bars
        ]
        order = [b.label for b in self.bars]
        y = {"field": "theme", "type": "nominal", "sort": order, "title": None}
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": values},
            "width": WIDTH,
            "height": {"step": 20},
            "config": {
                "font": FONT,
                "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 320},
                "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
                "view": {"stroke": None},
            },
            "encoding": {"y": y},
            "layer": [
                {
                    "mark": {"type": "bar", "height": {"band": 0.7}},
                    "encoding": {
                        "x": {
                            "field": "companies",
                            "type": "quantitative",
                            "scale": {"domain": [0, self.total]},
                            "axis": {"tickMinStep": 1, "format": "d"},
                            "title": f"Companies (of {self.total})",
                        },
                        "color": {
                            "field": "type",
                            "type": "nominal",
                            "scale": {"domain": list(COLOURS), "range": list(COLOURS.values())},
                            "title": None,
                        },
                    },
                },
                {
                    "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
                    "encoding": {
                        "x": {"field": "companies", "type": "quantitative"},
                        "text": {"field": "companies", "type": "quantitative"},
                    },
                },
            ],
        }

    def start(self) -> None:
        """Start drawing it now, in the background (a first drawing of new data takes ~0.5 s:
        the build goes on meanwhile); `svg` and `png` wait for it."""
        _drawing(self)

    def svg(self) -> bytes:
        return _svg(self)

    def png(self) -> bytes:
        return _png(self)

    def figure(self, fmt: str) -> Node:
        """A pandoc Figure block: SVG for HTML and Typst, PNG for DOCX."""
        # Checked like every image an edition carries (briefings.sources.images).
        uri = checked_image_bytes(self.png() if fmt == "docx" else self.svg(), svg=True).data_uri
        image = {
            "t": "Image",
            "c": [["", [], [["width", "100%"]]], plain(self.alt), [uri, ""]],
        }
        caption = [None, [{"t": "Plain", "c": plain(self.caption)}]]
        return {
            "t": "Figure",
            "c": [[self.figure_id, [], []], caption, [{"t": "Plain", "c": [image]}]],
        }

    def html_figure(self, label: str) -> Node:
        """The figure as raw HTML: the SVG inline (role img, its alt text as label and title),
        and its numbered caption.

        pandoc's `--embed-resources` turns an SVG `<img>` into `<img role="img" aria-label>`
        without `alt`, which the W3C Nu validator flags; an inline `<svg>` is what it expects.
        """
        svg = etree.fromstring(checked_image_bytes(self.svg(), svg=True).data)
        svg.set("role", "img")
        svg.set("aria-label", self.alt)
        title = etree.Element(f"{{{SVG_NS}}}title")
        title.text = self.alt
        svg.insert(0, title)
        svg.attrib.pop("width", None)  # scales to the column (viewBox keeps the proportions)
        svg.attrib.pop("height", None)
        caption = f'<span class="caption-label">{html.escape(label)}</span> ' if label else ""
        markup = (
            f'<figure id="{html.escape(self.figure_id)}" class="chart">\n'
            f"{etree.tostring(svg, encoding='unicode')}\n"
            f"<figcaption>{caption}{html.escape(self.caption)}</figcaption>\n</figure>"
        )
        return {"t": "RawBlock", "c": ["html", markup]}


_VL_CONVERT = importlib.metadata.version("vl-convert-python")  # part of every cached drawing's key


def _svg(chart: ThemeChart) -> bytes:
    return _drawing(chart).result()


_drawings: dict[ThemeChart, Future[bytes]] = {}  # this process's drawings, newest last
_drawings_lock = threading.Lock()


def _drawing(chart: ThemeChart) -> Future[bytes]:
    """The chart's SVG, being drawn or drawn (started by the first to ask: see `start`)."""
    with _drawings_lock:
        found = _drawings.get(chart)
        if found is None or (found.done() and found.exception() is not None):  # failed: again
            found = _drawings[chart] = _pool().submit(_kept_svg, chart)
            while len(_drawings) > 8:
                del _drawings[next(iter(_drawings))]
        return found


def clear_drawings() -> None:
    """Forget this process's drawings (the project's cache keeps its own)."""
    with _drawings_lock:
        _drawings.clear()
    _png.cache_clear()


@functools.cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart")


def _kept_svg(chart: ThemeChart) -> bytes:
    # Vega runs in an embedded JavaScript engine whose start costs about half a second, so
    # the drawing is kept in the project's cache, named by everything that shapes it.
    spec = json.dumps(chart.spec(), sort_keys=True)
    key = cache.key_of(["theme-chart.svg", _VL_CONVERT, spec])
    return cache.cached(chart.cache, key, lambda: draw_svg(spec))


# Vega's engine in a process of its own: its ~60 MB are given back as soon as the drawing is
# made (before the editions' pandoc runs), and it does not hold this process's GIL meanwhile.
_DRAW = (
    "import json, sys, vl_convert\n"
    "spec = json.load(sys.stdin)\n"
    "sys.stdout.buffer.write(vl_convert.vegalite_to_svg(spec, allowed_base_urls=[]).encode())\n"
)


def draw_svg(spec: str) -> bytes:
    """The SVG of a Vega-Lite spec (JSON), drawn by vl-convert in a short-lived process."""
    done = run_program([sys.executable, "-I", "-c", _DRAW], spec.encode("utf-8"))
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        raise RenderError(f"drawing the findings chart failed: {reason[0]}")
    return done.stdout


@functools.lru_cache(maxsize=8)
def _png(chart: ThemeChart) -> bytes:
    # Rasterised from the SVG (resvg, no JavaScript engine): the same drawing, in a fraction of
    # the time of asking Vega for a PNG.
    svg = _svg(chart)
    key = cache.key_of(["theme-chart.png", _VL_CONVERT, svg, str(PNG_SCALE), "palette"])
    return cache.cached(
        chart.cache,
        key,
        lambda: with_palette(vl_convert.svg_to_png(svg.decode("utf-8"), scale=PNG_SCALE)),
    )


def with_palette(png: bytes) -> bytes:
    """The same pixels stored with a palette when the drawing has at most 256 colours (a chart
    of two colours and antialiased text has about forty): an eighth of the bytes of resvg's
    true-colour PNG, which every edition, the DOCX writer and the gate then carry. Kept as it
    is when it has more colours, or if the palette would change a single pixel."""
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(png)) as image:
        image.load()
        if image.getcolors(256) is None:
            return png
        paletted = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        if ImageChops.difference(paletted.convert(image.mode), image).getbbox() is not None:
            return png
        out = io.BytesIO()
        # The same resolution too: the DOCX writer sizes the picture by it.
        paletted.save(out, "PNG", **({"dpi": image.info["dpi"]} if "dpi" in image.info else {}))
    return out.getvalue()
