"""Reading an editor's file: a regular UTF-8 file inside paper_sources/, byte-order mark removed."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..errors import Problem, SourceError

MAX_SOURCE_BYTES = 10_000_000  # the largest sample source is ~20 KB
BOM = "\ufeff"
# Characters no edition format can carry (XML 1.0 refuses them; a lone surrogate cannot even be
# written as UTF-8): C0 and C1 controls but tab and line breaks, surrogates, U+FFFE and U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# pandoc's Markdown reader takes exponential time in bracket nesting (8 levels: 1 s, 11: 33 s,
# 15: hours); prose and reference titles are read as Markdown.
MAX_BRACKET_DEPTH = 5


class SourceFileError(SourceError):
    """A file that cannot be read as a source; `problems` say why (collected with the rest)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems), problems)


def read_source_text(path: Path, shown: str, inside: Path | None = None) -> str:
    """The text of `path`, with a leading BOM removed.

    Refused with a SourceFileError naming the file (and line, for bad UTF-8): anything but a
    regular file (a FIFO would hang the build), a file over 10 MB, invalid UTF-8, and — when
    `inside` is given — a file that is not inside that folder once symlinks are followed.
    """
    path = Path(path)
    if inside is not None and not _within(path, inside):
        where = inside.name + "/"
        raise SourceFileError([Problem(shown, f"is a symbolic link to a file outside {where}")])
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise SourceFileError([Problem(shown, f"cannot be read ({exc.strerror})")]) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise SourceFileError([Problem(shown, "is not a regular file")])
        data = handle.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        limit = MAX_SOURCE_BYTES // 1_000_000
        raise SourceFileError([Problem(shown, f"is larger than {limit} MB")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - line_start + 1
        message = f"not valid UTF-8: byte 0x{data[exc.start]:02x} at column {column}"
        problem = Problem(shown, message + "; save the file as UTF-8", None, line)
        raise SourceFileError([problem]) from None
    text = text.removeprefix(BOM)
    if found := _UNWRITABLE.search(text):
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - text.rfind("\n", 0, found.start())
        raise SourceFileError(
            [Problem(shown, unwritable_message(found.group(), column), None, line)]
        )
    return text


def unwritable(text: str) -> str | None:
    """The first character of `text` no edition can carry, or None."""
    found = _UNWRITABLE.search(text)
    return found.group() if found else None


def unwritable_message(char: str, column: int | None = None) -> str:
    where = f" at column {column}" if column is not None else ""
    return f"control character U+{ord(char):04X}{where} cannot appear in a document; remove it"


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return False
    return True


def too_deep_brackets(text: str) -> int | None:
    """The line where `[` brackets first nest deeper than MAX_BRACKET_DEPTH, or None."""
    depth, line, escaped = 0, 1, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return line
        elif char == "]":
            depth = max(0, depth - 1)
        elif char == "\n":
            line += 1
    return None


def bracket_problem(shown: str, line: int, field: str | None = None) -> Problem:
    return Problem(
        shown, f"brackets [ ] nested more than {MAX_BRACKET_DEPTH} deep; simplify", field, line
    )
