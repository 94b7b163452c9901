"""Benchmark: `briefings diff` of two editions of the 17-page sample.

Builds two draft editions of the sample paper in a scratch copy of the project (the second after
an edit of every kind), then times, interleaved over several rounds:
- `compare`: reading both editions' assembled Markdown (pandoc, citeproc) and aligning them
  paragraph by paragraph, word by word, with the summary — the diff itself;
- `diff`: the whole `diff_editions` call, which also writes the DOCX and HTML redlines and runs
  the confidentiality gate over them;
- `bare`: the bare toolchain writing NEW's Markdown to DOCX and HTML (citeproc, the same
  templates), one after the other — what any redline of that document costs at least.

    python benchmarks/bench_diff.py [--rounds 7] [--paper 2023-tech-regulation]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).parent))

from bench_build import bare_commands  # noqa: E402

from briefings.diff.compare import compare  # noqa: E402
from briefings.diff.editions import choose  # noqa: E402
from briefings.diff.run import _parse, diff_editions  # noqa: E402
from briefings.diff.summary import summarise  # noqa: E402
from briefings.diff.words import Revision  # noqa: E402
from briefings.pipeline import BuildRequest, build_paper, gather  # noqa: E402
from briefings.project import Project  # noqa: E402
from briefings.render.options import paper_render_options  # noqa: E402
from tests.conftest import copy_project  # noqa: E402
from tests.diff.conftest import edit_sources  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--paper", default="2023-tech-regulation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        project = Project(copy_project(Path(tmp) / "project"))
        old = build_paper(project, BuildRequest(args.paper)).edition_id
        edit_sources(project.root, args.paper)
        new = build_paper(project, BuildRequest(args.paper)).edition_id
        sources = gather(project, args.paper)
        options = paper_render_options(sources, False)
        old_ed, new_ed = choose(project, args.paper, old, new)
        times: dict[str, list[float]] = {"compare": [], "diff": [], "bare": []}
        for _ in range(args.rounds):
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=2) as pool:
                old_ast, new_ast = pool.map(lambda e: _parse(e, options), (old_ed, new_ed))
            summarise(compare(old_ast, new_ast, Revision("b", "")), old, new)
            times["compare"].append(time.perf_counter() - start)

            start = time.perf_counter()
            diff_editions(project, args.paper, old, new)
            times["diff"].append(time.perf_counter() - start)

            times["bare"].append(_bare(project, args.paper, new_ed.markdown, Path(tmp)))
        medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"two editions of {args.paper}, {args.rounds} rounds, medians:")
    print(f"  compare (parse both, align, summary)  {medians['compare']:.2f} s")
    print(f"  diff (+ DOCX and HTML redlines, gate) {medians['diff']:.2f} s")
    print(f"  bare pandoc NEW -> DOCX, -> HTML      {medians['bare']:.2f} s")
    print(f"  ratio diff / bare                     {medians['diff'] / medians['bare']:.2f}")


def _bare(project: Project, paper: str, markdown: Path, work: Path) -> float:
    """bench_build's bare DOCX and HTML conversions of NEW's Markdown, one after the other."""
    commands = bare_commands(markdown, work, project.paper_dir(paper))[:2]  # DOCX, HTML
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
