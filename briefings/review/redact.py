"""Keep roster names out of everything review writes or prints: ledger, reports, drafts."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from ..project import Project
from ..roster import RosterNames

WITHHELD = "[withheld]"


def roster_redactor(project: Project, paper_id: str) -> Callable[[str], str]:
    """A function replacing every roster name, company and alias (minus the allowlist).

    It uses the confidentiality gate's own matcher (`briefings.roster`): a name in any disguise
    the gate sees (look-alike letters, small capitals, hyphenated or split, percent-encoded) is
    replaced where it stands; a text still holding one after that is withheld whole.
    """
    names = RosterNames.load(project, paper_id, _allowlist(project, paper_id))
    if not names:
        return lambda text: text
    return lambda text: names.redact(text, WITHHELD)


def _allowlist(project: Project, paper_id: str) -> list[str]:
    path = project.paper_dir(paper_id) / "paper.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    words = data.get("allowlist") if isinstance(data, dict) else None
    return [str(w) for w in words] if isinstance(words, list) else []
