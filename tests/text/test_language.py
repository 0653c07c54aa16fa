"""Language detection and normalisation of given language codes."""

from __future__ import annotations

import pytest

from displacement_monitor.text.language import detect_language, normalise_language_code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thousands of families fled their homes after the river burst its banks on Monday night.", "en"),
        ("Des milliers de familles ont fui leurs maisons après la crue de la rivière lundi soir.", "fr"),
        (
            "Miles de familias huyeron de sus casas tras el desbordamiento del río el lunes por la noche.",
            "es",
        ),
    ],
)
def test_language_detects_en_fr_es(text: str, expected: str) -> None:
    code, confidence = detect_language(text)
    assert code == expected
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize("text", ["", "Hi there", "12,000 / 3,500 (2024)", "ok ok ok"])
def test_language_short_text_is_unknown(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("pt_BR", "pt"),
        ("fra", "fr"),
        ("fre", "fr"),
        ("spa", "es"),
        ("Spanish", "es"),
        ("", None),
        (None, None),
        ("??", None),
        ("xyz", None),
        ("12", None),
    ],
)
def test_language_normalises_given_codes(given: str | None, expected: str | None) -> None:
    assert normalise_language_code(given) == expected
