"""What a character looks like to a reader: one folded form per character, built once and cached.

Each character is folded to a fixed point of: compatibility decomposition (NFKD: ligatures,
full-width, mathematical and enclosed letters, superscripts), case folding, marks dropped
(accents), small capitals to their letter, UTS #39 prototypes from Unicode's confusables.txt
(Cyrillic "а" -> "a", "ı" -> "i", "m" -> "rn"), and a few letters with no decomposition ("ø",
"ł", "æ"). Invisible characters (format controls: zero-width, bidi, tags, soft hyphen; variation
selectors and fillers) fold to nothing. ASCII digits stay digits here: a digit that stands for a
letter is read as one only when glued to letters (see normalise.py).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

CONFUSABLES = "confusables-17.0.0.txt"  # Unicode 17.0.0, 2025-07-22 (see data/LICENSE-Unicode.txt)

# Not categorised Cf but shown as nothing: combining grapheme joiner, Hangul fillers, Mongolian
# vowel separator, Khmer inherent vowels, braille blank.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")
# Letters that neither NFKD nor the confusables data reduce to a Latin letter; and "i", which
# folds with "l": the skeleton reads a capital I as l, and case must not matter.
_LETTERS = {
    "i": "l",
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
# Percent signs are decoded (normalise.py), not read as "º/₀".
_NOT_FOLDED = frozenset("%")
_SMALL_CAPITAL = re.compile(
    r"^(LATIN|GREEK|CYRILLIC) (?:LETTER SMALL CAPITAL|SMALL CAPITAL LETTER) (\w+)"
)
_ENTRY = re.compile(r"^([0-9A-F]+) ;\t([0-9A-F ]+?) ;", re.MULTILINE)
_MARKS = frozenset({"Mn", "Me"})


@cache
def prototypes() -> dict[str, str]:
    """confusables.txt as {character: prototype}."""
    text = files(__package__).joinpath("data", CONFUSABLES).read_text(encoding="utf-8-sig")
    return {
        chr(int(source, 16)): "".join(chr(int(c, 16)) for c in target.split())
        for source, target in _ENTRY.findall(text)
        if chr(int(source, 16)) not in _NOT_FOLDED
    }


def small_capital(char: str) -> str | None:
    """The lower-case letter a small capital stands for ("ᴅ" -> "d"), by its Unicode name."""
    match = _SMALL_CAPITAL.match(unicodedata.name(char, ""))
    if not match:
        return None
    script, letter = match.groups()
    try:
        return unicodedata.lookup(f"{script} SMALL LETTER {letter}")
    except KeyError:
        return None


def invisible(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) == "Cf"
        or char in _INVISIBLE
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0000 <= code <= 0xE0FFF  # tags and variation selectors supplement
    )


def fold_char(char: str) -> str:
    """The folded form of one character (a fixed point: folding it again changes nothing)."""
    if invisible(char):
        return ""
    if char.isspace():
        return "\n" if char == "\n" else " "
    if "0" <= char <= "9":
        return char
    table = prototypes()
    text = char
    for _ in range(8):
        step = []
        for c in unicodedata.normalize("NFKD", text):
            if unicodedata.category(c) in _MARKS or invisible(c):
                continue
            if "0" <= c <= "9":
                step.append(c)
            else:
                step.append(small_capital(c) or _LETTERS.get(c.lower()) or table.get(c, c))
        folded = "".join(_LETTERS.get(c, c) for c in "".join(step).casefold())
        if folded == text:
            break
        text = folded
    return "".join(" " if c.isspace() else c for c in text)


class FoldTable(dict):
    """{code point: folded text} for str.translate, filled on first use of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


FOLD = FoldTable()
# Digits glued to letters read as the letters they look like ("N0rvale"); others stay digits.
DIGIT_LETTERS = {d: fold_char(prototypes().get(d, d)) for d in "0123456789" if d in prototypes()}
