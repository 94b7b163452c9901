"""The findings chart: themes by "N of M companies", challenges and opportunities apart.

Drawn with Vega-Lite through `vl-convert-python` (no browser, no network, the same bytes for the
same data): SVG for HTML and PDF, PNG for DOCX (what Word and LibreOffice both display). The
alt text states every bar, so a reader who cannot see the chart loses nothing; the table below
it keeps the exact figures.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass

import vl_convert
from lxml import etree

from ..pandoc_ast import Node, plain
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


@functools.lru_cache(maxsize=8)
def _svg(chart: ThemeChart) -> bytes:
    return vl_convert.vegalite_to_svg(chart.spec(), allowed_base_urls=[]).encode("utf-8")


@functools.lru_cache(maxsize=8)
def _png(chart: ThemeChart) -> bytes:
    return vl_convert.vegalite_to_png(chart.spec(), scale=PNG_SCALE, allowed_base_urls=[])
