"""Keep the README's command reference equal to the real `--help` output.

python -m briefings.cli_docs README.md     # rewrite the block between the markers
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from pathlib import Path

START, END = "<!-- cli-help:start -->", "<!-- cli-help:end -->"
COMMANDS: tuple[list[str], ...] = (
    [],
    ["list"],
    ["check"],
    ["build"],
    ["verify"],
    ["refresh"],
    ["serve"],
    ["review", "ingest"],
    ["review", "decide"],
    ["review", "list"],
    ["review", "report"],
    ["diff"],
    ["preview"],
)


def _help(words: list[str]) -> str:
    from .cli import make_parser

    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix the width
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        make_parser().parse_args([*words, "--help"])
    return out.getvalue().rstrip()


def render() -> str:
    blocks = [
        f"```text\n$ briefings {' '.join(w)} --help\n{_help(w)}\n```".replace(
            "briefings  --help", "briefings --help"
        )
        for w in COMMANDS
    ]
    return START + "\n" + "\n\n".join(blocks) + "\n" + END


def replace_block(text: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: render(), text)


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(replace_block(path.read_text(encoding="utf-8")), encoding="utf-8")
