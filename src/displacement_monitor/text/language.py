"""Language identification for cleaned text (py3langid, offline, loaded once per process)."""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

#: Below this many letters a guess is noise: say "unknown" instead.
MIN_LETTERS = 20
#: The identifier's cost grows with length (~0.25 ms per 1,000 characters); the start decides well.
SAMPLE_CHARS = 1000

#: Labels of the model that are dialects or variants of an ISO 639-1 language we want to report.
_TO_ISO639_1 = {
    "ary": "ar",  # Moroccan Arabic
    "arz": "ar",  # Egyptian Arabic
    "uzs": "uz",
    "sdh": "ku",
    "yue": "zh",
    "wuu": "zh",
    "gug": "gn",
    "hbo": "he",
}
#: "No linguistic content": the detector's way of saying it does not know.
_NO_LANGUAGE = {"zxx", "und"}

_LETTER = re.compile(r"[^\W\d_]")
_identifier: Any = None
_lock = threading.Lock()


def _get_identifier() -> Any:
    """The py3langid model takes ~0.5 s to load: do it once, on first use, thread-safely."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def _count_letters(text: str, enough: int) -> int:
    count = 0
    for _ in _LETTER.finditer(text):
        count += 1
        if count >= enough:
            break
    return count


def detect_language(text: str) -> tuple[str | None, float]:
    """Best language code (ISO 639-1 where one exists) and its probability; (None, 0.0) if too short."""
    sample = text[:SAMPLE_CHARS]
    if _count_letters(sample, MIN_LETTERS) < MIN_LETTERS:
        return None, 0.0
    code, probability = _get_identifier().classify(sample)
    code = _TO_ISO639_1.get(code, code)
    if code in _NO_LANGUAGE:
        return None, 0.0
    return code, round(float(probability), 4)


@functools.lru_cache(maxsize=256)
def normalise_language_code(value: str | None) -> str | None:
    """A language as the input gave it ("en-US", "FR", "fra", "Spanish") → "en"/"fr"/"es", or None.

    Unusable values return None so that the caller detects the language instead of trusting junk.
    """
    if not value:
        return None
    primary = re.split(r"[-_\s.;,]", value.strip(), maxsplit=1)[0].lower()
    if re.fullmatch(r"[a-z]{2}", primary):
        return primary
    if not re.fullmatch(r"[a-z]{3,}", primary):
        return None
    import pycountry

    try:
        if len(primary) == 3:
            found = pycountry.languages.get(alpha_3=primary) or pycountry.languages.get(bibliographic=primary)
        else:
            found = pycountry.languages.get(name=primary)
    except (KeyError, LookupError):
        found = None
    alpha_2 = getattr(found, "alpha_2", None) if found is not None else None
    return alpha_2 if isinstance(alpha_2, str) else None
