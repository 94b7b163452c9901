"""Citation keys: every key a source cites must be in a references.yaml (CSL YAML)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem
from .collect import Collector
from .models import RegulationEntry
from .yamlio import YamlDoc, YamlSyntaxError, read_yaml

# pandoc's citation syntax: @key or @{key}, not preceded by a letter or digit (e-mail addresses).
_CITATION = re.compile(r"(?<![\w@\\])-?@(?:\{([^}]+)\}|([\w][\w:.#$%&+?<>~/-]*))")


def bibliography_keys(c: Collector, bibliography: list[Path]) -> dict[str, str]:
    """Every reference id of the given CSL YAML files, with the short form it is cited by.

    The short form is what the house style prints in the text for legislation: `title-short`,
    else `number`, else `title`.
    """
    keys: dict[str, str] = {}
    for path in bibliography:
        try:
            doc = read_yaml(path, c.project.relative(path))
        except YamlSyntaxError as exc:
            c.problems.append(exc.problem)
            continue
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
    """Citations in hand-written prose; a key pandoc would not find is an error, with its line."""
    for path, text in prose.items():
        for number, line in enumerate(text.splitlines(), 1):
            for match in _CITATION.finditer(line):
                key = (match.group(1) or match.group(2)).rstrip(".:;,?")
                if key not in keys:
                    c.problems.append(
                        Problem(
                            c.project.relative(path),
                            f"unknown citation key {key!r} (not in references.yaml)",
                            "citation",
                            number,
                        )
                    )
