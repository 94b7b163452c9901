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
    map(
        ord,
        "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff",
    ),
    None,
)
# Letters that NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "ŀ": "l",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ĸ": "k",
        "ŋ": "n",
    }
)
# "Nor-\nvale": a hyphen (ASCII, Unicode hyphen, non-breaking hyphen) at a line end.
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011]\s*\n\s*(?=[^\W\d_])")
# A soft hyphen at a line end (how Typst hyphenates, as PDF text extraction reads it back) is
# read like a hyphen line break: matching tries it both as a join and as a word break.
_SOFT_BREAK = re.compile(r"\u00ad[ \t]*\r?\n[ \t]*")
_BREAK_ONLY = re.compile(r"[-\u2010\u2011][ \t]*\r?\n\s*")
# Letters and digits are separate words: a footnote mark glued to a name ("1Kestrel") must not
# hide it.
_WORD = re.compile(r"[^\W\d_]+|\d+")


def fold(text: str) -> str:
    """Case-folded, accent-free, invisible-free text (hyphen breaks left as they are)."""
    text = _SOFT_BREAK.sub("-\n", unicodedata.normalize("NFKC", text)).translate(_INVISIBLE)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").translate(_FOLD)
    return text


def words(text: str) -> list[str]:
    """The words of `text` after normalisation, with words hyphenated across a line break joined."""
    folded = fold(text)
    return _WORD.findall(_HYPHEN_BREAK.sub("", folded))


def tokens(text: str) -> tuple[list[str], list[bool]]:
    """Normalised words, and for each whether a hyphen line break links it to the next word.

    Matching tries both readings of every such break ("Nor-\nvale" as one word or two).
    """
    folded = fold(text)
    found = list(_WORD.finditer(folded))
    words_ = [m.group() for m in found]
    links = [
        i + 1 < len(found)
        and _BREAK_ONLY.fullmatch(folded, m.end(), found[i + 1].start()) is not None
        for i, m in enumerate(found)
    ]
    return words_, links
