"""A realistic assembled briefing document, built in code, for the render tests."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

JURISDICTIONS = ("EU", "UK", "US", "Canada", "Brazil", "Japan")
STATUSES = ("in force", "adopted", "proposed", "consultation")


def long_table_rows(count: int = 72) -> str:
    """Rows of a pipe table long enough to run over more than one page."""
    rows = []
    for n in range(1, count + 1):
        jurisdiction = JURISDICTIONS[n % len(JURISDICTIONS)]
        status = STATUSES[n % len(STATUSES)]
        subject = f"Instrument number {n} on automated decisions"
        rows.append(f"| INST-{n:03d} | {subject} | {jurisdiction} | {status} |")
    return "\n".join(rows)


def sample_markdown(
    *, draft: bool = True, cite_key: str = "eu-ai-act", image: str | None = None
) -> str:
    """The assembled Markdown of a short briefing paper, with every construct assembly emits."""
    figure = f"![Share of companies raising each theme]({image}){{#fig-themes}}\n" if image else ""
    return f"""---
title: "Advancing Human Rights Leadership in Technology Regulation"
subtitle: "Briefing paper of the 2023 roundtable series"
date: "15 November 2023"
lang: en-GB
author: "Roundtable on Human Rights and AI"
series: "2023 series"
paper-id: "2023-tech-regulation"
edition-id: "2023-11-15-e1"
draft: {"true" if draft else "false"}
---

# Executive summary {{#sec-executive-summary}}

::: {{#p-exec-01}}
Regulators on three continents now ask technology companies to show how they identify and
address risks to people, not only to the firm.[^scope] The European Union's act on artificial
intelligence [@{cite_key}] sets the pace; the United Kingdom takes a sector-led approach
[@uk-white-paper, p. 12].
:::

[^scope]: This paper covers instruments adopted or proposed up to the date of the edition.

# Regulatory context {{#sec-regulatory-context}}

## Overview by jurisdiction {{#sec-overview}}

::: {{#p-reg-01}}
The table below lists every instrument this paper covers, with its status as of the edition
date. Status follows the official record; unverified facts are marked as such.
:::

| Instrument | Subject | Jurisdiction | Status |
|------------|---------|--------------|--------|
{long_table_rows()}

: Instruments covered by this paper, by jurisdiction {{#tbl-instruments}}

## Due diligence duties {{#sec-due-diligence}}

::: {{#p-reg-02}}
Due diligence laws ask companies to map their value chains and to act on what they find
[@csddd]. Several interviewees called this *the* defining shift of the period.
:::

{figure}
+---------------+----------------------------+
| Theme         | Companies raising it       |
+===============+============================+
| Transparency  | 14 of 20 companies         |
+---------------+----------------------------+
| Bias          | 11 of 20 companies         |
+---------------+----------------------------+

: Themes ranked by how many companies raised them {{#tbl-themes}}

# Recommendations {{#sec-recommendations}}

## For companies {{#sec-rec-companies}}

::: {{#p-rec-04}}
Publish a human-rights impact assessment for each high-risk system before deployment, and
update it when the system changes.[^evidence]
:::

[^evidence]: Evidence: themes T03 and T05; instruments EU-AIA and UK-OSA.

# References {{#sec-references}}

::: {{#refs}}
:::
"""


BIBLIOGRAPHY = """references:
- id: eu-ai-act
  type: legislation
  title: Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence
  author:
  - literal: European Parliament and Council of the European Union
  issued:
    date-parts: [[2024, 6, 13]]
  container-title: Official Journal of the European Union
  URL: https://eur-lex.europa.eu/eli/reg/2024/1689/oj
- id: uk-white-paper
  type: report
  title: "A pro-innovation approach to AI regulation"
  author:
  - literal: Department for Science, Innovation and Technology
  publisher: HM Government
  publisher-place: London
  issued:
    date-parts: [[2023, 3, 29]]
- id: csddd
  type: legislation
  title: Directive (EU) 2024/1760 on corporate sustainability due diligence
  author:
  - literal: European Parliament and Council of the European Union
  issued:
    date-parts: [[2024, 6, 13]]
  container-title: Official Journal of the European Union
"""


def write_bibliography(folder: Path) -> Path:
    """Write the sample CSL YAML bibliography and return its path."""
    path = folder / "references.yaml"
    path.write_text(BIBLIOGRAPHY, encoding="utf-8")
    return path


def write_png(path: Path, width: int = 48, height: int = 24) -> Path:
    """Write a small solid-colour PNG (no imaging library needed)."""
    raw = b"".join(b"\x00" + bytes((40, 90, 140)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    png = b"\x89PNG\r\n\x1a\n" + chunks
    path.write_bytes(png)
    return path
