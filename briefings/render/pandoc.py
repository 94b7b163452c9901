"""Running pandoc (from pypandoc-binary) as a subprocess and sorting its warnings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, RenderError
from ..pandoc_ast import pandoc_messages as _messages
from ..pandoc_ast import run_sandboxed
from ..programs import DEADLINE_ENV, ProgramTimeout


@dataclass(frozen=True)
class PandocRun:
    """What one pandoc call produced: its output bytes and its warning lines."""

    output: bytes
    warnings: list[str]


class PandocFailure(RenderError):
    """pandoc exited non-zero; `messages` holds its error output, one problem per item."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages), [Problem("pandoc", m) for m in messages])
        self.messages = messages


def run_pandoc(args: list[str], stdin: bytes | None = None, cwd: Path | None = None) -> PandocRun:
    """Run pandoc with args, feeding stdin; raise PandocFailure on a non-zero exit or timeout.

    Every run is `--sandbox`ed: pandoc reads only the files named on its command line (templates,
    bibliography, style), never one named by the document, and fetches nothing.
    """
    try:
        done = run_sandboxed(args, stdin, cwd)
    except ProgramTimeout as timeout:
        raise PandocFailure(
            [f"pandoc {timeout} (deeply nested brackets or a huge table?); ${DEADLINE_ENV} sets it"]
        ) from None
    messages = _messages(done.stderr.decode("utf-8", "replace"))
    if done.returncode != 0:
        raise PandocFailure(messages or [f"pandoc exited with status {done.returncode}"])
    return PandocRun(done.stdout, [m for m in messages if m.startswith("[WARNING]")])
