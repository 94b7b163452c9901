"""One headless LibreOffice per test session, driven over UNO by Debian's /usr/bin/python3."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
HELPER = Path(__file__).with_name("lo_annotate.py")


def why_not() -> str | None:
    if not shutil.which("soffice"):
        return (
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer python3-uno"
        )
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"{SYSTEM_PYTHON} is missing (python3-uno is only importable by Debian's python)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode:
        return "python3-uno is not installed: apt-get install python3-uno"
    return None


# CI sets BRIEFINGS_REQUIRE_LIBREOFFICE=1 so that a missing LibreOffice fails instead of skipping.
REQUIRED = os.environ.get("BRIEFINGS_REQUIRE_LIBREOFFICE") == "1"
MISSING = why_not()
MARKS = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(bool(MISSING) and not REQUIRED, reason=MISSING or ""),
]


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
