"""Drive the session's LibreOffice (tests/conftest.py) over UNO, by Debian's /usr/bin/python3."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SYSTEM_PYTHON

HELPER = Path(__file__).with_name("lo_annotate.py")


MARKS = [
    pytest.mark.libreoffice
]  # the `libreoffice` fixture skips, or fails in CI, with the reason


def annotate(pipe: str, draft: Path, out: Path, notes: list[dict]) -> None:
    """Comment on `draft` as a reviewer in LibreOffice and save the copy as DOCX at `out`."""
    run = subprocess.run(
        [SYSTEM_PYTHON, str(HELPER), pipe, str(draft), str(out), json.dumps(notes)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]


def comments_seen(pipe: str, docx: Path) -> list[dict]:
    """The comments LibreOffice shows when it opens `docx`: author, text, anchored text."""
    run = subprocess.run(
        [SYSTEM_PYTHON, str(HELPER), pipe, str(docx), "--list"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
