"""Length-preserving text folding, so gazetteer matches map back to offsets in the original text.

Folding lower-cases, strips accents and unifies apostrophes and dashes one character at a time:
``fold(text)[i]`` always corresponds to ``text[i]``. Names are folded the same way (plus
whitespace collapsing) before they enter the index.
"""

from __future__ import annotations

import re
import unicodedata

#: U+FFFD stands in for a lost character; in news text it is most often a curly apostrophe.
_APOSTROPHES = "'’‘`´ʼʻ′\ufffd"
_DASHES = "-‐‑‒–—―"


def _fold_char(char: str) -> str:
    if char in _APOSTROPHES:
        return "'"
    if char in _DASHES or char in "_\u00a0\t\r\n":
        return " "
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0] if decomposed else char
    lowered = base.lower()
    return lowered[0] if lowered else base


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that computes (and remembers) each character's folding on demand."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold ``text`` character by character: same length, same offsets."""
    return text.translate(_TABLE)


def fold_name(name: str) -> str:
    """The index key of a name: folded, dots dropped after initials, whitespace collapsed."""
    return _SPACES.sub(" ", fold(name)).strip(" .,;:")


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin (alternate names in other scripts are skipped)."""
    for char in name:
        if char.isalpha() and not ("LATIN" in unicodedata.name(char, "") or char.isascii()):
            return False
    return any(char.isalpha() for char in name)


_NOT_SKELETON = re.compile(r"[aeiouyhw' -]+")
_REPEATS = re.compile(r"(.)\1+")


def skeleton(norm: str) -> str:
    """A folded name's first letter and its other consonants (no h/w/y, c/q as k, doubles single).

    Transliterations of one name usually share it: netrakona and netrokona are both ``ntrkn``.
    """
    if not norm:
        return ""
    rest = _NOT_SKELETON.sub("", norm[1:]).replace("q", "k").replace("c", "k")
    return _REPEATS.sub(r"\1", norm[0] + rest)
