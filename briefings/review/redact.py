"""Keep roster names out of everything review writes or prints: ledger, reports, drafts."""

from __future__ import annotations

from collections.abc import Callable

from ..project import Project
from ..roster import RosterNames
from ..sources.loader import read_paper_settings

WITHHELD = "[withheld]"


def roster_redactor(project: Project, paper_id: str) -> Callable[[str], str]:
    """A function replacing every roster name, company and alias (minus the allowlist).

    It uses the confidentiality gate's own matcher (`briefings.roster`): a name in any disguise
    the gate sees (look-alike letters, small capitals, hyphenated or split, percent-encoded) is
    replaced where it stands; a text still holding one after that is withheld whole.
    """
    allowlist = read_paper_settings(project, paper_id).allowlist
    names = RosterNames.load(project, paper_id, allowlist)
    if not names:
        return lambda text: text
    return lambda text: names.redact(text, WITHHELD)
