"""Roster names as normalised word sequences, ready to match; display is always masked."""

from __future__ import annotations

from dataclasses import dataclass

from ..project import Project
from ..sources.models import RosterEntry
from ..sources.roster import load_roster
from .normalise import tokens, words

# Words of company names too generic to identify anyone on their own.
GENERIC = frozenset(
    """
    a an and the of for de la le du der die das und et y
    inc incorporated ltd limited plc llc llp lp gmbh ag kg se sa sas sarl bv nv ab as asa oy spa srl
    co corp corporation company companies group holding holdings international global worldwide
    technologies technology tech systems software solutions services networks network
    telecom telecoms telecommunications communications digital data labs lab ai
""".split()
)
MIN_SINGLE = 3  # a single name word shorter than this is matched only inside the full name

KINDS = {"person": "participant name", "company": "company name", "alias": "alias"}


@dataclass(frozen=True)
class Term:
    """One roster name (or one distinctive word of it) as normalised words."""

    words: tuple[str, ...]
    kind: str  # person | company | alias
    masked: str  # e.g. N*****e: safe to print

    def describe(self) -> str:
        return f"{KINDS[self.kind]} {self.masked}"


def mask(text: str) -> str:
    """First and last character kept, the rest starred: 'Norvale' -> 'N*****e'."""
    text = " ".join(text.split())
    if len(text) <= 3:
        return text[:1] + "*" * (len(text) - 1)
    return text[0] + "*" * (len(text) - 2) + text[-1]


class RosterNames:
    """Every term to look for, minus allowlisted ones, indexed by first word."""

    def __init__(self, entries: list[RosterEntry], allowlist: list[str] = ()):
        allowed = {tuple(words(a)) for a in allowlist}
        terms: dict[tuple[str, ...], Term] = {}

        def add(text: str, kind: str, whole_only: bool = False) -> None:
            full = tuple(words(text))
            if full and full not in allowed:
                terms.setdefault(full, Term(full, kind, mask(text)))
            if whole_only or len(full) < 2:
                return
            for original in text.split():
                single = tuple(words(original))  # a hyphenated surname is one sequence
                if (
                    not single
                    or single in allowed
                    or (len(single) == 1 and len(single[0]) < MIN_SINGLE)
                ):
                    continue
                if kind == "company" and single[0] in GENERIC:
                    continue
                terms.setdefault(single, Term(single, kind, mask(original.strip(".,;:()'’\""))))
                if kind == "person" and len(single) > 1:  # "Okonkwe-Lind" is also called "Lind"
                    for part in single:
                        if len(part) >= MIN_SINGLE and (part,) not in allowed:
                            terms.setdefault((part,), Term((part,), kind, mask(part)))

        for entry in entries:
            add(entry.name, "person")
            add(entry.company, "company")
            for alias in entry.aliases:
                add(alias, "alias", whole_only=True)
        self.terms = sorted(terms.values(), key=lambda t: (-len(t.words), t.words))
        self._index: dict[str, list[Term]] = {}
        for term in self.terms:
            self._index.setdefault(term.words[0], []).append(term)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __repr__(self) -> str:  # never show the names themselves
        return f"<RosterNames: {len(self.terms)} terms>"

    @classmethod
    def load(cls, project: Project, paper_id: str, allowlist: list[str] = ()) -> RosterNames:
        entries, _path = load_roster(project, paper_id)
        return cls(entries, allowlist)

    def find(self, text: str) -> list[Term]:
        """Distinct terms present in `text`, on word boundaries, in the order first met."""
        found: dict[tuple[str, ...], Term] = {}
        toks, links = tokens(text)
        for i, token in enumerate(toks):
            for term in self._candidates(token, links[i]):
                if term.words not in found and _match(toks, links, i, term.words):
                    found[term.words] = term
        return list(found.values())

    def _candidates(self, token: str, linked: bool) -> list[Term]:
        if not linked:
            return self._index.get(token, [])
        return [t for t in self.terms if t.words[0].startswith(token)]

    def line_of(self, text: str, term: Term) -> int | None:
        """1-based line where `term` starts in `text` (also across a line break), or None."""
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if term in self.find(line):
                return i + 1
        for i in range(len(lines) - 1):
            if term in self.find(lines[i] + "\n" + lines[i + 1]):
                return i + 1
        return None


def _match(toks: list[str], links: list[bool], i: int, words_: tuple[str, ...]) -> bool:
    """Do the words from token i on spell `words_`, joining tokens across hyphen breaks if
    needed?"""
    if not words_:
        return True
    wanted, acc = words_[0], ""
    for j in range(i, len(toks)):
        acc += toks[j]
        if acc == wanted and _match(toks, links, j + 1, words_[1:]):
            return True
        if not links[j] or not wanted.startswith(acc):
            return False
    return False
