"""The cheap gate in front of the parser: most news never mentions displacement.

One Aho-Corasick automaton over the trigger stems of every language finds, in a single pass over
the lower-cased text, whether a paragraph can hold a displacement fact at all. Only paragraphs
that pass reach number parsing and spaCy, which is what makes a mixed news stream fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick

from displacement_monitor.extract.lexicon import all_stems

_PARAGRAPH = re.compile(r"[^\n]+")
#: A digit or a number word that can start a vague or written figure.
_NUMBERISH = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|dozens?|scores|half a|a few|several|"
    r"lakh|crore|un|une|deux|trois|quatre|cinq|dix|vingt|trente|quarante|cinquante|soixante|cent|"
    r"centaines?|milliers?|dizaines?|mille|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|"
    r"veinte|treinta|cuarenta|cincuenta|cien|ciento|cientos|centenar|centenares|miles?|decenas|"
    r"millón|millones)\b",
    re.IGNORECASE,
)


@cache
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for stem in all_stems():
        automaton.add_word(stem, stem)
    automaton.make_automaton()
    return automaton


def has_trigger(text: str) -> bool:
    """Whether any displacement stem of any language occurs in ``text``."""
    lowered = " ".join(text.lower().split())
    for end, stem in _automaton().iter(lowered):
        start = end - len(stem) + 1
        if (
            start == 0 or not lowered[start - 1].isalpha()
        ):  # a word start: "hui" (huir) not inside "aujourd'hui"
            return True
    return False


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph worth analysing: it has displacement vocabulary and something number-like."""

    start: int
    end: int
    text: str


def _continues(line: str, following: str) -> bool:
    """Whether a line break sits inside a sentence (hard-wrapped or PDF-extracted text)."""
    if not following or line.rstrip().endswith((".", "!", "?", ":", ";", '"', "”", "»", ")")):
        return False
    return following[0].islower() or following[0].isdigit() or len(line.split()) <= 3


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of logical paragraphs: lines, re-joined where a break falls inside a sentence."""
    start = end = None
    previous = ""
    for match in _PARAGRAPH.finditer(text):
        line = match.group()
        if start is not None and not (
            match.start() == (end or 0) + 1 and _continues(previous, line.lstrip())
        ):
            yield start, end  # type: ignore[misc]
            start = None
        if start is None:
            start = match.start()
        end, previous = match.end(), line
    if start is not None:
        yield start, end  # type: ignore[misc]


def candidate_passages(text: str) -> Iterator[Passage]:
    """Paragraphs of ``text`` (offsets into it) that may contain a displacement figure."""
    for start, end in paragraphs(text):
        paragraph = text[start:end]
        if has_trigger(paragraph) and _NUMBERISH.search(paragraph):
            yield Passage(start, end, paragraph)
