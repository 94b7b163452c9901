"""Keep roster names out of everything review writes or prints (reports, artifacts, drafts)."""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from ..project import Project
from ..sources.roster import load_roster

WITHHELD = "[withheld]"


def roster_redactor(project: Project, paper_id: str) -> Callable[[str], str]:
    """A function replacing every roster name, company and alias (minus the allowlist).

    Names written as in the roster are replaced in place; the confidentiality gate's matcher then
    checks what is left, and a text still holding a disguised name is withheld whole.
    """
    from ..confidentiality import RosterNames

    entries, _ = load_roster(project, paper_id)
    allowlist = _allowlist(project, paper_id)
    allow = {w.casefold() for w in allowlist}
    terms = set()
    for e in entries:
        for term in (e.name, e.company, *e.aliases):
            if term and term.strip() and term.casefold() not in allow:
                terms.add(term.strip())
    replace = redactor(terms)
    names = RosterNames(entries, allowlist)
    if not names:
        return replace

    def redact(text: str) -> str:
        out = replace(text)
        return WITHHELD if out and names.find(out) else out

    return redact


def redactor(terms: set[str]) -> Callable[[str], str]:
    if not terms:
        return lambda text: text
    ordered = sorted(terms, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)", re.IGNORECASE
    )
    return lambda text: pattern.sub(WITHHELD, text) if text else text


def _allowlist(project: Project, paper_id: str) -> list[str]:
    path = project.paper_dir(paper_id) / "paper.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    words = data.get("allowlist") if isinstance(data, dict) else None
    return [str(w) for w in words] if isinstance(words, list) else []
