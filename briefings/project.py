"""Where a project's folders are: paper_sources/, templates/, outputs/."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError

ROOT_ENV = "BRIEFINGS_ROOT"  # the project folder, for runs started elsewhere
OUTPUTS_ENV = "BRIEFINGS_OUTPUTS"  # where editions are published, when not <root>/outputs


# Where a roster kept outside the repository lives: $BRIEFINGS_ROSTER_DIR/<paper>/roster.yaml.
ROSTER_ENV = "BRIEFINGS_ROSTER_DIR"


@dataclass(frozen=True)
class Project:
    """The folders one run reads from and writes to."""

    root: Path
    outputs_dir: Path | None = None  # default: <root>/outputs

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def sources(self) -> Path:
        return self.root / "paper_sources"

    @property
    def regulations(self) -> Path:
        return self.sources / "regulations"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def outputs(self) -> Path:
        return Path(self.outputs_dir) if self.outputs_dir else self.root / "outputs"

    @property
    def cache(self) -> Path:
        """Derived files kept between builds (briefings.cache); safe to delete at any time."""
        return self.root / ".cache"

    def paper_dir(self, paper_id: str) -> Path:
        return self.sources / paper_id

    def roster_candidates(self, paper_id: str) -> list[Path]:
        """Where a paper's confidential roster may be, in the order they are tried."""
        candidates = []
        if os.environ.get(ROSTER_ENV):
            base = Path(os.environ[ROSTER_ENV])
            candidates += [base / paper_id / "roster.yaml", base / f"{paper_id}.roster.yaml"]
        candidates.append(self.paper_dir(paper_id) / "interviews" / "roster.yaml")
        return candidates

    def relative(self, path: Path) -> str:
        """A path as shown to editors: relative to the project root when inside it."""
        path = Path(path)
        # The folder is resolved, the name is not: a symbolic link is shown where it lies.
        shown = path.parent.resolve() / path.name if path.name else path.resolve()
        try:
            return shown.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def paper_ids(self) -> list[str]:
        """Every folder of paper_sources/ that holds a paper.yaml, sorted."""
        if not self.sources.is_dir():
            return []
        return sorted(p.parent.name for p in self.sources.glob("*/paper.yaml"))

    @classmethod
    def locate(cls, root: str | os.PathLike | None = None) -> Project:
        """The project at `root`, $BRIEFINGS_ROOT, or the nearest folder above cwd with
        paper_sources/; its editions go to $BRIEFINGS_OUTPUTS when set (shared storage)."""
        outputs = os.environ.get(OUTPUTS_ENV, "").strip()
        outputs_dir = Path(outputs).resolve() if outputs else None
        given = root or os.environ.get(ROOT_ENV)
        if given:
            path = Path(given).resolve()
            if not (path / "paper_sources").is_dir():
                raise SourceError(f"{path}: no paper_sources/ folder here")
            return cls(path, outputs_dir)
        here = Path.cwd().resolve()
        for candidate in (here, *here.parents):
            if (candidate / "paper_sources").is_dir():
                return cls(candidate, outputs_dir)
        raise SourceError(f"{here}: no paper_sources/ folder here or above (use --root)")
