"""Publication under concurrency: one build of a paper at a time, LATEST only moves forward.

Builds run as real `briefings` processes against one project; the lock they share is a file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from briefings.pipeline import BuildRequest, build_paper
from briefings.publish import edition_key, latest_edition, published_editions
from briefings.publish.lock import PaperLock
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"


def briefings(project, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "briefings.cli", "--root", str(project.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def watch_latest(pointer: Path, stop: threading.Event) -> list[str]:
    """Every value LATEST takes while the builds run, in order."""
    seen: list[str] = []

    def poll():
        while not stop.is_set():
            try:
                value = pointer.read_text(encoding="utf-8").strip()
            except FileNotFoundError:
                value = None
            if value and (not seen or seen[-1] != value):
                seen.append(value)
            time.sleep(0.005)

    threading.Thread(target=poll, daemon=True).start()
    return seen


def test_concurrent_builds_of_one_paper_publish_in_turn_and_latest_moves_forward(project):
    stop = threading.Event()
    seen = watch_latest(project.outputs / PAPER / "LATEST", stop)
    builds = [briefings(project, "build", PAPER) for _ in range(3)]
    results = [(b.wait(timeout=600), *b.communicate()) for b in builds]
    time.sleep(0.05)
    stop.set()

    assert [code for code, _, _ in results] == [0, 0, 0], [err for _, _, err in results]
    assert all("Traceback" not in err for _, _, err in results)
    editions = published_editions(project, PAPER)
    assert len(editions) == 3 and len(set(editions)) == 3
    # Serialised: the two builds that found the lock taken said they waited.
    waited = [err for _, _, err in results if "waiting for another build of this paper" in err]
    assert len(waited) >= 1
    # Every edition complete, LATEST visited them in build order only, and ends on the newest.
    for edition in editions:
        names = sorted(p.name for p in (project.outputs / PAPER / edition).iterdir())
        assert names == sorted(f"{PAPER}.{x}" for x in ("docx", "html", "md", "pdf")) + [
            "manifest.json"
        ]
    assert seen == sorted(seen, key=edition_key) and seen[-1] == editions[-1]
    assert latest_edition(project, PAPER).name == editions[-1]
    assert sorted(p.name for p in (project.outputs / PAPER).iterdir()) == sorted(
        [".lock", "LATEST", *editions]
    )


def test_a_build_of_some_formats_publishes_but_leaves_latest(project):
    full = build_paper(project, BuildRequest(PAPER))
    messages: list[str] = []
    partial = build_paper(project, BuildRequest(PAPER, ("html",)), report=messages.append)
    assert full.latest and not partial.latest
    assert latest_edition(project, PAPER) == full.path
    assert sorted(p.name for p in partial.path.iterdir()) == [
        f"{PAPER}.html",
        f"{PAPER}.md",
        "manifest.json",
    ]
    assert published_editions(project, PAPER) == [full.edition_id, partial.edition_id]
    assert messages[-1].endswith("(LATEST unchanged: not every format was built)")


def test_latest_never_moves_back_to_an_older_edition(project):
    """A newer edition published elsewhere (a clock ahead, another machine) keeps LATEST."""
    newer = project.outputs / PAPER / "20991231T235959Z-draft"
    newer.mkdir(parents=True)
    (newer / "manifest.json").write_text("{}\n", encoding="utf-8")
    (project.outputs / PAPER / "LATEST").write_text(newer.name + "\n", encoding="utf-8")
    messages: list[str] = []
    edition = build_paper(project, BuildRequest(PAPER), report=messages.append)
    assert not edition.latest and latest_edition(project, PAPER) == newer
    assert messages[-1].endswith("(LATEST unchanged: it names a newer edition)")


def test_same_second_editions_count_up_and_sort_in_build_order():
    assert sorted(
        ["20261130T000001Z-final", "20261130T000001Z-draft-2", "20261129T235959Z-draft-3"],
        key=edition_key,
    ) == ["20261129T235959Z-draft-3", "20261130T000001Z-final", "20261130T000001Z-draft-2"]


def test_a_build_waiting_too_long_for_the_lock_fails_in_one_line(project):
    first = build_paper(project, BuildRequest(PAPER, ("html",)))
    before = tree_snapshot(project.outputs)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from briefings.publish.lock import PaperLock;"
            "lock = PaperLock(Path(sys.argv[1]), 'x').acquire(); print('held', flush=True);"
            "time.sleep(60)",
            str(first.path.parent),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        build = briefings(project, "build", PAPER, env={"BRIEFINGS_LOCK_TIMEOUT": "1"})
        _, err = build.communicate(timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert build.returncode == 1
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {PAPER}: another build of this paper held its lock for more than 1 s "
        "($BRIEFINGS_LOCK_TIMEOUT)"
    ]
    assert "Traceback" not in err
    assert tree_snapshot(project.outputs) == before
    # The holder died: its lock died with it, and the next build goes ahead.
    assert build_paper(project, BuildRequest(PAPER, ("html",))).path.is_dir()


def test_threads_of_one_process_are_kept_apart_too(tmp_path):
    order: list[str] = []

    def hold(name: str):
        with PaperLock(tmp_path, "paper"):
            order.append(f"{name} in")
            time.sleep(0.2)
            order.append(f"{name} out")

    threads = [threading.Thread(target=hold, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_published_files_are_readable_by_others_and_staging_is_not(project):
    """Built under umask 077 (a locked-down worker): editions and LATEST still 0644/0755."""
    during: dict[str, int] = {}

    def stage(name, fn, *args, **kwargs):
        if name == "check-editions":  # rendered, not yet checked by the gate
            folder = next(iter(args[2].values())).parent
            during.update(private=_mode(folder.parent), edition=_mode(folder))
            during.update(files=max(_mode(p) for p in folder.iterdir()) & 0o077)
        return fn(*args, **kwargs)

    old = os.umask(0o077)
    try:
        edition = build_paper(project, BuildRequest(PAPER), stage=stage)
    finally:
        os.umask(old)
    assert during == {"private": 0o700, "edition": 0o755, "files": 0}
    assert {_mode(p) for p in edition.path.iterdir()} == {0o644}
    assert _mode(edition.path) == _mode(edition.path.parent) == _mode(project.outputs) == 0o755
    assert _mode(project.outputs / PAPER / "LATEST") == 0o644


def test_the_published_mode_follows_briefings_umask(project, monkeypatch):
    monkeypatch.setenv("BRIEFINGS_UMASK", "027")
    edition = build_paper(project, BuildRequest(PAPER, ("html",), force=True))
    assert {_mode(p) for p in edition.path.iterdir()} == {0o640}
    assert _mode(edition.path) == 0o750


def test_a_umask_that_locks_the_owner_out_is_refused_in_one_line(project):
    build = briefings(project, "build", PAPER, env={"BRIEFINGS_UMASK": "0277"})
    _, err = build.communicate(timeout=300)
    assert build.returncode == 1 and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        f"error: {PAPER}: $BRIEFINGS_UMASK: '0277' is not an octal umask that leaves the owner "
        "read/write access (e.g. 022 or 027)"
    ]
    assert not any(project.outputs.iterdir())


def test_a_killed_build_leaves_nothing_readable_and_the_next_build_clears_it(project):
    first = build_paper(project, BuildRequest(PAPER, ("html",)))
    before = tree_snapshot(project.outputs)
    staging = project.outputs / PAPER / ".staging"
    build = subprocess.Popen(
        [sys.executable, "-m", "briefings.cli", "--root", str(project.root), "build", PAPER],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its pandoc children die with it
    )
    deadline = time.monotonic() + 120
    while not any(staging.glob("*/*")):  # rendered, not yet checked by the gate
        assert build.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()

    assert any(staging.glob("*/*")) and _mode(staging) == 0o700  # nobody else can look inside
    published = {
        k: v for k, v in tree_snapshot(project.outputs).items() if "/.staging/" not in f"/{k}"
    }
    assert published == before
    edition = build_paper(project, BuildRequest(PAPER, ("html",), force=True))
    assert sorted(p.name for p in (project.outputs / PAPER).iterdir()) == sorted(
        [".lock", first.edition_id, edition.edition_id]
    )
