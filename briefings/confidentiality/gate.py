"""Publish-time check: no roster name in anything about to leave, in any disguise.

Messages show names masked ("N*****e") and never include the roster; they point to the source
file and field the name came from when it can be found there.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfidentialityError, Problem
from ..project import Project
from ..roster import RosterNames, Term
from .extract import Chunk, extract, readable
from .prescan import Prescan
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
            hits.append((term, _label(names, shown), _label(names, chunk.part), line))
    return hits


def check_text(
    project: Project,
    paper_id: str,
    markdown: str,
    allowlist: Sequence[str] = (),
    where: str = "assembled Markdown",
) -> None:
    """Fail fast, before rendering, when the assembled Markdown holds a roster name."""
    names = _names(project, paper_id, allowlist)
    chunks = readable([Chunk("text", markdown)])
    _raise_if_found(
        project, paper_id, names, scan_chunks(names, where, chunks), _refused(names, where, chunks)
    )


def check_edition(
    project: Project,
    paper_id: str,
    markdown: str,
    files: list[Path],
    allowlist: Sequence[str] = (),
    prescan: Prescan | None = None,
) -> None:
    """Scan the Markdown and every staged edition file (text, attributes, XML parts, metadata).

    Raises ConfidentialityError listing every hit; the publisher then publishes nothing.
    `prescan` holds files read as they were written (used only where the bytes are unchanged).
    """
    names = _names(project, paper_id, allowlist)
    chunks = readable([Chunk("text", markdown)])
    hits = scan_chunks(names, "assembled Markdown", chunks)
    refused = _refused(names, "assembled Markdown", chunks)
    for path in files:
        path = Path(path)
        chunks = prescan.chunks(path) if prescan else readable(extract(path))
        hits += scan_chunks(names, path.name, chunks)
        refused += _refused(names, path.name, chunks)
    _raise_if_found(project, paper_id, names, hits, refused)


def _refused(names: RosterNames, shown: str, chunks: list[Chunk]) -> list[Problem]:
    return [
        Problem(
            _label(names, shown),
            f"{c.refused}: an edition embeds images only",
            _label(names, c.part),
        )
        for c in chunks
        if c.refused
    ]


def _label(names: RosterNames, label: str) -> str:
    """A file or part name as printed: withheld if it holds a roster name itself (a media part
    named after a person, say)."""
    return "(a part whose name holds a roster name)" if names.find(label) else label


def _without_split_parts(places: dict[tuple, list]) -> dict[tuple, list]:
    """Places less the names that are part of a longer one found in the same file and field a
    line or so above: a name broken across lines ("A-" / "mara Okonkwe-Lind") is found on its
    first line, and its surname again on the next, where it is not a second name."""

    def inside_longer(term: Term, file: str, field: str | None, line: int) -> bool:
        return any(
            term.key in longer.key
            and len(longer.key) > len(term.key)
            and 0 < line - above < len(longer.words)
            for (f, fd, above), named in places.items()
            if (f, fd) == (file, field) and above is not None
            for longer, _ in named
        )

    kept: dict[tuple, list] = {}
    for (file, field, line), named in places.items():
        rest = [
            (term, where)
            for term, where in named
            if line is None or not inside_longer(term, file, field, line)
        ]
        if rest:
            kept[(file, field, line)] = rest
    return kept


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
    # One line per place: names found in the same source field (or edition part) share it, and
    # a name inside a longer one found there ("Dalvoss" in "Henrik Dalvoss") is not listed again.
    places: dict[tuple, list[tuple[Term, str | None]]] = {}
    found = {t.words: [h for h in hits if h[0].words == t.words] for t in terms}
    spots = {words: {(f, part, line) for _, f, part, line in at} for words, at in found.items()}

    def inside_traced(term: Term) -> bool:
        """Found only where a longer name holding it was found, and that one is traced: its line
        says it ("Yarrowby Telecom" in "YarrowbyTelecomGroup" was a second line, "not in any
        text source", under the traced one)."""
        return any(
            term.key in longer.key
            and len(longer.key) > len(term.key)
            and origins.get(longer.words)
            and spots[term.words] <= spots[longer.words]
            for longer in terms
        )

    for term in terms:
        found_in = found[term.words]
        where = "; ".join(
            f"{f}: {part}" + (f" line {line}" if line else "") for _, f, part, line in found_in[:4]
        )
        if len(found_in) > 4:
            where += f"; and {len(found_in) - 4} more"
        for origin in origins.get(term.words) or []:
            places.setdefault((origin.file, origin.field, origin.line), []).append((term, where))
        if not origins.get(term.words) and not inside_traced(term):
            for _, shown, part, line in found_in:
                places.setdefault((shown, part, line), []).append((term, None))
    problems: list[Problem] = list(refused)
    for (file, field, line), named in _without_split_parts(places).items():
        kept: list[tuple[Term, str | None]] = []
        for term, in_edition in sorted(named, key=lambda tw: -len(tw[0].key)):
            if not any(term.key in longer.key for longer, _ in kept):
                kept.append((term, in_edition))
        names_shown = ", ".join(term.describe() for term, _ in kept)
        in_edition = kept[0][1]
        message = (
            f"roster {names_shown} would be published (in {in_edition})"
            if in_edition
            else f"roster {names_shown} found; not in any text source "
            "(check images, bibliography and file names)"
        )
        problems.append(Problem(file, message, field, line))
    counts = [f"{len(terms)} roster name(s)"] if terms else []
    counts += [f"{len(refused)} embedded file(s) that are not images"] if refused else []
    raise ConfidentialityError(
        f"{paper_id}: {' and '.join(counts)} found in the edition; nothing was published", problems
    )
