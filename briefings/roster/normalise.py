"""Normalisation applied alike to roster names and to every text scanned for them.

A text is first decoded (percent-escapes as in URLs, HTML character references, `\\uXXXX`
escapes: what a browser or a reader would turn into letters), then folded character by character
(skeleton.py: look-alikes, small capitals, case, accents, invisible characters), and cut into
tokens: runs of letters, and runs of digits. Digits glued to letters that look like letters
("N0rvale", "1Norvale") are read as letters, as their own token.
"""

from __future__ import annotations

import html
import re
from itertools import accumulate
from urllib.parse import unquote

from .skeleton import DIGIT_LETTERS, FOLD

_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2}))")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
# A digit run made only of letter-like digits (0, 1): read as letters when glued to a letter.
_LETTER_DIGITS = re.compile(rf"(?<!\d)[{''.join(DIGIT_LETTERS)}]+(?!\d)")
_UNGLUE = str.maketrans(DIGIT_LETTERS)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

_LINE_BREAKS = dict.fromkeys(map(ord, "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"), " ")


def _one_line(text: str) -> str:
    return text.translate(_LINE_BREAKS)


def decode(text: str) -> str:
    """Percent-escapes, character references and \\u escapes decoded (three rounds, for double
    encoding); a decoded line break becomes a space, so line numbers stay those of the source."""
    for _ in range(3):
        before = text
        if "%" in text:
            text = _PERCENT.sub(lambda m: _one_line(unquote(m[0], errors="replace")), text)
        if "&" in text:
            text = _REFERENCE.sub(lambda m: _one_line(html.unescape(m[0])), text)
        if "\\" in text:
            text = _ESCAPE.sub(lambda m: _one_line(chr(int(m[1] or m[2], 16))), text)
        if text == before:
            break
    return text


def _unglue(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    if (start and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
        return " " + match[0].translate(_UNGLUE) + " "
    return match[0]


def _fold_non_ascii(match: re.Match) -> str:
    return match[0].translate(FOLD)


def fold(text: str) -> str:
    """The text as the matcher reads it: decoded, folded, glued letter-like digits as letters."""
    text = decode(text)
    if not text.isascii():
        text = _NON_ASCII.sub(_fold_non_ascii, text)
    # What skeleton.fold_char does to ASCII letters, by whole-string passes (each one in C); the
    # output of FOLD is a fixed point of these, so applying them after it changes nothing.
    text = text.lower().replace("m", "rn").replace("i", "l").replace("|", "l")
    return _LETTER_DIGITS.sub(_unglue, text)


def words(text: str) -> list[str]:
    """The tokens of `text` after normalisation."""
    return _TOKEN.findall(fold(text))


def joined(folded: str) -> tuple[str, set[int]]:
    """Tokens of folded text joined with nothing between them, and the offsets where tokens meet.

    Matching a name on the joined tokens, from a boundary to a boundary, finds it however it is
    split: by a space, a hyphen, a line break, markup or an HTML comment ("Dal-voss", "Bright
    quay", "Nor**vale**").
    """
    tokens = _TOKEN.findall(folded)
    return "".join(tokens), set(accumulate(map(len, tokens), initial=0))


def located(folded: str) -> tuple[str, set[int], list[int], list[int]]:
    """Like `joined`, with each token's offset in the joined text and in `folded`."""
    found = list(_TOKEN.finditer(folded))
    tokens = [m[0] for m in found]
    offsets = list(accumulate(map(len, tokens), initial=0))
    return "".join(tokens), set(offsets), offsets[:-1], [m.start() for m in found]
