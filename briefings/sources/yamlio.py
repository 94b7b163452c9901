"""YAML reading that remembers the line of every key, so errors can name it.

Editors' YAML is plain data: anchors and aliases are refused (an alias "bomb" of a few hundred
bytes would otherwise expand to gigabytes), and so is a key given twice in one mapping (the last
value would silently win: `consent_to_quote: false` then `true`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, SourceError
from .files import SourceFileError, read_source_text, unwritable, unwritable_message

Loc = tuple[Any, ...]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDoc:
    """A parsed YAML file: its data plus the 1-based line of each key path."""

    path: Path
    shown: str  # the path as shown in messages
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)

    def problem(self, loc: Loc, message: str) -> Problem:
        field_name = ".".join(str(part) for part in loc) or None
        return Problem(self.shown, message, field_name, self.line_of(loc))


def _index_lines(root: yaml.Node, shown: str) -> tuple[dict[Loc, int], list[Problem]]:
    """The line of every key path, and a Problem for every key given twice in one mapping.

    Iterative (a document nested 1,000 deep is valid YAML) and linear, since aliases are refused.
    """
    out: dict[Loc, int] = {}
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        out.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, value_node in node.value:
                key, line = key_node.value, key_node.start_mark.line + 1
                if isinstance(key_node, yaml.ScalarNode):
                    if key in seen:
                        field_name = ".".join(str(p) for p in loc + (key,))
                        message = f"key {key!r} given twice (lines {seen[key]} and {line})"
                        problems.append(Problem(shown, message, field_name, line))
                        continue
                    seen[key] = line
                else:
                    key = str(key)
                out[loc + (key,)] = line
                stack.append((value_node, loc + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, loc + (i,)) for i, item in enumerate(node.value)]
    return out, problems


def _anchors(text: str, shown: str) -> list[Problem]:
    """A Problem for each anchor (`&name`) and alias (`*name`) of the document."""
    if "&" not in text and "*" not in text:
        return []
    problems = []
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if not anchor:
            continue
        what = f"alias *{anchor}" if isinstance(event, yaml.AliasEvent) else f"anchor &{anchor}"
        message = f"YAML {what} is not allowed: write the value out in full"
        line = event.start_mark.line + 1 if event.start_mark else None
        problems.append(Problem(shown, message, None, line))
    return problems


def read_yaml(path: Path, shown: str, inside: Path | None = None) -> YamlDoc:
    """Parse `path` (a regular UTF-8 file, inside the folder `inside` when given).

    A file that cannot be read, malformed YAML, an anchor or alias, or a repeated key raises
    YamlSyntaxError carrying every Problem with its line.
    """
    try:
        text = read_source_text(path, shown, inside)
    except SourceFileError as exc:
        raise YamlSyntaxError(*exc.problems) from None
    # One parse (libyaml's C parser where available): keep the node tree for line numbers and
    # construct the data from it.
    loader = _Loader(text)
    try:
        if problems := _anchors(text, shown):
            raise YamlSyntaxError(*problems)
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        if node is not None:
            lines, problems = _index_lines(node, shown)
            if problems:
                raise YamlSyntaxError(*problems)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(
            Problem(shown, f"malformed YAML: {exc.problem or exc}", None, line)
        ) from None
    except yaml.YAMLError as exc:  # the reader's errors (a character YAML refuses) carry no mark
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        message = f"malformed YAML: {str(exc).splitlines()[0]}"
        raise YamlSyntaxError(Problem(shown, message, None, line)) from None
    finally:
        loader.dispose()
    doc = YamlDoc(path, shown, data, lines)
    if problems := _unwritable_values(doc):
        raise YamlSyntaxError(*problems)
    return doc


def string_values(data: Any) -> Iterator[tuple[Loc, str]]:
    """Every string value below `data`, with its location (keys and indexes)."""
    stack: list[tuple[Any, Loc]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, dict):
            stack += [(item, loc + (key,)) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(item, loc + (i,)) for i, item in enumerate(value)]
        elif isinstance(value, str):
            yield loc, value


def _unwritable_values(doc: YamlDoc) -> list[Problem]:
    """A Problem for every string value that a YAML escape (`"\\x14"`) filled with a control
    character."""
    return [
        doc.problem(loc, unwritable_message(char))
        for loc, value in string_values(doc.data)
        if (char := unwritable(value))
    ]


class YamlSyntaxError(SourceError):
    """A file that is not valid (or not allowed) YAML; `problems` name it with their lines
    (callers collect them with the rest)."""

    def __init__(self, *problems: Problem):
        super().__init__("; ".join(str(p) for p in problems), list(problems))
        self.problem = problems[0]
