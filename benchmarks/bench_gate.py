"""Benchmark: the confidentiality gate's roster matcher against a bare word scan of the same text.

Builds the sample paper's three editions once (in a temporary copy), extracts every piece of text
the gate reads from them (`data:` URI payloads cut, what they carry decoded), then times, in CPU
seconds (median of several rounds):

- bare: one case-folding pass and one regular-expression word scan over that text, the least any
  word-level check costs;
- matcher: the roster matcher (`briefings.roster.RosterNames.find`) over the same text;
- gate: the whole `check_edition` (extraction, embedded media, matching) on the edition files.

    python benchmarks/bench_gate.py [--rounds 7] [--paper 2023-tech-regulation]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from briefings.confidentiality import check_edition, extract  # noqa: E402
from briefings.confidentiality.extract import readable  # noqa: E402
from briefings.pipeline import BuildRequest, build_paper  # noqa: E402
from briefings.project import Project  # noqa: E402
from briefings.roster import RosterNames  # noqa: E402
from tests.conftest import copy_project  # noqa: E402

_WORD = re.compile(r"\w+")


def _cpu(action, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--paper", default="2023-tech-regulation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Project(copy_project(Path(tmp)))
        edition = build_paper(project, BuildRequest(args.paper, ("docx", "pdf", "html")))
        files = sorted(p for p in edition.path.iterdir() if p.is_file())
        markdown = next(p for p in files if p.suffix == ".md").read_text(encoding="utf-8")
        texts = [chunk.text for path in files for chunk in readable(extract(path))]
        names = RosterNames.load(project, args.paper)

        bare = _cpu(lambda: [_WORD.findall(t.casefold()) for t in texts], args.rounds)
        matcher = _cpu(lambda: [names.find(t) for t in texts], args.rounds)
        gate = _cpu(lambda: check_edition(project, args.paper, markdown, files), args.rounds)
    print(f"{args.paper}: {sum(map(len, texts)):,} characters in {len(texts)} pieces of text")
    print(f"  bare word scan   {bare * 1000:7.1f} ms CPU")
    print(f"  roster matcher   {matcher * 1000:7.1f} ms CPU  ({matcher / bare:.1f}x the bare scan)")
    print(f"  whole gate       {gate * 1000:7.1f} ms CPU  ({len(names.terms)} roster terms)")


if __name__ == "__main__":
    main()
