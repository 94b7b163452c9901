"""Normalisation applied to roster names and scanned text alike, so disguised forms still match.

NFKC (ligatures, full-width letters), case folding, diacritics removed, zero-width characters
and soft hyphens removed, words hyphenated across a line break joined, possessives split off
(an apostrophe separates words), whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and invisible formatting characters, and the soft hyphen.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
             "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"),
    None,
)
# Letters that NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({
    "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l",
    "æ": "ae", "œ": "oe", "þ": "th", "ĸ": "k", "ŋ": "n",
})
# "Nor-\nvale": a hyphen (ASCII, Unicode hyphen, non-breaking hyphen) at a line end.
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011]\s*\n\s*(?=[^\W\d_])")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case-folded, accent-free, invisible-free text (hyphen breaks left as they are)."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLD)
    return text


def words(text: str) -> list[str]:
    """The words of `text` after normalisation, with words hyphenated across a line break joined."""
    folded = fold(text)
    return _WORD.findall(_HYPHEN_BREAK.sub("", folded))


def word_streams(text: str) -> list[list[str]]:
    """Every reading of `text` to scan: with hyphen breaks joined and, if any, with them kept apart."""
    folded = fold(text)
    joined = _WORD.findall(_HYPHEN_BREAK.sub("", folded))
    if _HYPHEN_BREAK.search(folded):
        return [joined, _WORD.findall(folded)]
    return [joined]
