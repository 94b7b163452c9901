"""Benchmark: the cost of review in a build, and of reading a reviewed draft back.

1. A draft build (`briefings build PAPER`, three editions, fresh process) with 0, 500 and 5,000
   open comments in the paper's ledger, interleaved, median of several rounds; prints each
   build's ratio to the build with none. Each comment is carried into the DOCX onto its place,
   every tenth with a reply, and listed on the draft's open-items page.
2. `briefings review ingest` (in-process: read, trace, redact, append) of a draft carrying 50
   comments, median of several rounds with an empty ledger each time.

    python benchmarks/bench_review.py [--rounds 3] [--paper P] [--counts 0,500,5000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import copy_project as _copy_project  # noqa: E402 (after the path)


def _build(root: Path, paper: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        # --force: the same sources again must build (a draft carrying the comments anew)
        [
            str(Path(sys.executable).with_name("briefings")),
            *("--root", str(root), "build", paper, "--force"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _newest_edition(root: Path, paper: str) -> Path:
    return max(
        (m.parent for m in (root / "outputs" / paper).glob("*/manifest.json")),
        key=lambda f: (f / "manifest.json").stat().st_mtime_ns,
    )


def _ledger_of(root: Path, paper: str, count: int) -> str:
    """`count` open comments on places of the paper's draft, each anchored on a few words."""
    from briefings.project import Project
    from briefings.review.edition import load_edition
    from briefings.review.ledger import fingerprint

    project = Project(root)
    edition_dir = _newest_edition(root, paper)
    edition = load_edition(project, paper, edition_dir.name)
    layout = edition.layout()
    places = [
        (b, t)
        for b, t in zip(layout.blocks, layout.traces, strict=True)
        if t.bookmark and len(b.shown.split()) >= 3
    ]
    lines = []
    for n in range(count):
        block, trace = places[n % len(places)]
        words = block.shown.split()
        at = (n // len(places)) % max(1, len(words) - 2)
        anchor = " ".join(words[at : at + 3])
        text = f"Benchmark remark {n}."
        fp = fingerprint("comment", "Bench Reviewer", text, anchor, trace.section_id or "")
        record = {
            "type": "item",
            "id": fp[:12],
            "fingerprint": fp,
            "kind": "comment",
            "author": "Bench Reviewer",
            "initials": "BR",
            "date": "2026-11-26T10:00:00Z",
            "text": text,
            "anchor_text": anchor,
            "section_id": trace.section_id,
            "section_title": trace.section_title,
            "subsection_id": trace.subsection_id,
            "subsection_title": trace.subsection_title,
            "bookmark": trace.bookmark,
            "source": trace.source,
            "field": trace.field,
            "place": trace.place,
            "edition": edition.edition_id,
            "resolved": False,
            "at": "2026-11-26T10:00:00Z",
        }
        lines.append(json.dumps(record))
        if n % 10 == 0:
            reply = {
                "type": "reply",
                "item": fp[:12],
                "id": fingerprint("reply", fp[:12], "Other Reviewer", "Agreed.")[:12],
                "author": "Other Reviewer",
                "initials": "OR",
                "date": "2026-11-27T10:00:00Z",
                "text": "Agreed.",
                "at": "2026-11-27T10:00:00Z",
            }
            lines.append(json.dumps(reply))
    return "".join(line + "\n" for line in lines)


def bench_builds(paper: str, counts: list[int], rounds: int) -> dict[int, list[float]]:
    times: dict[int, list[float]] = {n: [] for n in counts}
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        roots = {}
        for n in counts:
            root = _copy_project(Path(tmp) / f"p{n}")
            _build(root, paper)  # a first edition to place the comments on
            ledger = root / "paper_sources" / paper / "reviews" / "ledger.jsonl"
            ledger.parent.mkdir(parents=True, exist_ok=True)
            ledger.write_text(_ledger_of(root, paper, n), encoding="utf-8")
            roots[n] = root
        for _ in range(rounds):
            for n in counts:  # interleaved, so a busy moment hits every count alike
                times[n].append(_build(roots[n], paper))
    return times


def bench_ingest(paper: str, rounds: int, comments: int = 50) -> list[float]:
    from briefings.project import Project
    from briefings.review import carry_comments, ingest
    from briefings.review.models import ReviewItem

    times = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = _copy_project(Path(tmp) / "p")
        _build(root, paper)
        records = [json.loads(line) for line in _ledger_of(root, paper, comments).splitlines()]
        items = [
            ReviewItem(
                **{
                    k: r[k]
                    for k in (
                        "id kind author date text anchor_text section_id section_title "
                        "source edition bookmark"
                    ).split()
                },
            )
            for r in records
            if r["type"] == "item"
        ]
        edition = _newest_edition(root, paper)
        reviewed = Path(tmp) / "reviewed.docx"
        shutil.copyfile(edition / f"{paper}.docx", reviewed)
        manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
        carried = carry_comments(reviewed, items, source_map=manifest["source_map"])
        assert len(carried.ids) == comments, carried
        project = Project(root)
        ledger = project.paper_dir(paper) / "reviews" / "ledger.jsonl"
        for _ in range(rounds):
            ledger.unlink(missing_ok=True)
            start = time.perf_counter()
            report = ingest(project, paper, [reviewed])
            times.append(time.perf_counter() - start)
            assert len(report.added) == comments, report.summary()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paper", default="2023-tech-regulation")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--counts", default="0,500,5000")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    ingest_times = bench_ingest(args.paper, args.rounds + 2)
    print(
        f"ingest of a 50-comment DOCX: median {statistics.median(ingest_times):.3f} s "
        f"(rounds: {', '.join(f'{t:.3f}' for t in ingest_times)})"
    )
    times = bench_builds(args.paper, counts, args.rounds)
    base = statistics.median(times[counts[0]])
    for n in counts:
        median = statistics.median(times[n])
        print(
            f"draft build carrying {n:>5} open comments: median {median:.2f} s, "
            f"ratio {median / base:.2f}"
        )


if __name__ == "__main__":
    main()
