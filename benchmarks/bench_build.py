"""Benchmark: every speed figure of the README, in one invocation, each next to its baseline.

Baseline: the bare toolchain on the same assembled Markdown, one conversion after another
(pandoc -> DOCX, pandoc -> HTML, pandoc -> Typst, Typst -> PDF, each with citeproc and the same
templates), timed interleaved with our runs so machine noise hits both alike. Figures:

- cold build: `briefings build PAPER` in a fresh process after an editor's one-paragraph edit
  (the sections, drawings and editions kept in `.cache/` from earlier builds are used), and
  again with `.cache/` emptied first (nothing kept): median and ratio to the bare toolchain;
- no change: `briefings build PAPER` with nothing changed (prints `up to date`, publishes
  nothing): median and ratio;
- series: `build --all` over N papers (the samples and copies) against N separate
  `briefings build` processes one after another: the speed-up;
- memory: peak resident memory of the whole process tree (sampled from /proc every 10 ms) of a
  cold single build and of the series build, as the sum of RSS and of PSS (shared pages
  divided among the processes sharing them);
- preview: a running `briefings preview` (in-process) after a one-paragraph edit: the seconds
  until the new HTML is served.

    python benchmarks/bench_build.py [--rounds 5] [--paper 2023-tech-regulation] [--series 6] \
        [--skip series,preview,memory] [--prefect] [--ephemeral]

--prefect also times `briefings build` against a running Prefect server (started here, on a
temporary PREFECT_HOME), where every build is a tracked flow run. --ephemeral times one flow run
with no server configured, which is what the CLI avoids by running the stages in-process.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypandoc

REPO = Path(__file__).resolve().parents[1]
SAMPLES = ("2023-tech-regulation", "2024-fairness-bias")


def _timed(command: list[str], env: dict | None = None, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def bare_commands(markdown: Path, work: Path, paper_dir: Path) -> list[list[str]]:
    pandoc = pypandoc.get_pandoc_path()
    templates = REPO / "templates"
    cite = [
        "--citeproc",
        "--csl",
        str(templates / "csl" / "house.csl"),
        "--bibliography",
        str(REPO / "paper_sources" / "references.yaml"),
    ]
    if (paper_dir / "references.yaml").is_file():
        cite += ["--bibliography", str(paper_dir / "references.yaml")]
    typ = work / "bare.typ"
    return [
        [
            pandoc,
            str(markdown),
            *cite,
            "--reference-doc",
            str(templates / "reference.docx"),
            "-o",
            str(work / "bare.docx"),
        ],
        [
            pandoc,
            str(markdown),
            *cite,
            "--standalone",
            "--embed-resources",
            "--toc",
            "--css",
            str(templates / "html" / "briefing.css"),
            "-o",
            str(work / "bare.html"),
        ],
        [
            pandoc,
            str(markdown),
            *cite,
            "-t",
            "typst",
            "--template",
            str(templates / "typst" / "briefing.typ"),
            "-o",
            str(typ),
        ],
        [
            sys.executable,
            "-c",
            f"import typst; typst.compile({str(typ)!r}, output={str(work / 'bare.pdf')!r})",
        ],
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_prefect_server(home: Path) -> tuple[subprocess.Popen, str]:
    import requests

    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return server, url
        except requests.RequestException:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("prefect server did not start")


def _tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of a process and all its descendants, read from /proc.

    RSS counts a page shared by several processes once in each (pandoc's 70 MB of program
    text, a forked child's copy-on-write pages); PSS divides it among them.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            continue
    return rss, pss


def _peak_memory(command: list[str], env: dict) -> tuple[float, int, int]:
    """Run `command`; its wall time and the peak RSS and PSS of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak_rss = peak_pss = 0
    while process.poll() is None:
        rss, pss = _tree_memory(process.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.01)
    if process.returncode:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, peak_rss, peak_pss


def edit_paragraph(project: Path, paper: str, n: int) -> None:
    """An editor's edit: one sentence of the paper's introduction says something new."""
    prose = project / "paper_sources" / paper / "sections" / "introduction.md"
    text = prose.read_text(encoding="utf-8")
    text = re.sub(r" \(Revision \d+\.\)", "", text, count=1)
    first = text.index(".", text.index("\n\n") if "\n\n" in text else 0)
    prose.write_text(text[: first + 1] + f" (Revision {n}.)" + text[first + 1 :], "utf-8")


def add_copies(project: Path, count: int) -> list[str]:
    """The two samples and `count - 2` copies of them under new ids: the papers of a series."""
    papers = list(SAMPLES)
    for n in range(count - len(SAMPLES)):
        source = SAMPLES[n % len(SAMPLES)]
        paper = f"{source}-copy{n + 1}"
        shutil.copytree(project / "paper_sources" / source, project / "paper_sources" / paper)
        yaml_path = project / "paper_sources" / paper / "paper.yaml"
        text = yaml_path.read_text(encoding="utf-8")
        yaml_path.write_text(text.replace(f"id: {source}", f"id: {paper}", 1), "utf-8")
        papers.append(paper)
    return papers


def _median(label: str, times: list[float], baseline: float | None = None) -> float:
    m = statistics.median(times)
    ratio = f"  ratio {m / baseline:.2f}" if baseline else ""
    print(f"{label:<58} {m:6.2f} s{ratio}  [{', '.join(f'{t:.2f}' for t in times)}]")
    return m


def bench_preview(project: Path, paper: str, rounds: int) -> list[float]:
    """Seconds from an edit to the new HTML preview, in a running preview (no PDF)."""
    sys.path.insert(0, str(REPO))
    from briefings.preview import Preview
    from briefings.project import Project

    preview = Preview(Project(project), paper, pdf=False)
    preview.rebuild()  # the first page, as `briefings preview` serves it on start
    times = []
    for n in range(rounds):
        edit_paragraph(project, paper, 100 + n)
        start = time.perf_counter()
        state = preview.rebuild()
        times.append(time.perf_counter() - start)
        assert not state.errors, state.errors
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--paper", default="2023-tech-regulation")
    parser.add_argument("--series", type=int, default=6, help="papers in the series build")
    parser.add_argument("--skip", default="", help="comma-separated: series,preview,memory")
    parser.add_argument(
        "--prefect", action="store_true", help="also time builds against a running Prefect server"
    )
    parser.add_argument(
        "--ephemeral",
        action="store_true",
        help="also time one build_paper flow run with no server configured "
        "(Prefect starts a temporary one)",
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    work = Path(tempfile.mkdtemp(prefix="briefings-bench-"))
    project = work / "project"
    for name in ("paper_sources", "templates"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "prefect.yaml", project / "prefect.yaml")
    (project / "outputs").mkdir()
    # As installed: bytecode compiled once (pip compiles at install; a machine that sets
    # PYTHONDONTWRITEBYTECODE would otherwise recompile the package's ~100 modules every run).
    unset = ("PREFECT_API_URL", "BRIEFINGS_CACHE", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    cli = [sys.executable, "-m", "briefings.cli", "--root", str(project)]
    build = [*cli, "build", args.paper]

    _timed(build, env)  # warm-up; also gives the assembled Markdown the bare runs convert
    edition = (
        project
        / "outputs"
        / args.paper
        / (project / "outputs" / args.paper / "LATEST").read_text().strip()
    )
    markdown = edition / f"{args.paper}.md"
    commands = bare_commands(markdown, work, project / "paper_sources" / args.paper)
    for command in commands:
        subprocess.run(command, check=True, capture_output=True)

    print(f"paper: {args.paper}, rounds: {args.rounds}, cores: {os.cpu_count()}")
    bare, cold, empty, same = [], [], [], []
    for n in range(args.rounds):  # interleaved, so machine noise hits all alike
        bare.append(sum(_timed(c) for c in commands))
        edit_paragraph(project, args.paper, n)
        cold.append(_timed(build, env))
        edit_paragraph(project, args.paper, 50 + n)
        shutil.rmtree(project / ".cache", ignore_errors=True)
        empty.append(_timed(build, env))
        before = sorted((project / "outputs" / args.paper).iterdir())
        start = time.perf_counter()
        said = subprocess.run(build, env=env, capture_output=True, text=True, check=True)
        same.append(time.perf_counter() - start)
        assert "up to date" in said.stdout + said.stderr, said.stdout + said.stderr
        assert sorted((project / "outputs" / args.paper).iterdir()) == before
    m_bare = _median("bare toolchain, one conversion after another", bare)
    _median("cold build after a one-paragraph edit", cold, m_bare)
    _median("cold build after an edit, .cache/ emptied first", empty, m_bare)
    _median("no change (up to date, nothing published)", same, m_bare)

    if "memory" not in skip:
        edit_paragraph(project, args.paper, 99)
        shutil.rmtree(project / ".cache", ignore_errors=True)
        _, rss, pss = _peak_memory(build, env)
        print(
            f"{'peak memory, cold single build (process tree)':<58} "
            f"{rss / 2**20:6.0f} MB RSS, {pss / 2**20:.0f} MB PSS"
        )

    if "series" not in skip:
        papers = add_copies(project, args.series)
        _timed([*cli, "build", "--all"], env)  # every paper has an edition: both runs force
        one_by_one, together, peaks = [], [], []  # peaks: (RSS, PSS)
        for _ in range(max(1, args.rounds // 2)):
            one_by_one.append(sum(_timed([*cli, "build", p, "--force"], env) for p in papers))
            together.append(_timed([*cli, "build", "--all", "--force"], env))
            if "memory" not in skip:  # a run of its own: sampling /proc costs CPU time
                _, rss, pss = _peak_memory([*cli, "build", "--all", "--force"], env)
                peaks.append((rss, pss))
        m_one = _median(f"{len(papers)} papers, one `briefings build` after another", one_by_one)
        m_all = _median(f"{len(papers)} papers, `briefings build --all`", together)
        print(f"{'series speed-up':<58} {m_one / m_all:6.2f} x")
        if "memory" not in skip:
            rss, pss = max(r for r, _ in peaks), max(p for _, p in peaks)
            print(
                f"{'peak memory, series build (process tree)':<58} "
                f"{rss / 2**20:6.0f} MB RSS, {pss / 2**20:.0f} MB PSS"
            )

    if "preview" not in skip:
        _median("preview: edit to new HTML served", bench_preview(project, args.paper, args.rounds))

    if args.prefect:
        server, url = _start_prefect_server(work / "prefect-home")
        try:
            penv = {**env, "PREFECT_API_URL": url, "PREFECT_HOME": str(work / "prefect-home")}
            _timed([*build, "--force"], penv)  # warm-up: registers the flow
            runs = [_timed([*build, "--force"], penv) for _ in range(args.rounds)]
            m_prefect = statistics.median(runs)
            print(
                f"briefings build against a running Prefect server, median: {m_prefect:.2f} s  "
                f"[{', '.join(f'{t:.2f}' for t in runs)}]; ratio to bare: {m_prefect / m_bare:.2f}"
            )
        finally:
            os.killpg(server.pid, 15)
    if args.ephemeral:
        code = (
            "from briefings.flows import load_flow; from briefings.project import Project; "
            f"p = Project({str(project)!r}); "
            f"load_flow(p, 'build', 'build_paper')(paper={args.paper!r}, force=True)"
        )
        eenv = {
            **env,
            "PREFECT_HOME": str(work / "ephemeral-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        }
        once = _timed([sys.executable, "-c", code], eenv)
        print(
            "build_paper flow run with no Prefect server configured "
            f"(temporary server, new database): {once:.1f} s"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
