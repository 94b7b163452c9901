"""Benchmark: `briefings build` against the bare pandoc/Typst conversions it wraps.

Builds the sample paper's three editions with `briefings build` in a fresh process, and runs the
bare toolchain on the same assembled Markdown one conversion after another (pandoc -> DOCX,
pandoc -> HTML, pandoc -> Typst, Typst -> PDF, each with citeproc and the same templates).
Prints the median of several rounds of each and their ratio.

    python benchmarks/bench_build.py [--rounds 5] [--paper 2023-tech-regulation] \
        [--prefect] [--ephemeral]

--prefect also times `briefings build` against a running Prefect server (started here, on a
temporary PREFECT_HOME), where every build is a tracked flow run. --ephemeral times one flow run
with no server configured, which is what the CLI avoids by running the stages in-process.
"""

from __future__ import annotations

import argparse
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--paper", default="2023-tech-regulation")
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

    work = Path(tempfile.mkdtemp(prefix="briefings-bench-"))
    project = work / "project"
    for name in ("paper_sources", "templates"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "prefect.yaml", project / "prefect.yaml")
    (project / "outputs").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    build = [sys.executable, "-m", "briefings.cli", "--root", str(project), "build", args.paper]

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

    ours, bare = [], []
    for _ in range(args.rounds):  # interleaved, so machine noise hits both alike
        ours.append(_timed(build, env))
        bare.append(sum(_timed(c) for c in commands))
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    print(f"paper: {args.paper}, rounds: {args.rounds}, cores: {os.cpu_count()}")
    print(
        f"briefings build (no Prefect server), median: {m_ours:.2f} s  "
        f"[{', '.join(f'{t:.2f}' for t in ours)}]"
    )
    print(
        f"bare pandoc/Typst, sequential, median:      {m_bare:.2f} s  "
        f"[{', '.join(f'{t:.2f}' for t in bare)}]"
    )
    print(f"ratio: {m_ours / m_bare:.2f}")

    if args.prefect:
        server, url = _start_prefect_server(work / "prefect-home")
        try:
            penv = {**env, "PREFECT_API_URL": url, "PREFECT_HOME": str(work / "prefect-home")}
            _timed(build, penv)  # warm-up: registers the flow
            runs = [_timed(build, penv) for _ in range(args.rounds)]
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
            f"load_flow(p, 'build', 'build_paper')(paper={args.paper!r})"
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
