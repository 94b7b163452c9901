"""pandoc's --sandbox does not cover Lua filters: ours must not read files or run programs.

A filter is project code, but it sees the document's content; a filter that opened a path taken
from the document would undo the sandbox. None of these calls may appear in a filter.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = re.compile(
    r"\b(io\.(open|lines|popen|read|input)|os\.(execute|remove|rename|tmpname)|dofile|loadfile"
    r"|require|pandoc\.mediabag\.(fetch|fill)|pandoc\.pipe|pandoc\.system|pandoc\.read\w*)\b"
)


def test_lua_filters_read_no_file_named_by_content():
    filters = [
        path for folder in ("briefings", "templates") for path in (REPO / folder).rglob("*.lua")
    ]
    offending = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in filters
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORBIDDEN.search(line.split("--", 1)[0])
    ]
    assert offending == []


def test_the_forbidden_calls_are_recognised():
    for call in ("io.open(el.src)", "pandoc.mediabag.fetch(src)", "os.execute('x')"):
        assert FORBIDDEN.search(call)
    assert not FORBIDDEN.search("pandoc.utils.stringify(el)")
