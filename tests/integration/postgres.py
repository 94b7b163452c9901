"""A throwaway PostgreSQL cluster (Debian's `postgresql`): initdb in a temporary folder, started
with pg_ctl on a free loopback port, stopped and removed afterwards. As root, it runs as the
`postgres` user, as PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin_dir() -> Path:
    """The newest installed server's programs (Debian keeps them out of PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")


@contextmanager
def postgres_cluster(port: int) -> Iterator[str]:
    """A running cluster with a database `prefect`; yields its SQLAlchemy (asyncpg) URL."""
    programs = _bin_dir()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="briefings-postgres-"))  # /tmp: reachable by postgres
    data, log = base / "data", base / "server.log"
    if as_postgres:
        shutil.chown(base, "postgres", "postgres")

    def run(*command: str) -> None:
        subprocess.run(
            [*as_postgres, *command], check=True, capture_output=True, text=True, timeout=120
        )

    try:
        run(str(programs / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--no-sync")  # fmt: skip
        options = f"-p {port} -h 127.0.0.1 -k {base} -c fsync=off -c max_connections=200"
        run(str(programs / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
            "-o", options, "start")  # fmt: skip
        try:
            run(str(programs / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                "prefect")  # fmt: skip
            yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/prefect"
        finally:
            run(str(programs / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    except subprocess.CalledProcessError as exc:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(
            f"{exc.cmd[len(as_postgres)]}: {exc.stderr or exc.stdout}{tail}"
        ) from None
    finally:
        shutil.rmtree(base, ignore_errors=True)
