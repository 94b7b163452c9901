"""Disk faults while publishing: one line naming the path, exit 1, and nothing published.

`outputs/` is a real small tmpfs (the tests run as root, as CI does) filled to the byte at chosen
points of the build, or read-only; the per-file size limit (RLIMIT_FSIZE) needs no root.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys

import pytest

from briefings.pipeline import BuildRequest, build_paper
from briefings.project import Project
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"
PAGE = os.sysconf("SC_PAGE_SIZE")
PINNED = {"SOURCE_DATE_EPOCH": "1767225600"}  # the same bytes, so the same size, every build


def mount(*options: str, target) -> None:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(target)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.fail(f"these tests mount a small tmpfs (run as root): {done.stderr.strip()}")


def pages(*files) -> int:
    """Pages of memory a tmpfs gives these files."""
    return sum(-(-path.stat().st_size // PAGE) for path in files)


def used(target) -> int:
    stat = os.statvfs(target)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


@pytest.fixture(scope="module")
def first_outputs(tmp_path_factory):
    """outputs/ after one complete edition, and the edition a second build then adds: its
    sizes are the budgets' unit (a second draft is larger: it has a "What changed" page)."""
    from tests.conftest import copy_project

    scratch = tmp_path_factory.mktemp("first")
    project = Project(copy_project(scratch / "project"))
    saved = {name: os.environ.get(name) for name in PINNED}
    os.environ.update(PINNED)
    try:
        edition = build_paper(project, BuildRequest(PAPER))
        shutil.copytree(project.outputs, scratch / "after-first")
        second = build_paper(project, BuildRequest(PAPER, force=True))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value
    return scratch / "after-first", edition.edition_id, second.path


@pytest.fixture
def small_disk(project, first_outputs):
    """outputs/ on its own tmpfs holding that edition; yields (project, its folder, the folder of
    the edition a second build writes, built elsewhere)."""
    outputs, edition_id, second = first_outputs
    mount("size=64m", "mode=755", target=project.outputs)
    try:
        shutil.copytree(outputs, project.outputs, dirs_exist_ok=True)
        yield project, project.outputs / PAPER / edition_id, second
    finally:
        subprocess.run(["umount", "-l", str(project.outputs)], check=True)


def cli_build(project, *extra: str, **popen) -> tuple[int, list[str], str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefings.cli",
            "--root",
            str(project.root),
            "build",
            PAPER,
            "--force",  # the same sources again: a new edition all the same
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **PINNED},
        **popen,
    )
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    return done.returncode, errors, done.stderr


def listing(project) -> list[str]:
    return sorted(p.relative_to(project.outputs).as_posix() for p in project.outputs.rglob("*"))


# Free space left for the second build, in pages of the first edition's size, and the path the
# one-line error must name: nothing fits; all but the manifest fit; all but LATEST fit.
BUDGETS = {
    # no room for any edition file: the first in the editions' order (DOCX, PDF, HTML) is named
    "render": (lambda edition, manifest: 0, f"/{PAPER}.docx: cannot write the edition"),
    "manifest": (lambda edition, manifest: edition - manifest, "manifest.json"),
    "LATEST": (lambda edition, manifest: edition, f"outputs/{PAPER}/LATEST"),
}


@pytest.mark.parametrize("point", list(BUDGETS))
def test_a_full_disk_fails_in_one_line_and_publishes_nothing(small_disk, point):
    project, first, second = small_disk
    budget, named = BUDGETS[point]
    free = budget(pages(*second.iterdir()), pages(second / "manifest.json")) * PAGE
    size = used(project.outputs) + free
    subprocess.run(
        ["mount", "-o", f"remount,size={size}", str(project.outputs)], check=True, text=True
    )
    before, entries = tree_snapshot(project.outputs), listing(project)
    code, errors, stderr = cli_build(project)

    assert code == 1 and "Traceback" not in stderr, stderr
    assert len(errors) == 1 and "No space left on device" in errors[0], errors
    assert named in errors[0], errors
    assert tree_snapshot(project.outputs) == before  # LATEST and the first edition included
    assert listing(project) == entries  # and nothing half-written beside them


def test_the_same_disk_with_one_page_more_publishes(small_disk):
    """The control of the test above: its budgets are the edition's real size."""
    project, first, second = small_disk
    size = used(project.outputs) + (pages(*second.iterdir()) + 1) * PAGE
    subprocess.run(["mount", "-o", f"remount,size={size}", str(project.outputs)], check=True)
    code, errors, stderr = cli_build(project)
    assert code == 0 and not errors, stderr
    latest = (project.outputs / PAPER / "LATEST").read_text(encoding="utf-8").strip()
    assert latest != first.name and (project.outputs / PAPER / latest).is_dir()


def test_a_read_only_outputs_folder_fails_in_one_line(small_disk):
    project, _, _ = small_disk
    subprocess.run(["mount", "-o", "remount,ro", str(project.outputs)], check=True)
    before = tree_snapshot(project.outputs)
    code, errors, stderr = cli_build(project)
    assert code == 1 and "Traceback" not in stderr, stderr
    assert errors == [
        f"error: outputs/{PAPER}/.lock: cannot prepare the paper's outputs folder: "
        "Read-only file system (nothing was published)"
    ]
    assert tree_snapshot(project.outputs) == before


def _limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_file_size_limit_fails_in_one_line_and_publishes_nothing(project):
    first = build_paper(project, BuildRequest(PAPER, ("html",)))
    before, entries = tree_snapshot(project.outputs), listing(project)
    code, errors, stderr = cli_build(project, "--format", "pdf", preexec_fn=_limit_file_size)
    assert code == 1 and "Traceback" not in stderr, stderr
    assert len(errors) == 1 and "File too large" in errors[0], errors
    assert f"outputs/{PAPER}/.staging/" in errors[0]
    assert f"/{PAPER}.pdf: cannot write the edition: File too large" in errors[0]
    assert tree_snapshot(project.outputs) == before and listing(project) == entries
    assert first.path.is_dir()


def _without_root_override() -> list[str]:
    """Root ignores file modes; without CAP_DAC_OVERRIDE it meets them like anyone else."""
    if os.geteuid() != 0:
        return []
    drop = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", "--"]


def test_an_outputs_folder_without_write_permission_fails_in_one_line(project):
    first = build_paper(project, BuildRequest(PAPER, ("html",)))
    before = tree_snapshot(project.outputs)
    os.chmod(first.path.parent, 0o555)
    try:
        done = subprocess.run(
            _without_root_override()
            + [sys.executable, "-m", "briefings.cli", "--root", str(project.root)]
            + ["build", PAPER],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        os.chmod(first.path.parent, 0o755)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: outputs/{PAPER}/.staging: cannot stage the edition: Permission denied "
        "(nothing was published)"
    ]
    assert tree_snapshot(project.outputs) == before
