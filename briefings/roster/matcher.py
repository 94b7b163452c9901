"""Roster names as folded keys in one Aho-Corasick automaton; what is shown is always masked."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from ..project import Project
from ..sources.models import RosterEntry
from ..sources.roster import load_roster
from .normalise import fold, joined, located, words
from .skeleton import FOLD

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
# A name shorter than this (folded) is matched only as written, word for word; a longer one also
# when split or joined anywhere ("Dal-voss", "Bright quay", "HenrikDalvoss").
MIN_JOINED = 5
# Text a reader sees reversed: after a right-to-left override (to its end, the end of an
# isolate or of the paragraph: a blank line), and runs of right-to-left letters (some look like
# Latin ones).
_OVERRIDDEN = re.compile("\u202e((?:(?!\n[ \t]*\n)[^\u202c\u2069])*)")
_RTL_RUN = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]+"
)
_LETTERS = re.compile(r"[^\W\d_]+")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def _views(text: str) -> list[str]:
    """`text` and, where they differ, the ways a reader sees it: without HTML comments (a name
    split by one reads whole) and with right-to-left runs reversed. Line breaks stay in place."""
    views = [text]
    if "<!--" in text:
        views.append(_COMMENT.sub(lambda m: "\n" * m[0].count("\n"), text))
    if "\u202e" in text or _RTL_RUN.search(text):
        views += [
            _RTL_RUN.sub(lambda m: m[0][::-1], _OVERRIDDEN.sub(lambda m: m[1][::-1], view))
            for view in views
        ]
    return views


KINDS = {"person": "participant name", "company": "company name", "alias": "alias"}


@dataclass(frozen=True, repr=False)
class Term:
    """One roster name (or one distinctive word of it) as normalised words."""

    words: tuple[str, ...]
    kind: str  # person | company | alias
    masked: str  # e.g. N*****e: safe to print

    def describe(self) -> str:
        return f"{KINDS[self.kind]} {self.masked}"

    def __repr__(self) -> str:  # never show the name itself
        return f"<Term {self.describe()}>"

    @property
    def key(self) -> str:
        return "".join(self.words)


def mask(text: str) -> str:
    """First and last character kept, the rest starred: 'Norvale' -> 'N*****e'."""
    text = " ".join(text.split())
    if len(text) <= 3:
        return text[:1] + "*" * (len(text) - 1)
    return text[0] + "*" * (len(text) - 2) + text[-1]


def roster_terms(entries: list[RosterEntry], allowlist: Sequence[str] = ()) -> list[Term]:
    """Every name to look for: full names, distinctive words, parts of hyphenated names, aliases."""
    allowed = {tuple(words(a)) for a in allowlist}
    generic = {fold(w) for w in GENERIC}
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
            if kind == "company" and single[0] in generic:
                continue
            terms.setdefault(single, Term(single, kind, mask(original.strip(".,;:()'’\""))))
            if kind == "person" and len(single) > 1:  # "Okonkwe-Lind" is also called "Lind"
                written_parts = _LETTERS.findall(original)
                if len(written_parts) != len(single):
                    written_parts = list(single)
                for part, written in zip(single, written_parts, strict=True):
                    if len(part) >= MIN_SINGLE and (part,) not in allowed:
                        terms.setdefault((part,), Term((part,), kind, mask(written)))

    for entry in entries:
        add(entry.name, "person")
        add(entry.company, "company")
        for alias in entry.aliases:
            add(alias, "alias", whole_only=True)
    return sorted(terms.values(), key=lambda t: (-len(t.words), t.words))


class RosterNames:
    """The roster's names, minus allowlisted ones, compiled into one automaton over folded text.

    A name matches where its folded letters run from one token boundary to another in the
    joined tokens of the folded text (normalise.py); a short name (under MIN_JOINED letters)
    only where its own words are the tokens.
    """

    def __init__(self, entries: list[RosterEntry], allowlist: Sequence[str] = ()):
        self.terms = roster_terms(entries, allowlist)
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[Term]] = {}
        for term in self.terms:
            by_key.setdefault(term.key, []).append(term)
        for key, terms in by_key.items():
            self._automaton.add_word(key, (key, tuple(terms)))
        if by_key:
            self._automaton.make_automaton()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __repr__(self) -> str:  # never show the names themselves
        return f"<RosterNames: {len(self.terms)} terms>"

    @classmethod
    def load(cls, project: Project, paper_id: str, allowlist: Sequence[str] = ()) -> RosterNames:
        entries, _path = load_roster(project, paper_id)
        return cls(entries, allowlist)

    def find(self, text: str) -> list[Term]:
        """Distinct terms present in `text`, in the order first met."""
        if not self.terms or not text:
            return []
        found: dict[tuple[str, ...], Term] = {}
        for view in _views(text):
            for term, _start, _end in self._hits(*joined(fold(view))):
                found.setdefault(term.words, term)
        return list(found.values())

    def _hits(self, text: str, bounds: set[int]):
        """(term, start, end) for every name in joined tokens, from a boundary to a boundary."""
        for last, (key, terms) in self._automaton.iter(text):
            start, end = last - len(key) + 1, last + 1
            if start not in bounds or end not in bounds:
                continue
            if len(key) >= MIN_JOINED:
                for term in terms:
                    yield term, start, end
                continue
            inner = {b - start for b in range(start + 1, end) if b in bounds}
            for term in terms:
                if inner == _word_bounds(term):
                    yield term, start, end

    def line_of(self, text: str, term: Term) -> int | None:
        """1-based line of `text` where `term` first starts, or None."""
        for view in _views(text):
            folded = fold(view)
            text_joined, bounds, offsets, starts = located(folded)
            for found, start, _end in self._hits(text_joined, bounds):
                if found.words == term.words:
                    i = bisect_right(offsets, start) - 1
                    return folded.count("\n", 0, starts[i] + start - offsets[i]) + 1
        return None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) in `text` of every name found without decoding escapes, merged."""
        if not self.terms or not text:
            return []
        pieces = [FOLD[ord(c)] for c in text]
        origin = [i for i, piece in enumerate(pieces) for _ in piece]
        folded = "".join(pieces)
        text_joined, bounds, offsets, starts = located(folded)

        def original(j: int) -> int:
            i = bisect_right(offsets, j) - 1
            return origin[starts[i] + j - offsets[i]]

        def after(j: int) -> int:  # past the last letter and the marks or invisibles after it
            end = original(j - 1) + 1
            while end < len(text) and not pieces[end]:
                end += 1
            return end

        spans = sorted(
            (original(start), after(end)) for _t, start, end in self._hits(text_joined, bounds)
        )
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def redact(self, text: str, replacement: str) -> str:
        """`text` with every name replaced; withheld whole if a disguised name is still found."""
        if not text:
            return text
        out = text
        for start, end in reversed(self.spans(text)):
            out = out[:start] + replacement + out[end:]
        return replacement if self.find(out) else out


def _word_bounds(term: Term) -> set[int]:
    offsets, total = set(), 0
    for word in term.words[:-1]:
        total += len(word)
        offsets.add(total)
    return offsets
