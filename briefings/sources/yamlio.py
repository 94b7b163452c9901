"""YAML reading that remembers the line of every key, so errors can name it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, SourceError

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


def _index_lines(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    out.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[loc + (key,)] = key_node.start_mark.line + 1
            _index_lines(value_node, loc + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, loc + (i,), out)


def read_yaml(path: Path, shown: str) -> YamlDoc:
    """Parse `path`; a syntax error raises YamlSyntaxError carrying a Problem with its line."""
    text = path.read_text(encoding="utf-8")
    # One parse (libyaml's C parser where available): keep the node tree for line numbers and
    # construct the data from it.
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(
            Problem(shown, f"malformed YAML: {exc.problem or exc}", None, line)
        ) from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    return YamlDoc(path, shown, data, lines)


class YamlSyntaxError(SourceError):
    """A file that is not valid YAML; `problem` names it (callers collect it with the rest)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem), [problem])
        self.problem = problem
