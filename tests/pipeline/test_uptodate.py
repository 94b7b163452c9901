"""No change, no new edition: an up-to-date build says so, publishes nothing, loads no stage."""

from __future__ import annotations

import subprocess
import sys

from briefings.cli import main
from briefings.pipeline import BuildRequest, build_paper

PAPER = "2024-fairness-bias"


def _listing(project) -> list[str]:
    return sorted(p.relative_to(project.outputs).as_posix() for p in project.outputs.rglob("*"))


def _build(project, capsys, *extra: str) -> tuple[int, str]:
    code = main(["--root", str(project.root), "build", PAPER, "--format", "html", *extra])
    return code, capsys.readouterr().out


def test_unchanged_sources_give_up_to_date_and_any_change_a_new_edition(project, capsys):
    first = build_paper(project, BuildRequest(PAPER, ("html",))).edition_id
    before = _listing(project)
    code, out = _build(project, capsys)
    assert code == 0 and out == f"up to date: {PAPER} {first}\n"
    assert _listing(project) == before  # nothing published, LATEST untouched

    # another kind (other formats) is built; then it is up to date in its turn
    code, out = _build(project, capsys, "--format", "docx")
    assert code == 0 and "docx\t" in out
    code, out = _build(project, capsys, "--format", "docx")
    assert out.startswith(f"up to date: {PAPER} ")

    # --force builds anyway
    code, out = _build(project, capsys, "--force")
    assert code == 0 and "html\t" in out

    # an edited source, an added file, an edited roster: each a new edition
    intro = project.paper_dir(PAPER) / "sections" / "introduction.md"
    for change in (
        lambda: intro.write_text(intro.read_text() + "\nOne more sentence.\n"),
        lambda: (project.paper_dir(PAPER) / "sections" / "notes.txt").write_text("x\n"),
        lambda: (project.paper_dir(PAPER) / "interviews" / "roster.yaml").write_text(
            (project.paper_dir(PAPER) / "interviews" / "roster.yaml").read_text() + "\n"
        ),
    ):
        change()
        code, out = _build(project, capsys)
        assert code == 0 and "html\t" in out, out
        code, out = _build(project, capsys)
        assert out.startswith(f"up to date: {PAPER} "), out


def test_the_up_to_date_answer_loads_no_stage(project):
    build_paper(project, BuildRequest(PAPER, ("html",)))
    probe = (
        "import sys\n"
        "from briefings.cli import main\n"
        f"code = main(['--root', {str(project.root)!r}, 'build', {PAPER!r}, '--format', 'html'])\n"
        "stages = ('briefings.pipeline', 'briefings.render.editions', 'briefings.sources.loader',"
        " 'pydantic', 'jinja2', 'docx', 'typst')\n"
        "loaded = [m for m in stages if m in sys.modules]\n"
        "print(code, loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 []"
