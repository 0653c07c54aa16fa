"""Is a document about people forced from their homes, even when it gives no figure?

A document with facts is relevant. Without facts, it takes repeated specific displacement
wording about people ("fled their homes", "evacuated", "displaced families") outside sentences
that speak of drills, medicine or markets; generic movement words ("left") never count.
"""

from __future__ import annotations

from collections.abc import Iterable

from displacement_monitor.extract.lexicon import LanguageData

#: Evidence needed without any fact: two specific mentions, or one in the title.
RELEVANCE_THRESHOLD = 2.0


def _mentions(sentence: str, language: LanguageData) -> int:
    if language.blockers.search(sentence):
        return 0
    transient = bool(language.transient_evacuation.search(sentence))
    hits = sum(
        len(p.findall(sentence))
        for p, term in language.person_triggers
        if term != "sheltered" and not (transient and term == "evacuated")
    )
    hits += sum(len(p.findall(sentence)) for p, _ in language.status_nouns)
    if language.housing_nouns.search(sentence):
        hits += sum(
            len(p.findall(sentence)) for p, term in language.housing_triggers if term == "destroyed_housing"
        )
    return hits


def relevance_score(title: str | None, sentences: Iterable[str], language: LanguageData) -> float:
    """Weighted count of specific displacement mentions (title counts double)."""
    score = 2.0 * _mentions(title, language) if title else 0.0
    return score + sum(_mentions(sentence, language) for sentence in sentences)
