"""The source maps of the sample papers' drafts, as the build assembles them.

The review ledgers are keyed by these ids (and traced through their sections), so a change to
how ids, sections or subsections are found must leave them exactly as they are. Regenerate only
on purpose: `python -m tests.pipeline.source_map_golden` (it rewrites tests/pipeline/golden/).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from briefings.pipeline import assemble_paper, gather
from briefings.project import Project

GOLDEN = Path(__file__).parent / "golden"
PAPERS = ("2023-tech-regulation", "2024-fairness-bias")
BUILT_AT = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def source_map(repo: Path, paper_id: str) -> dict:
    """The draft's source map, assembled from a copy of the repository's sources."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("paper_sources", "templates"):
            shutil.copytree(repo / name, root / name, ignore=shutil.ignore_patterns("reviews"))
        (root / "outputs").mkdir()
        project = Project(root)
        sources = gather(project, paper_id)
        assembled = assemble_paper(sources, "golden-draft", False, {}, BUILT_AT)
        return assembled.source_map


def golden_path(paper_id: str) -> Path:
    return GOLDEN / f"source-map-{paper_id}.json"


if __name__ == "__main__":
    repo = Path(__file__).resolve().parents[2]
    GOLDEN.mkdir(exist_ok=True)
    for paper in PAPERS:
        text = json.dumps(source_map(repo, paper), indent=1, ensure_ascii=False, sort_keys=False)
        golden_path(paper).write_text(text + "\n", encoding="utf-8")
