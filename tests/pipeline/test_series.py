"""A series built in parallel worker processes (`build --all --jobs N`), run as editors run it.

Each build is a real `briefings` process over the two sample papers and copies of them; worker
processes are found, killed and waited for through /proc, as an operator would.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from briefings.project import Project
from tests.conftest import copy_project
from tests.helpers import (
    alive,
    descendants,
    from_a_terminal,
    parent_of,
    python_from_a_terminal,
    wait_gone,
)

SAMPLES = ("2023-tech-regulation", "2024-fairness-bias")
KILLED = re.compile(r"error: (\S+): its build process was killed by SIGKILL before it finished")


def series_project(root: Path, copies: int = 1) -> Project:
    """The two samples and `copies` copies of each, every copy a paper of its own."""
    project = Project(copy_project(root))
    for n in range(1, copies + 1):
        for sample in SAMPLES:
            paper_id = f"{sample[:4]}-copy-{n}-{sample[5:]}"
            shutil.copytree(project.paper_dir(sample), project.paper_dir(paper_id))
            _edit_paper(project, paper_id, lambda d, paper_id=paper_id: d.update(id=paper_id))
    return project


def _edit_paper(project: Project, paper_id: str, change) -> None:
    path = project.paper_dir(paper_id) / "paper.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def briefings(project: Project, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        from_a_terminal([sys.executable, "-m", "briefings.cli", "--root", project.root, *args]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def run(project: Project, *args: str) -> tuple[int, list[str], list[str]]:
    build = briefings(project, *args)
    out, err = build.communicate(timeout=900)
    return build.returncode, out.splitlines(), err.splitlines()


def _normalised(lines: list[str]) -> list[str]:
    """Lines with edition ids and timings made comparable."""
    lines = [re.sub(r"\d{8}T\d{6}Z(-\d+)?", "EDITION", line) for line in lines]
    # two builds of a paper in one second: the second id takes a counter after its kind
    lines = [re.sub(r"EDITION-(draft|final)-\d+", r"EDITION-\1", line) for line in lines]
    return [re.sub(r"in \d+\.\d s$", "in N s", line) for line in lines]


def _papers_blocks(lines: list[str]) -> list[tuple[str, ...]]:
    """The progress lines cut after each paper's last one; a block speaks of one paper only."""
    blocks, block = [], []
    for line in lines:
        block.append(line)
        if re.match(r"\S+: (published edition|up to date)", line):
            blocks.append(tuple(block))
            block = []
    for paper_lines in blocks:
        assert len({ln.split(":")[0] for ln in paper_lines if not ln.startswith("warning:")}) == 1
    return blocks + [tuple(block)]  # and what follows the last paper


def test_a_parallel_series_publishes_every_paper_with_the_messages_of_one_at_a_time(tmp_path):
    project = series_project(tmp_path / "project")
    warned = next(p for p in project.paper_ids() if "-copy-" in p)  # a worker's logged warning
    _edit_paper(project, warned, lambda d: d["quotes"].update(pinned=["P99-01"]))
    code, out, err = run(project, "build", "--all", "--format", "html", "--jobs", "2")
    assert code == 0, err
    alone = Project(copy_project(tmp_path / "alone"))
    shutil.rmtree(alone.sources)
    shutil.copytree(project.sources, alone.sources)
    code_1, out_1, err_1 = run(alone, "build", "--all", "--format", "html", "--jobs", "1")
    assert code_1 == 0, err_1

    assert not any("Traceback" in line for line in err)
    blocks = _papers_blocks(_normalised(err))  # each paper's lines together, in any order
    assert sorted(blocks) == sorted(_papers_blocks(_normalised(err_1)))
    assert len(blocks) == len(project.paper_ids()) + 1 == 5  # and "built 4 edition(s)"
    assert sorted(_normalised(out)) == sorted(_normalised(out_1))
    for paper in project.paper_ids():
        (manifest,) = (project.outputs / paper).glob("*/manifest.json")
        assert (manifest.parent / f"{paper}.html").is_file()
    assert err[-1].startswith("built 4 edition(s) in ")
    warning = f"warning: paper_sources/{warned}/paper.yaml: quotes.pinned: pinned quote P99-01"
    (block,) = [b for b in blocks if any(line.startswith(warning) for line in b)]
    assert block[-1].startswith(f"{warned}: published edition")  # among its paper's lines


def test_errors_of_papers_built_in_parallel_are_reported_together(tmp_path):
    project = series_project(tmp_path / "project")
    broken = [p for p in project.paper_ids() if "-copy-" in p]
    _edit_paper(project, broken[0], lambda d: d.pop("series"))
    _edit_paper(project, broken[1], lambda d: d.update(instruments=["no-such-instrument"]))
    code, out, err = run(project, "build", "--all", "--format", "html", "--jobs", "2")
    code_1, _, err_1 = run(project, "build", *broken, "--format", "html", "--jobs", "1")

    assert (code, code_1) == (1, 1)
    assert not any("Traceback" in line for line in err)
    errors = [line for line in err if line.startswith("error:")]
    assert errors == [line for line in err_1 if line.startswith("error:")]
    assert len(errors) == 2, err
    assert errors[0].startswith(f"error: paper_sources/{broken[0]}/paper.yaml:1: series: ")
    assert errors[1].startswith(f"error: paper_sources/{broken[1]}/paper.yaml:")
    assert "no-such-instrument" in errors[1]
    assert err[-1] == errors[-1]  # reported at the end, after the other papers' progress
    for paper in SAMPLES:  # the other papers are published all the same
        assert f"{paper}: published edition" in "\n".join(err)
        assert list((project.outputs / paper).glob("*/manifest.json"))
    assert not any((project.outputs / p).exists() for p in broken)


def _workers(pid: int) -> dict[int, str]:
    """The build's worker processes: the fork server's children."""
    below = descendants(pid)
    servers = {p for p, line in below.items() if "multiprocessing.forkserver" in line}
    return {p: line for p, line in below.items() if parent_of(p) in servers}


def _running_pandoc(pid: int) -> int | None:
    """A worker of the build that is running pandoc, if one is."""
    return next((w for w in _workers(pid) if any("pandoc" in c for c in _children(w))), None)


def _children(pid: int) -> list[str]:
    return [line for p, line in descendants(pid).items() if parent_of(p) == pid]


def _series_running(project: Project, *args: str) -> tuple[subprocess.Popen, dict[int, str]]:
    """A `build --all --jobs 2` in its own session, once two workers are building."""
    build = briefings(project, "build", "--all", "--jobs", "2", *args, start_new_session=True)
    deadline = time.monotonic() + 300
    while len(workers := _workers(build.pid)) < 2:
        assert build.poll() is None and time.monotonic() < deadline, build.communicate()
        time.sleep(0.02)
    return build, workers


def test_a_killed_worker_is_one_line_for_its_paper_and_the_others_are_built(tmp_path):
    project = series_project(tmp_path / "project")
    build, _ = _series_running(project, "--format", "html")
    deadline = time.monotonic() + 300
    while not (victim := _running_pandoc(build.pid)):  # so it is mid-build, not finishing
        assert build.poll() is None and time.monotonic() < deadline, build.communicate()
        time.sleep(0.01)
    os.kill(victim, signal.SIGKILL)
    out, err = build.communicate(timeout=900)

    assert build.returncode == 1, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and KILLED.fullmatch(errors[0]), err
    killed = KILLED.fullmatch(errors[0]).group(1)
    built = [p for p in project.paper_ids() if p != killed]
    assert len(built) == 3
    for paper in built:
        assert f"{paper}: published edition" in err
        assert list((project.outputs / paper).glob("*/manifest.json"))


def test_a_killed_series_leaves_no_worker_building(tmp_path):
    """kill -9 of the `briefings` process alone: its fork server, workers and their pandoc go,
    and a worker that was rendering never publishes its paper."""
    project = series_project(tmp_path / "project")
    build, _ = _series_running(project)
    deadline = time.monotonic() + 300
    while not any(project.outputs.glob("*/.staging/*/*")):  # a worker is rendering
        assert build.poll() is None and time.monotonic() < deadline, build.communicate()
        time.sleep(0.01)
    below = descendants(build.pid)
    published = _published(project)
    os.kill(build.pid, signal.SIGKILL)
    build.communicate()

    assert wait_gone(below) == set(), {p: below[p] for p in alive(below)}
    assert _published(project) == published


def _published(project: Project) -> set[Path]:
    return set(project.outputs.glob("*/*/manifest.json"))


def test_ctrl_c_stops_the_series_and_its_workers_without_a_traceback(tmp_path):
    project = series_project(tmp_path / "project")
    build, _ = _series_running(project)
    below = descendants(build.pid)
    os.killpg(build.pid, signal.SIGINT)  # what the terminal sends the foreground job
    out, err = build.communicate(timeout=300)

    assert build.returncode == -signal.SIGINT, err  # a shell shows 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert wait_gone(below) == set(), {p: below[p] for p in alive(below)}


def test_ctrl_c_while_the_series_starts_is_a_quiet_stop(tmp_path):
    """The first second: this process loads the stages while the fork server loads them too.
    A Ctrl-C then has printed the fork server's KeyboardInterrupt traceback, been lost (the build
    went on), crashed orjson's import and come out of pydantic as a SchemaError traceback (each
    seen at one of these moments, on this machine or CI's)."""
    project = series_project(tmp_path / "project")
    for delay in (0.2, 0.3, 0.45, 0.6, 0.9):  # past the interpreter's own start (see README)
        build = briefings(project, "build", "--all", "--jobs", "2", start_new_session=True)
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGINT)
        _, err = build.communicate(timeout=300)
        assert build.returncode == -signal.SIGINT, err  # a shell shows 130
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


# Sends Ctrl-C (SIGINT) at one exact moment of the fork server's start: `{when}` runs around
# multiprocessing's spawn of it, with `me` this process and `server` its pid once spawned.
_CTRL_C_AS_THE_FORK_SERVER_STARTS = """
import os, signal, sys
from multiprocessing import util
from briefings import processes

spawn = util.spawnv_passfds
def spawn_with_ctrl_c(path, args, fds):
    me, server = os.getpid(), None
    starting = "forkserver" in str(args)
    {before}
    server = spawn(path, args, fds)
    {after}
    if starting:
        servers.append(server)
    return server
servers = []
util.spawnv_passfds = spawn_with_ctrl_c
try:
    processes.start_fork_server(("json",))
    ended = {{}}
    processes.run_each(print, [("worked",)], 1, (), lambda i, o: ended.__setitem__(i, o))
    print("died:", ended[0].died)
    with open(f"/proc/{{servers[0]}}/status") as status:  # SIGINT is signal 2: bit 1
        masks = dict(line.split(":\t") for line in status.read().splitlines())
    print("SIGINT blocked:", bool(int(masks["SigBlk"], 16) & 2))
    print("SIGINT ignored:", bool(int(masks["SigIgn"], 16) & 2))
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_a_ctrl_c_as_the_fork_server_is_spawned_stops_this_process():
    """Held while the fork server is spawned, not lost: it stopped nothing when this process
    ignored SIGINT around the spawn (found by a Ctrl-C 0.08 s into `build --all`)."""
    done = python_from_a_terminal(
        _CTRL_C_AS_THE_FORK_SERVER_STARTS.format(
            before="if starting: os.kill(me, signal.SIGINT)", after=""
        )
    )
    assert done.returncode == 130, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr


def test_a_ctrl_c_to_the_fork_server_as_it_starts_is_ignored_by_it():
    """The fork server takes no Ctrl-C from its first instruction on (it starts with SIGINT
    blocked and ignores it before its imports): it still serves its workers, and leaves SIGINT
    unblocked for them and their programs."""
    done = python_from_a_terminal(
        _CTRL_C_AS_THE_FORK_SERVER_STARTS.format(
            before="", after="if starting: os.kill(server, signal.SIGINT)"
        )
    )
    assert done.returncode == 0, done.stderr
    assert "worked" in done.stdout and "died: None" in done.stdout, done.stdout
    assert "SIGINT blocked: False" in done.stdout and "SIGINT ignored: True" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr


def test_a_ctrl_c_while_orjson_loads_is_a_clean_stop():
    """orjson's module init crashed the interpreter (SIGSEGV; CI once saw a silent SIGINT death)
    when a Ctrl-C landed in one of its own imports: the CLI then died with no message and no
    exit code 130. The Ctrl-C is sent exactly as orjson's init imports `uuid`."""
    done = python_from_a_terminal(
        "import os, signal, sys\n"
        "class CtrlCAtUuid:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'uuid': os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.meta_path.insert(0, CtrlCAtUuid())\n"
        "try:\n"
        "    import briefings.pandoc_ast\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(130 if 'orjson' in sys.modules else 1)\n"
    )
    assert done.returncode == 130, done.stderr


def test_builds_side_by_side_share_program_slots_that_a_dead_holder_gives_back(
    tmp_path, monkeypatch
):
    """A program waits while every slot is held; a holder killed by -9 frees its slot."""
    import threading

    from briefings.programs import make_slots, run_program

    monkeypatch.setenv(*make_slots(tmp_path, 1).popitem())
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(600)",
            str(tmp_path / "slot-0"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout and holder.stdout.readline() == "held\n"
    ran = tmp_path / "ran"
    program = threading.Thread(target=run_program, args=(["touch", str(ran)],))
    program.start()
    program.join(timeout=1)
    assert program.is_alive() and not ran.exists()  # waiting for the slot
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    program.join(timeout=60)
    assert not program.is_alive() and ran.exists()


def _pid_or_die(job: str, report) -> int:
    """A worker's job: report, then answer with its process id, or die as SIGKILL would."""
    report(f"{job} by {os.getpid()}")
    if job == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


def test_workers_take_the_next_job_and_a_dead_one_is_replaced():
    """Two workers do six jobs in turn (what the first job warmed serves the next); a worker
    killed in the middle of a job is that job's death alone, and a new worker takes the rest."""
    from briefings.processes import Outcome, run_each

    jobs = [("a",), ("b",), ("die",), ("c",), ("d",), ("e",)]
    ended: dict[int, Outcome] = {}
    run_each(_pid_or_die, jobs, 2, (), lambda i, outcome: ended.__setitem__(i, outcome))
    assert sorted(ended) == list(range(6))
    assert ended[2].died == "was killed by SIGKILL"
    assert [e.split(" by ")[0] for e in ended[2].events] == ["die"]
    pids = {ended[i].value for i in ended if i != 2}
    assert os.getpid() not in pids
    assert 2 <= len(pids) <= 3  # two workers, and the one that replaced the killed one
    for i in ended:
        if i != 2:
            assert ended[i].events == [f"{jobs[i][0]} by {ended[i].value}"]


def test_a_worker_that_cannot_start_is_a_death_not_a_traceback():
    """A program read from standard input: its workers cannot re-import its __main__ and die as
    they start (the connection is reset, not closed)."""
    script = (
        "from briefings.processes import run_each\n"
        "ended = {}\n"
        "run_each(print, [('x',)], 1, (), lambda i, o: ended.__setitem__(i, o))\n"
        "print('died:', ended[0].died is not None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "died: True" in done.stdout
