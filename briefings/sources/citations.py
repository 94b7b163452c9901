"""Citation keys: every key a source cites must be in a references.yaml (CSL YAML)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import Problem, SourceError
from ..pandoc_ast import cite_keys, read_markdown
from .collect import Collector
from .files import bracket_problem, too_deep_brackets
from .models import RegulationEntry
from .yamlio import YamlDoc, YamlSyntaxError, read_yaml, string_values


def bibliography_keys(c: Collector, bibliography: list[Path]) -> dict[str, str]:
    """Every reference id of the given CSL YAML files, with the short form it is cited by.

    The short form is what the house style prints in the text for legislation: `title-short`,
    else `number`, else `title`.
    """
    keys: dict[str, str] = {}
    for path in bibliography:
        try:
            doc = read_yaml(path, c.project.relative(path), c.project.sources)
        except YamlSyntaxError as exc:
            c.problems.extend(exc.problems)
            continue
        _check_brackets(c, doc, doc.data)
        refs = doc.data.get("references") if isinstance(doc.data, dict) else None
        if not isinstance(refs, list):
            c.problems.append(
                doc.problem((), "expected a CSL YAML mapping with a 'references' list")
            )
            continue
        for i, ref in enumerate(refs):
            if not isinstance(ref, dict) or "id" not in ref:
                c.problems.append(doc.problem(("references", i), "reference without an id"))
            else:
                label = ref.get("title-short") or ref.get("number") or ref.get("title") or ""
                keys[str(ref["id"])] = str(label)
    return keys


def _check_brackets(c: Collector, doc: YamlDoc, data) -> None:
    """pandoc reads every string of a CSL YAML file as Markdown: refuse pathological nesting."""
    for loc, value in string_values(data):
        if too_deep_brackets(value):
            c.problems.append(doc.problem(loc, bracket_problem(doc.shown, 0).message))


def check_registry_citations(
    c: Collector, keys: dict[str, str], instruments: list[RegulationEntry], docs: dict[str, YamlDoc]
) -> None:
    for entry in instruments:
        for i, key in enumerate(entry.citations):
            if key not in keys:
                c.add(
                    docs[entry.id],
                    ("citations", i),
                    f"unknown citation key {key!r} (not in references.yaml)",
                )


def check_prose_citations(c: Collector, keys: dict[str, str], prose: dict[Path, str]) -> None:
    """Citations in hand-written prose, read by pandoc as the render reads them; a key pandoc would
    not find is an error, with the line it is written on."""
    shown_as = {path: c.project.relative(path) for path in prose}

    def read(path: Path) -> list[str] | SourceError:
        try:
            return list(cite_keys(read_markdown(prose[path], shown_as[path])["blocks"]))
        except SourceError as exc:
            return exc

    # One pandoc run per file, side by side (each mostly waits on its subprocess).
    with ThreadPoolExecutor(max_workers=max(1, min(4, len(prose)))) as pool:
        readings = list(pool.map(read, prose))
    for (path, text), found in zip(prose.items(), readings, strict=True):
        shown = shown_as[path]
        if isinstance(found, SourceError):
            c.problems.extend(found.problems)
            continue
        lines = text.splitlines()
        for key in dict.fromkeys(k for k in found if k not in keys):
            written = (f"@{key}", f"@{{{key}}}")
            numbers: list[int | None] = [
                n for n, line in enumerate(lines, 1) if any(w in line for w in written)
            ]
            for number in numbers or [None]:
                c.problems.append(
                    Problem(
                        shown,
                        f"unknown citation key {key!r} (not in references.yaml)",
                        "citation",
                        number,
                    )
                )
