"""Cause (conflict / disaster / other) and hazard of a document or a sentence, from keyword evidence.

Words in the title weigh most, then the lead paragraph, then the rest: a wildfire story that
mentions the army stays a wildfire, a siege that mentions rain stays a conflict.
"""

from __future__ import annotations

from collections import Counter

from displacement_monitor.extract.lexicon import LanguageData

NATURAL_HAZARDS = frozenset(
    {
        "flood",
        "storm",
        "earthquake",
        "tsunami",
        "wildfire",
        "drought",
        "landslide",
        "volcano",
        "extreme_temperature",
    }
)
#: Ties and near-ties go to the more specific hazard (a tsunami is also a flood story).
_PRIORITY = [
    "tsunami",
    "volcano",
    "earthquake",
    "landslide",
    "wildfire",
    "storm",
    "drought",
    "extreme_temperature",
    "flood",
]


def hazard_scores(text: str, language: LanguageData, weight: float = 1.0) -> Counter[str]:
    scores: Counter[str] = Counter()
    for hazard, pattern in language.hazards:
        hits = len(pattern.findall(text))
        if hits:
            scores[hazard] += weight * hits  # type: ignore[assignment]
    return scores


def document_scores(title: str | None, text: str, language: LanguageData) -> Counter[str]:
    """Keyword evidence for each hazard, weighted by where it occurs."""
    lead, _, rest = text.partition("\n")
    scores = hazard_scores(rest, language)
    scores.update(hazard_scores(lead, language, weight=2.0))
    if title and not text.startswith(title):
        scores.update(hazard_scores(title, language, weight=3.0))
    return scores


def choose_hazard(scores: Counter[str]) -> str | None:
    """Conflict when its evidence outweighs all natural hazards together; else the natural hazard."""
    natural = {h: v for h, v in scores.items() if h in NATURAL_HAZARDS}
    conflict = scores.get("conflict", 0.0)
    if not natural:
        return "conflict" if conflict else None
    if conflict > sum(natural.values()):
        return "conflict"
    best = max(natural.values())
    # within 80% of the best counts as a tie; the most specific hazard wins it
    return next(h for h in _PRIORITY if natural.get(h, 0.0) >= 0.8 * best)


def cause_of(hazard: str | None) -> str | None:
    if hazard is None:
        return None
    if hazard == "conflict":
        return "conflict"
    return "disaster" if hazard in NATURAL_HAZARDS else "other"
