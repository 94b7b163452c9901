"""Publish-time check: no roster name in anything about to leave, in any disguise.

Messages show names masked ("N*****e") and never include the roster; they point to the source
file and field the name came from when it can be found there.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import ConfidentialityError, Problem
from ..project import Project
from ..roster import RosterNames, Term
from .extract import Chunk, embedded, extract
from .trace import trace

log = logging.getLogger(__name__)
Hit = tuple[Term, str, str, int | None]  # term, file shown, part, line


def scan_chunks(names: RosterNames, shown: str, chunks: list[Chunk]) -> list[Hit]:
    """Every (term, file, part, line) found in `chunks`; each term once per part."""
    hits: list[Hit] = []
    seen: set[tuple] = set()
    if not names:
        return hits
    for chunk in chunks:
        for term in names.find(chunk.text):
            if (term.words, chunk.part) in seen:
                continue
            seen.add((term.words, chunk.part))
            line = names.line_of(chunk.text, term) if chunk.part == "text" else None
            hits.append((term, shown, chunk.part, line))
    return hits


def check_text(
    project: Project,
    paper_id: str,
    markdown: str,
    allowlist: list[str] = (),
    where: str = "assembled Markdown",
) -> None:
    """Fail fast, before rendering, when the assembled Markdown holds a roster name."""
    names = _names(project, paper_id, allowlist)
    chunks = [Chunk("text", markdown)]
    chunks += embedded(chunks)
    _raise_if_found(
        project, paper_id, names, scan_chunks(names, where, chunks), _refused(where, chunks)
    )


def check_edition(
    project: Project, paper_id: str, markdown: str, files: list[Path], allowlist: list[str] = ()
) -> None:
    """Scan the Markdown and every staged edition file (text, attributes, XML parts, metadata).

    Raises ConfidentialityError listing every hit; the publisher then publishes nothing.
    """
    names = _names(project, paper_id, allowlist)
    chunks = [Chunk("text", markdown)]
    chunks += embedded(chunks)
    hits = scan_chunks(names, "assembled Markdown", chunks)
    refused = _refused("assembled Markdown", chunks)
    for path in files:
        path = Path(path)
        chunks = extract(path)
        chunks += embedded(chunks)
        hits += scan_chunks(names, path.name, chunks)
        refused += _refused(path.name, chunks)
    _raise_if_found(project, paper_id, names, hits, refused)


def _refused(shown: str, chunks: list[Chunk]) -> list[Problem]:
    return [
        Problem(shown, f"{c.refused}: an edition embeds images only", c.part)
        for c in chunks
        if c.refused
    ]


def _names(project: Project, paper_id: str, allowlist) -> RosterNames:
    names = RosterNames.load(project, paper_id, list(allowlist))
    if not names:
        log.warning(
            "%s: no roster found, so the confidentiality gate has no names to check", paper_id
        )
    return names


def _raise_if_found(
    project: Project, paper_id: str, names: RosterNames, hits: list[Hit], refused: list[Problem]
) -> None:
    if not hits and not refused:
        return
    terms = list({h[0].words: h[0] for h in hits}.values())
    origins = trace(project, paper_id, names, terms) if terms else {}
    problems: list[Problem] = list(refused)
    for term in terms:
        places = [h for h in hits if h[0].words == term.words]
        where = "; ".join(
            f"{f}: {part}" + (f" line {line}" if line else "") for _, f, part, line in places[:4]
        )
        if len(places) > 4:
            where += f"; and {len(places) - 4} more"
        found = origins.get(term.words) or []
        for origin in found:
            problems.append(
                Problem(
                    origin.file,
                    f"roster {term.describe()} would be published (in {where})",
                    origin.field,
                    origin.line,
                )
            )
        if not found:
            for _, shown, part, line in places:
                problems.append(
                    Problem(
                        shown,
                        f"roster {term.describe()} found; not in any text source "
                        "(check images, bibliography and file names)",
                        part,
                        line,
                    )
                )
    found = [f"{len(terms)} roster name(s)"] if terms else []
    found += [f"{len(refused)} embedded file(s) that are not images"] if refused else []
    raise ConfidentialityError(
        f"{paper_id}: {' and '.join(found)} found in the edition; nothing was published", problems
    )
