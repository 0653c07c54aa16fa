"""Figure extraction: every quantity expression in a sentence, with its qualifier.

Pure regular expressions and a small token grammar (no spaCy), because it runs on every candidate
sentence. English, French and Spanish number words are understood; digits in any language.

Each :class:`Quantity` carries a ``kind`` so callers can drop years, dates, money, percentages,
measurements and ordinals and keep only head counts (``kind == "count"``). Figures follow the
"Figures" table of the output contract: ``exact`` and ``approximately`` have figure = min = max,
``more_than`` has no max, ``less_than`` has no min, ``range`` has figure = max and ``vague`` has no
figure but a min/max band ("hundreds" = 200-999).

The grammar is deliberately bounded (at most a dozen tokens per number, fixed-width context
windows), so the run time is linear in the text length and no input can make it raise.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Final

KINDS: Final = ("count", "year", "date", "money", "percent", "measure", "ordinal", "other")
QUALIFIERS: Final = ("exact", "approximately", "more_than", "less_than", "range", "vague")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity expression; ``start``/``end`` cover the qualifier words too."""

    start: int
    end: int
    number_start: int
    number_end: int
    text: str
    figure: int | None
    figure_min: int | None
    figure_max: int | None
    qualifier: str
    vague_expression: str | None = None
    kind: str = "count"
    written_in_words: bool = False
    is_year_like: bool = False


# ---------------------------------------------------------------------------------------------
# Language data
# ---------------------------------------------------------------------------------------------

# Token kinds of the number grammar.
_UNIT, _TEEN, _TENS, _HUNDRED, _HVAL, _SCALE, _APPROX, _ARTICLE, _HALF, _AND, _OF = (
    "unit",
    "teen",
    "tens",
    "hundred",
    "hval",
    "scale",
    "approx",
    "article",
    "half",
    "and",
    "of",
)

_EN_WORDS: dict[str, tuple[str, float]] = {
    **{
        w: (_UNIT, float(i + 1))
        for i, w in enumerate(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
    },
    **{
        w: (_TEEN, float(i + 10))
        for i, w in enumerate(
            [
                "ten",
                "eleven",
                "twelve",
                "thirteen",
                "fourteen",
                "fifteen",
                "sixteen",
                "seventeen",
                "eighteen",
                "nineteen",
            ]
        )
    },
    **{
        w: (_TENS, float(10 * (i + 2)))
        for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
    },
    "fourty": (_TENS, 40.0),
    "hundred": (_HUNDRED, 100.0),
    "thousand": (_SCALE, 1e3),
    "million": (_SCALE, 1e6),
    "millions": (_SCALE, 1e6),
    "billion": (_SCALE, 1e9),
    "billions": (_SCALE, 1e9),
    "lakh": (_SCALE, 1e5),
    "lakhs": (_SCALE, 1e5),
    "lac": (_SCALE, 1e5),
    "lacs": (_SCALE, 1e5),
    "crore": (_SCALE, 1e7),
    "crores": (_SCALE, 1e7),
    "mn": (_SCALE, 1e6),
    "bn": (_SCALE, 1e9),
    "dozen": (_APPROX, 12.0),
    "a": (_ARTICLE, 1.0),
    "an": (_ARTICLE, 1.0),
    "half": (_HALF, 0.5),
    "and": (_AND, 0.0),
    "of": (_OF, 0.0),
}

_FR_WORDS: dict[str, tuple[str, float]] = {
    "un": (_UNIT, 1.0),
    "une": (_UNIT, 1.0),
    **{
        w: (_UNIT, float(i + 2))
        for i, w in enumerate(["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"])
    },
    **{
        w: (_TEEN, float(i + 10))
        for i, w in enumerate(["dix", "onze", "douze", "treize", "quatorze", "quinze", "seize"])
    },
    **{
        w: (_TENS, float(10 * (i + 2)))
        for i, w in enumerate(
            ["vingt", "trente", "quarante", "cinquante", "soixante", "septante", "huitante", "nonante"]
        )
    },
    "vingts": (_TENS, 20.0),
    "octante": (_TENS, 80.0),
    "cent": (_HUNDRED, 100.0),
    "cents": (_HUNDRED, 100.0),
    "mille": (_SCALE, 1e3),
    "mil": (_SCALE, 1e3),
    "million": (_SCALE, 1e6),
    "millions": (_SCALE, 1e6),
    "milliard": (_SCALE, 1e9),
    "milliards": (_SCALE, 1e9),
    "dizaine": (_APPROX, 10.0),
    "douzaine": (_APPROX, 12.0),
    "quinzaine": (_APPROX, 15.0),
    "vingtaine": (_APPROX, 20.0),
    "trentaine": (_APPROX, 30.0),
    "quarantaine": (_APPROX, 40.0),
    "cinquantaine": (_APPROX, 50.0),
    "soixantaine": (_APPROX, 60.0),
    "centaine": (_APPROX, 100.0),
    "centaines": (_APPROX, 100.0),
    "millier": (_APPROX, 1000.0),
    "milliers": (_APPROX, 1000.0),
    "demi": (_HALF, 0.5),
    "et": (_AND, 0.0),
    "de": (_OF, 0.0),
    "d'": (_OF, 0.0),
}

_ES_TENS_21 = {
    "veintiuno": 21,
    "veintiún": 21,
    "veintiun": 21,
    "veintiuna": 21,
    "veintidós": 22,
    "veintidos": 22,
    "veintitrés": 23,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiséis": 26,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
}
_ES_HUNDREDS = {
    "doscient": 200,
    "trescient": 300,
    "cuatrocient": 400,
    "quinient": 500,
    "seiscient": 600,
    "setecient": 700,
    "sietecient": 700,
    "ochocient": 800,
    "novecient": 900,
}
_ES_WORDS: dict[str, tuple[str, float]] = {
    "un": (_UNIT, 1.0),
    "uno": (_UNIT, 1.0),
    "una": (_UNIT, 1.0),
    **{
        w: (_UNIT, float(i + 2))
        for i, w in enumerate(["dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"])
    },
    **{
        w: (_TEEN, float(i + 10))
        for i, w in enumerate(
            [
                "diez",
                "once",
                "doce",
                "trece",
                "catorce",
                "quince",
                "dieciséis",
                "diecisiete",
                "dieciocho",
                "diecinueve",
            ]
        )
    },
    "dieciseis": (_TEEN, 16.0),
    **{
        w: (_TENS, float(10 * (i + 2)))
        for i, w in enumerate(
            ["veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
        )
    },
    **{w: (_TENS, float(v)) for w, v in _ES_TENS_21.items()},
    **{stem + end: (_HVAL, float(v)) for stem, v in _ES_HUNDREDS.items() for end in ("os", "as")},
    "cien": (_HVAL, 100.0),
    "ciento": (_HVAL, 100.0),
    "mil": (_SCALE, 1e3),
    "millón": (_SCALE, 1e6),
    "millon": (_SCALE, 1e6),
    "millones": (_SCALE, 1e6),
    "mil millones": (_SCALE, 1e9),
    "decena": (_APPROX, 10.0),
    "docena": (_APPROX, 12.0),
    "veintena": (_APPROX, 20.0),
    "treintena": (_APPROX, 30.0),
    "centenar": (_APPROX, 100.0),
    "centenares": (_APPROX, 100.0),
    "millar": (_APPROX, 1000.0),
    "millares": (_APPROX, 1000.0),
    "medio": (_HALF, 0.5),
    "media": (_HALF, 0.5),
    "y": (_AND, 0.0),
    "de": (_OF, 0.0),
}

#: Words that may open a number on their own ("cent personnes", "mil familias", "mille").
_STANDALONE_SCALES = {"cent", "mille", "mil", "cien", "ciento"}

#: Glued or separate abbreviations of scales after digits.
_SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9}

_VAGUE_BANDS: dict[str, tuple[int, int]] = {
    "tens": (20, 99),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "millions": (2_000_000, 9_999_999),
    "billions": (2_000_000_000, 9_999_999_999),
}
_VAGUE_HEADS: dict[str, str] = {
    # English
    "tens": "tens",
    "dozens": "dozens",
    "scores": "scores",
    "hundreds": "hundreds",
    "thousands": "thousands",
    "millions": "millions",
    "billions": "billions",
    "dozen": "dozens",
    "hundred": "hundreds",
    "thousand": "thousands",
    "million": "millions",
    # French
    "dizaines": "tens",
    "douzaines": "dozens",
    "centaines": "hundreds",
    "milliers": "thousands",
    "milliards": "billions",
    # Spanish
    "decenas": "tens",
    "docenas": "dozens",
    "cientos": "hundreds",
    "centenares": "hundreds",
    "miles": "thousands",
    "millares": "thousands",
    "millones": "millions",
}
_VAGUE_TAIL_UNIT = {
    "thousands": 1000,
    "thousand": 1000,
    "milliers": 1000,
    "miles": 1000,
    "millares": 1000,
    "millions": 1_000_000,
    "million": 1_000_000,
    "millones": 1_000_000,
}

_HWS = r"[ \t\u00a0\u2009\u202f]"

_VAGUE_PATTERNS: dict[str, str] = {
    "en": (
        r"\b(?:(?:several|a\s+few|few|a\s+couple\s+of|many|some)\s+)?"
        r"(?P<head>hundreds|thousands|millions|billions|dozens|scores|tens(?=\s+of\b))\b"
        r"(?:\s+(?:of\s+)?(?P<tail>thousands|millions)\b)?"
        r"|\b(?:several|a\s+few|a\s+couple\s+of|few|many)\s+(?P<head2>hundred|thousand|million|dozen)\b"
        r"(?:\s+(?P<tail2>thousand|million)\b)?"
    ),
    "fr": (
        r"(?:\b(?:des|plusieurs|quelques|de|les|ces)\s+)?"
        r"\b(?P<head>dizaines|douzaines|centaines|milliers|millions|milliards)\b"
        r"(?:\s+de\s+(?P<tail>milliers|millions)\b)?"
    ),
    "es": (
        r"(?:\b(?:varios|varias|unos|unas|algunos|algunas|muchos|muchas|los|las|miles\s+y)\s+)?"
        r"\b(?P<head>decenas|docenas|cientos|centenares|miles|millares|millones)\b"
        r"(?:\s+de\s+(?P<tail>miles|millones)\b)?"
    ),
}

# Qualifier phrases that come right before the number, longest first where they share a start.
_PREFIX_QUALIFIERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "more_than": (
            "no fewer than",
            "no less than",
            "not less than",
            "not fewer than",
            "more than",
            "well over",
            "just over",
            "over",
            "at least",
            "in excess of",
            "upwards of",
            "upward of",
            "a minimum of",
            "a little over",
            "slightly more than",
            "beyond",
        ),
        "less_than": (
            "no more than",
            "not more than",
            "up to",
            "as many as",
            "as much as",
            "fewer than",
            "less than",
            "just under",
            "under",
            "at most",
            "a maximum of",
            "below",
        ),
        "approximately": (
            "an estimated",
            "estimated",
            "almost",
            "nearly",
            "about",
            "around",
            "some",
            "roughly",
            "approximately",
            "approx.",
            "approx",
            "close to",
            "circa",
            "an approximate",
            "an average of",
            "~",
            "±",
        ),
    },
    "fr": {
        "more_than": (
            "un peu plus de",
            "plus de",
            "au moins",
            "pas moins de",
            "au-delà de",
            "au delà de",
            "plus d'",
            "bien plus de",
        ),
        "less_than": ("jusqu'à", "jusqu’à", "jusqu'a", "moins de", "moins d'", "au plus", "pas plus de"),
        "approximately": (
            "près de",
            "pres de",
            "environ",
            "quelque",
            "quelques",
            "presque",
            "plus ou moins",
            "approximativement",
            "autour de",
            "aux alentours de",
            "quasiment",
            "an estimated",
            "~",
        ),
    },
    "es": {
        "more_than": (
            "poco más de",
            "más de",
            "mas de",
            "al menos",
            "por lo menos",
            "como mínimo",
            "no menos de",
            "arriba de",
            "sobre",
        ),
        "less_than": ("hasta", "menos de", "no más de", "como máximo", "como maximo"),
        "approximately": (
            "casi",
            "cerca de",
            "alrededor de",
            "al rededor de",
            "unos",
            "unas",
            "aproximadamente",
            "más o menos",
            "mas o menos",
            "en torno a",
            "aprox.",
            "~",
        ),
    },
}

_SUFFIX_QUALIFIERS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        (r"\+(?![\d+])", "more_than"),
        (r"\s+or\s+more\b", "more_than"),
        (r"\s+and\s+more\b", "more_than"),
        (r"\s+plus\b(?!\s*\d)", "more_than"),
        (r"\s+or\s+so\b", "approximately"),
        (r"[\s-]odd\b", "approximately"),
        (r"\s+or\s+fewer\b", "less_than"),
        (r"\s+or\s+less\b", "less_than"),
    ),
    "fr": (
        (r"\+(?![\d+])", "more_than"),
        (r"\s+ou\s+plus\b", "more_than"),
        (r"\s+et\s+plus\b", "more_than"),
        (r"\s+environ\b", "approximately"),
    ),
    "es": (
        (r"\+(?![\d+])", "more_than"),
        (r"\s+o\s+más\b", "more_than"),
        (r"\s+o\s+mas\b", "more_than"),
        (r"\s+y\s+más\b", "more_than"),
        (r"\s+aproximadamente\b", "approximately"),
    ),
}

# Range connectors between two numbers; the "and" family needs a "between" before the first one.
_RANGE_GAP: dict[str, str] = {
    "en": r"\s*[-–—]\s*|\s+(?:to|or|and|-)\s+",
    "fr": r"\s*[-–—]\s*|\s+(?:à|a|ou|et|au)\s+",
    "es": r"\s*[-–—]\s*|\s+(?:a|o|u|y|hasta|al)\s+",
}
_RANGE_NEEDS_BETWEEN = {"and", "et", "y"}
_RANGE_OPENERS: dict[str, str] = {
    "en": r"\b(?P<op>between|from|of)\s+\Z",
    "fr": r"(?:\b(?P<op>entre|de|d'|d’|des)\s*)\Z",
    "es": r"\b(?P<op>entre|de|desde)\s+\Z",
}

_MONTHS_EN = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTHS_FR_ES = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
    "decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
    "diciembre"
)
_MONTH_RE = rf"(?:\b(?:{_MONTHS_EN})\b\.?|(?i:\b(?:{_MONTHS_FR_ES})\b))"

_CURRENCY_BEFORE = re.compile(
    r"(?:[$€£¥₹₦₱₩]|\b(?:US|USD|EUR|GBP|CHF|INR|Rs|KSh|Ksh|R|CFA|FCFA|AUD|CAD|NZD|PHP|Tk|N)\.?\s?[$]?)\s?\Z"
)
_UNITS_AFTER = (
    r"km|kms|kilomet(?:er|re)s?|kilómetros?|kilomètres?|miles|m|metres?|meters?|mètres?|metros?|mm|cm|"
    r"millimet(?:er|re)s?|milímetros?|millimètres?|centimet(?:er|re)s?|centímetros?|centimètres?|kg|kgs|"
    r"kilos?|kilograms?|kilogrammes?|tonnes?|tons?|toneladas?|t|hectares?|hectáreas?|ha|acres?|feet|foot|"
    r"ft|inch(?:es)?|pulgadas?|pouces?|litres?|liters?|litros?|gallons?|°|º[CF]|degrees?|degrés?|"
    r"grados?|knots?|nœuds?|mph|km/h|kph|kmh|sq|square|magnitude|richter|seconds?|secs?|minutes?|mins?|"
    r"minutos?|hours?|hrs?|h|days?|weeks?|months?|years?|yrs?|decades?|centuries|jours?|semaines?|mois|"
    r"ans|années?|heures?|días?|dias?|semanas?|meses|mes|años?|horas?|siglos?|mw|MW|kw|GW|mb|hPa|mbar"
)
_MEASURE_AFTER = re.compile(rf"(?:\s?-?\s?)(?:{_UNITS_AFTER})(?![^\W\d_])", re.IGNORECASE)
_MONEY_AFTER = re.compile(
    r"\s?(?:[$€£¥₹]|(?:US\s)?dollars?\b|dólares\b|dolares\b|euros?\b|pounds?\b|sterling\b|rupees?\b|"
    r"shillings?\b|francs?\b|pesos?\b|yuan\b|yen\b|naira\b|birr\b|taka\b|rand\b|reais\b|"
    r"USD\b|EUR\b|GBP\b|CHF\b|FCFA\b|CFA\b|soles\b|bolívares\b|quetzales\b|lempiras\b|córdobas\b)",
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(
    r"\s?(?:%|‰|per\s?cent\b|percent\b|pour\s?cent\b|por\s?ciento\b|pct\b|percentage\s+points?\b)",
    re.IGNORECASE,
)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th|er|re|ère|ème|eme|e|è|ᵉ|ᵉʳ|º|ª|o|a|vo|va|to|ta)(?![^\W\d_])")
_DATE_AFTER = re.compile(rf"\s*(?:(?:st|nd|rd|th|er|º)\s*)?(?:of\s+|de\s+)?{_MONTH_RE}")
_DATE_BEFORE = re.compile(rf"{_MONTH_RE}\.?\s*\Z")
_YEAR_BEFORE = re.compile(
    rf"(?:\b(?:in|In|since|Since|by|until|till|during|before|after|early|late|mid|year|fiscal|FY|"
    rf"en|En|depuis|Depuis|desde|Desde|año|année|hasta|del|dès|through|circa|of\s+the\s+year)\s*-?|"
    rf"{_MONTH_RE}\s*(?:\d{{1,2}}(?:st|nd|rd|th|er)?\s*,?\s*)?(?:de\s+|of\s+)?|"
    rf"\b(?:\d{{1,2}}\s+)?(?:de\s+)?(?:{_MONTHS_FR_ES})\s+(?:de\s+|del\s+)?|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS_EN})\s*,?\s*|[(/'’-])\Z"
)
_YEAR_AFTER = re.compile(r"(?:s\b|'s\b|’s\b|\s*[-–/]\s*(?:\d{2}\b|(?:19|20)\d\d\b)|\s*\))")
_HYPHEN_WORD_AFTER = re.compile(r"-([^\W\d_]+)")
_COUNT_HYPHEN_WORDS = {"strong", "odd", "plus", "member", "person", "people", "family", "household"}
_GLUED_BEFORE = re.compile(r"(?:[^\W\d_]|[^\W\d_]-|#|\b(?:No|no|Nº|n°|N°|nº)\.?\s?)\Z")
_LETTER_AFTER = re.compile(r"[^\W\d_]")

_BLOCK_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![\d.,])\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)"), "date"),
    (re.compile(r"(?<![\d.,])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d])"), "date"),
    (re.compile(r"(?<![\d.,])\d{1,2}/\d{4}(?!\d)"), "date"),
    (re.compile(r"(?<![\d.,])\d{1,2}(?::\d{2}){1,2}(?:\s?[ap]\.?m\.?)?(?!\d)", re.IGNORECASE), "date"),
    (re.compile(r"(?<![\d.,])\d{1,2}\s?h\s?\d{2}(?!\d)"), "date"),
    (re.compile(r"(?<![\d.,])\d{1,2}\s?[ap]\.?m\.?(?![^\W\d_])", re.IGNORECASE), "date"),
    (re.compile(r"\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}"), "other"),
    (re.compile(r"(?<![\d.,])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)"), "other"),
)

# Digits: thousands groups ("2,500", "2.500", "10 288", "61, 000"), then optional decimals
# ("1.2", "1,2") and an optional glued scale abbreviation ("2.5m", "10k", "3bn").
_NUM = (
    r"(?<![\d])(?:\d{1,2}(?:,\d{2})+,\d{3}(?!\d)|\d{1,3}(?:(?:,|\.|, (?=000)|[ \u00a0\u2009\u202f])\d{3}(?!\d))+|\d+)"
    r"(?:[.,]\d+(?![\d]))?"
    r"(?:(?:mn|bn|k|K|m|M|b)(?![^\W_]))?"
)


def _trie_regex(words: list[str]) -> str:
    """An alternation of ``words`` as a prefix trie, so failing positions are rejected at once."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        alternatives = []
        optional = False
        for char, child in sorted(node.items()):
            if char == "":
                optional = True
                continue
            alternatives.append(re.escape(char) + render(child))
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if optional:
            return "(?:" + body + ")?"
        return body

    return render(trie)


@dataclass(frozen=True, slots=True)
class _Lang:
    code: str
    words: dict[str, tuple[str, float]]
    master: re.Pattern[str]
    token: re.Pattern[str]
    vague: re.Pattern[str]
    prefix: re.Pattern[str]
    prefix_kind: dict[str, str]
    suffix: tuple[tuple[re.Pattern[str], str], ...]
    range_gap: re.Pattern[str]
    range_opener: re.Pattern[str]


_ARTICLE_LOOKAHEAD = r"(?=[\s-]+(?:half|hundred|thousand|million|billion|dozen|lakh|crore)\b)"


@cache
def _lang(code: str) -> _Lang:
    words = {"fr": _FR_WORDS, "es": _ES_WORDS}.get(code, _EN_WORDS)
    atom_words = [w for w, (kind, _) in words.items() if kind not in (_ARTICLE, _AND, _OF)]
    atom_words = [w for w in atom_words if " " not in w]
    word_re = r"\b" + _trie_regex(atom_words) + r"(?![^\W_])"
    article_re = r"\b(?:a|an)" + _ARTICLE_LOOKAHEAD if code == "en" else r"(?!x)x"
    connectors = [w for w, (kind, _) in words.items() if kind in (_AND, _OF)]
    conn_re = "(?:" + "|".join(re.escape(c) for c in connectors if c != "d'") + ")"
    atom = rf"(?:{_NUM}|{word_re}|{article_re})"
    sep = rf"(?:{_HWS}*-{_HWS}*|\s+)(?:(?:{conn_re}|a)(?:{_HWS}*-{_HWS}*|\s+)|d['’]{_HWS}*)?"
    master = re.compile(rf"{atom}(?:{sep}{atom}){{0,12}}", re.IGNORECASE)
    token = re.compile(rf"{_NUM}|{word_re}|\b(?:{conn_re}|a|an)\b|d['’]", re.IGNORECASE)
    phrases = _PREFIX_QUALIFIERS.get(code, _PREFIX_QUALIFIERS["en"])
    prefix_kind = {p: q for q, ps in phrases.items() for p in ps}
    ordered = sorted(prefix_kind, key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in ordered)
    prefix = re.compile(rf"(?:(?<![^\W_])|(?<=[~±]))(?P<q>{alternation})\s*\Z", re.IGNORECASE)
    suffix = tuple(
        (re.compile(p, re.IGNORECASE), q) for p, q in _SUFFIX_QUALIFIERS.get(code, _SUFFIX_QUALIFIERS["en"])
    )
    return _Lang(
        code=code,
        words=words,
        master=master,
        token=token,
        vague=re.compile(_VAGUE_PATTERNS.get(code, _VAGUE_PATTERNS["en"]), re.IGNORECASE),
        prefix=prefix,
        prefix_kind={p.lower(): q for p, q in prefix_kind.items()},
        suffix=suffix,
        range_gap=re.compile(_RANGE_GAP.get(code, _RANGE_GAP["en"]), re.IGNORECASE),
        range_opener=re.compile(_RANGE_OPENERS.get(code, _RANGE_OPENERS["en"]), re.IGNORECASE),
    )


# ---------------------------------------------------------------------------------------------
# Core number parsing
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tok:
    kind: str
    value: float
    start: int
    end: int
    word: str
    decimal: bool = False
    grouped: bool = False
    suffix_scale: float = 1.0


@dataclass(slots=True)
class _Core:
    start: int
    end: int
    value: float
    approx: bool
    words: bool
    scale: float  # the largest scale word used (1 when none): "2 to 3 million" borrows it
    decimal: bool
    grouped: bool
    plain_digits: str | None  # the digits when the number is bare digits without separators
    half: bool = False
    kind: str = "count"


_NUM_TOKEN = re.compile(_NUM)


def _numeric_token(word: str, start: int, end: int) -> _Tok:
    suffix_scale = 1.0
    body = word
    lower = word.lower()
    for suffix in ("mn", "bn", "k", "m", "b"):
        if lower.endswith(suffix):
            suffix_scale = _SUFFIX_SCALES[suffix]
            body = word[: -len(suffix)]
            break
    value, decimal, grouped = _digits_value(body)
    return _Tok("num", value, start, end, word, decimal=decimal, grouped=grouped, suffix_scale=suffix_scale)


def _digits_value(body: str) -> tuple[float, bool, bool]:
    """Value of a digit string; a separator followed by exactly three digits groups thousands."""
    cleaned = re.sub(r"[\s\u00a0\u2009\u202f]", "", body)
    match = re.fullmatch(r"(\d+(?:[.,]\d{3})*)(?:[.,](\d+))?", cleaned)
    if not match:
        digits = re.sub(r"\D", "", cleaned)
        return (float(digits) if digits else 0.0), False, False
    integer = re.sub(r"\D", "", match.group(1))
    grouped = len(integer) != len(match.group(1)) or len(cleaned) != len(body)
    if match.group(2):
        return float(f"{integer}.{match.group(2)}"), True, grouped
    return float(integer), False, grouped


def _tokenise(lang: _Lang, region: str, offset: int) -> list[_Tok]:
    tokens: list[_Tok] = []
    for m in lang.token.finditer(region):
        word = m.group(0)
        start, end = offset + m.start(), offset + m.end()
        if word[0].isdigit():
            tokens.append(_numeric_token(word, start, end))
            continue
        lower = word.lower().replace("’", "'")
        if lower in ("a", "an"):
            kind, value = (_ARTICLE, 1.0) if lang.code == "en" else (_OF, 0.0)
        elif lower in lang.words:
            kind, value = lang.words[lower]
        else:
            break
        tokens.append(_Tok(kind, value, start, end, lower))
    return tokens


def _parse_tokens(lang: _Lang, tokens: list[_Tok]) -> tuple[int, _Core] | None:
    """Longest well-formed number at the head of ``tokens``: (tokens used, core)."""
    total = 0.0
    group = 0.0
    last = ""
    last_scale = math.inf
    first_scale = 1.0
    approx = False
    half = False
    words = True
    best: tuple[int, _Core] | None = None
    i = 0
    code = lang.code
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.kind
        nxt = tokens[i + 1] if i + 1 < n else None
        if kind == "num":
            if last == "":
                words = False
                if tok.suffix_scale > 1:
                    total = tok.value * tok.suffix_scale
                    last_scale = first_scale = tok.suffix_scale
                    last = _SCALE
                else:
                    group = tok.value
                    last = "num"
            elif (
                last == _SCALE
                and code == "es"
                and last_scale == 1e3
                and group == 0
                and not tok.decimal
                and not tok.grouped
                and tok.value < 1000
                and tok.suffix_scale == 1
            ):
                group = tok.value
                last = "num"
            else:
                break
        elif kind in (_UNIT, _TEEN, _TENS):
            value = tok.value
            if last in ("", _SCALE) and group == 0:
                if last == _SCALE and value >= last_scale:
                    break
                group = value
            elif (
                (last in (_HUNDRED, _HVAL) and group % 100 == 0)
                or (kind == _UNIT and last in (_TENS, _TEEN) and group % 10 == 0 and group % 100 != 0)
                or (kind == _TEEN and last == _TENS and code == "fr" and group % 100 in (60, 80))
            ):
                group += value
            elif kind == _TENS and value == 20 and last == _UNIT and code == "fr" and group % 100 == 4:
                group += 76
            else:
                break
            last = kind
        elif kind == _HUNDRED:
            if last == "":
                if tok.word not in _STANDALONE_SCALES:
                    break
                group = 100
            elif last == _ARTICLE:
                group = 100
            elif last in (_UNIT, _TEEN, _TENS, "num") and 0 < group < 100 and group == int(group):
                group *= 100
            elif last == _SCALE and group == 0 and tok.word in _STANDALONE_SCALES:
                group = 100
            else:
                break
            last = _HUNDRED
        elif kind == _HVAL:
            if last == "" or (last == _SCALE and group == 0):
                group = tok.value
            else:
                break
            last = _HVAL
        elif kind == _SCALE:
            scale = tok.value
            if scale >= last_scale:
                break
            if last == "":
                if tok.word not in _STANDALONE_SCALES:
                    break
                group = 1
            elif last == _ARTICLE:
                group = 0.5 if half else 1
            elif last == _HALF:
                group = 0.5 * (group / 0.5 if group else 1)
            elif group == 0:
                break
            if first_scale == 1:
                first_scale = scale
            total += group * scale
            group = 0
            last_scale = scale
            last = _SCALE
        elif kind == _APPROX:
            if last in (_ARTICLE,) or (last in (_UNIT, "num") and 0 < group < 1000):
                factor = group if last != _ARTICLE and group else 1
                total += factor * tok.value
                group = 0
                approx = True
                last = _APPROX
                last_scale = tok.value
                # "une centaine de milliers", "un millar de millones"
                if (
                    nxt is not None
                    and nxt.kind == _OF
                    and i + 2 < n
                    and tokens[i + 2].kind == _SCALE
                    and tokens[i + 2].value >= 1000
                    and tokens[i + 2].word.endswith(("s", "es"))
                ):
                    total *= tokens[i + 2].value
                    first_scale = tokens[i + 2].value
                    last_scale = tokens[i + 2].value
                    i += 2
                    tok = tokens[i]
            else:
                break
        elif kind == _ARTICLE:
            if last not in ("", _HALF):
                break
            if nxt is None or nxt.kind not in (_HUNDRED, _SCALE, _APPROX, _HALF):
                break
            last = _ARTICLE if last == "" else _HALF
            if last == _HALF:
                last = _ARTICLE
        elif kind == _HALF:
            if last == "" or (last == _ARTICLE) or (last == _UNIT and group == 1):
                half = True
                group = 0
                last = _HALF
            else:
                break
            if nxt is None or nxt.kind not in (_SCALE, _ARTICLE):
                break
        elif kind == _AND:
            if nxt is None:
                break
            if code == "en" and last in (_HUNDRED, _SCALE) and nxt.kind in (_UNIT, _TEEN, _TENS):
                ok = (last == _SCALE and group == 0) or last == _HUNDRED
            elif (
                code == "fr" and last == _TENS and nxt.word in ("un", "une", "onze") and group % 10 == 0
            ) or (code == "es" and last == _TENS and nxt.kind == _UNIT and group % 10 == 0 and group >= 30):
                ok = True
            else:
                ok = False
            if not ok:
                break
            group += nxt.value
            last = nxt.kind
            i += 1
            tok = nxt
        else:
            break
        i += 1
        if last not in (_ARTICLE, _HALF, _AND, _OF):
            value = total + group
            if value > 0:
                core = _Core(
                    start=tokens[0].start,
                    end=tok.end,
                    value=value,
                    approx=approx,
                    words=words,
                    scale=first_scale,
                    decimal=any(t.decimal for t in tokens[:i]),
                    grouped=any(t.grouped for t in tokens[:i]),
                    plain_digits=None,
                    half=half,
                )
                if i == 1 and kind == "num" and not tok.decimal and not tok.grouped and tok.suffix_scale == 1:
                    core.plain_digits = tok.word
                best = (i, core)
    return best


def _scan_cores(lang: _Lang, text: str) -> list[_Core]:
    cores: list[_Core] = []
    pos = 0
    master = lang.master
    length = len(text)
    while pos < length:
        m = master.search(text, pos)
        if m is None:
            break
        tokens = _tokenise(lang, m.group(0), m.start())
        parsed = _parse_tokens(lang, tokens) if tokens else None
        if parsed is None:
            # Skip the first token (or the first char) and try again just after it.
            pos = tokens[0].end if tokens else m.start() + 1
            continue
        _used, core = parsed
        cores.append(core)
        pos = core.end
    return cores


# ---------------------------------------------------------------------------------------------
# Context: kinds, qualifiers, ranges
# ---------------------------------------------------------------------------------------------


_BLOCK_WINDOW = 16


def _blocked_kind(text: str, core: _Core) -> str | None:
    """ "date"/"other" when the core sits inside a date, a clock time or a phone number."""
    window_start = max(0, core.start - _BLOCK_WINDOW)
    window = text[window_start : core.end + _BLOCK_WINDOW]
    start, end = core.start - window_start, core.end - window_start
    for pattern, kind in _BLOCK_PATTERNS:
        for m in pattern.finditer(window):
            if m.start() < end and start < m.end():
                return kind
    return None


_BLOCK_HINT = re.compile(r"[-/.:+h]\s?\d|\d\s?(?:[-/.:]|h\s?\d|[ap]\.?m)", re.IGNORECASE)


def _year_like(core: _Core) -> bool:
    digits = core.plain_digits
    return digits is not None and len(digits) == 4 and 1900 <= int(digits) <= 2100


def _classify(lang: _Lang, text: str, core: _Core) -> str:
    before = text[max(0, core.start - 40) : core.start]
    after = text[core.end : core.end + 40]
    if _PERCENT_AFTER.match(after):
        return "percent"
    if _CURRENCY_BEFORE.search(before) or _MONEY_AFTER.match(after):
        return "money"
    if core.words:
        if _MEASURE_AFTER.match(after) and not after[:1].isalpha():
            return "measure"
        return "count"
    if _GLUED_BEFORE.search(before):
        return "other"
    if core.plain_digits is not None:
        value = int(core.value)
        if value <= 31 and (_DATE_AFTER.match(after) or _DATE_BEFORE.search(before)):
            return "date"
        if _year_like(core) and (
            _YEAR_BEFORE.search(before) or _YEAR_AFTER.match(after) or _YEAR_AFTER_WORDS.match(after)
        ):
            return "year"
        if len(core.plain_digits) >= 9 or (len(core.plain_digits) > 1 and core.plain_digits[0] == "0"):
            return "other"
        if _ORDINAL_AFTER.match(after):
            return "ordinal"
    hyphen = _HYPHEN_WORD_AFTER.match(after)
    if hyphen:
        word = hyphen.group(1).lower()
        if word in _COUNT_HYPHEN_WORDS:
            return "count"
        if _MEASURE_AFTER.match(after):
            return "measure"
        return "other"
    if _MEASURE_AFTER.match(after):
        measure_m = _MEASURE_AFTER.match(after)
        assert measure_m is not None
        unit = measure_m.group(0).strip(" -").lower()
        if unit == "m" and core.scale > 1:
            pass  # "2.5m people": the m is the million already consumed
        else:
            return "measure"
    if _LETTER_AFTER.match(after):
        return "other"
    if core.decimal and core.scale == 1:
        return "other"
    if re.search(r"(?:magnitude|magnitud|Richter)\s*(?:of\s+|de\s+)?\Z", before, re.IGNORECASE):
        return "measure"
    return "count"


_YEAR_AFTER_WORDS = re.compile(
    r",\s*(?:the|a|an|when|after|before|some|more|at|over|nearly|about|\d)|\s+(?:census|elections?|"
    r"floods?|earthquake|season|crisis|war|census|budget|report|survey|inundaciones|elecciones|"
    r"séisme|inondations?|terremoto)\b",
    re.IGNORECASE,
)


def _to_int(value: float) -> int:
    if not math.isfinite(value) or value > 1e18:
        return 0
    return round(value)


def _qualify(lang: _Lang, text: str, start: int, end: int, approx: bool) -> tuple[int, int, str]:
    """Expand [start, end) over a qualifier phrase before or after it; return the qualifier too."""
    qualifier = "approximately" if approx else "exact"
    before = text[max(0, start - 40) : start]
    m = lang.prefix.search(before)
    if m:
        phrase = re.sub(r"\s+", " ", m.group("q").lower().replace("’", "'"))
        found = lang.prefix_kind.get(phrase)
        if found is None:
            found = next((q for p, q in lang.prefix_kind.items() if p.replace("’", "'") == phrase), None)
        if found is not None:
            qualifier = found
            start = max(0, start - 40) + m.start("q")
    after = text[end : end + 30]
    for pattern, q in lang.suffix:
        sm = pattern.match(after)
        if sm:
            if qualifier in ("exact", "approximately") or q == qualifier:
                qualifier = q
                end += sm.end()
            break
    return start, end, qualifier


def _make(
    text: str,
    start: int,
    end: int,
    number_start: int,
    number_end: int,
    qualifier: str,
    value: int | None,
    low: int | None,
    high: int | None,
    *,
    vague: str | None = None,
    kind: str = "count",
    words: bool = False,
    year_like: bool = False,
) -> Quantity:
    figure: int | None
    if qualifier in ("exact", "approximately"):
        figure, low, high = value, value, value
    elif qualifier == "more_than":
        figure, low, high = value, value, None
    elif qualifier == "less_than":
        figure, low, high = value, None, value
    elif qualifier == "range":
        figure = high
    else:
        figure = None
    return Quantity(
        start=start,
        end=end,
        number_start=number_start,
        number_end=number_end,
        text=text[start:end],
        figure=figure,
        figure_min=low,
        figure_max=high,
        qualifier=qualifier,
        vague_expression=vague,
        kind=kind,
        written_in_words=words,
        is_year_like=year_like,
    )


_OF_MONEY = re.compile(r"\s+(?:of|de|d'|en)\s*" + _MONEY_AFTER.pattern, re.IGNORECASE)


def _vague_quantities(lang: _Lang, text: str) -> list[Quantity]:
    found: list[Quantity] = []
    for m in lang.vague.finditer(text):
        head = (m.group("head") or (m.groupdict().get("head2") or "")).lower()
        tail = (m.group("tail") or (m.groupdict().get("tail2") or "") or "").lower()
        canonical = _VAGUE_HEADS.get(head)
        if canonical is None:
            continue
        low, high = _VAGUE_BANDS[canonical]
        expression = canonical
        if tail:
            unit = _VAGUE_TAIL_UNIT[tail]
            low, high = low * unit, (high + 1) * unit - 1
            expression = f"{canonical} of {_VAGUE_HEADS[tail]}"
        after = text[m.end() : m.end() + 30]
        of_money = _OF_MONEY.match(after)
        found.append(
            _make(
                text,
                m.start(),
                m.end(),
                m.start(),
                m.end(),
                "vague",
                None,
                low,
                high,
                vague=expression,
                kind="money" if of_money or _MONEY_AFTER.match(after) else "count",
            )
        )
    return found


def find_quantities(text: str, language: str = "en") -> list[Quantity]:
    """Every quantity expression in ``text``, in order; never raises on any string."""
    if not isinstance(text, str) or not text:
        return []
    code = (language or "en")[:2].lower()
    lang = _lang(code if code in ("en", "fr", "es") else "en")
    try:
        return _find(lang, text)
    except (ValueError, OverflowError, IndexError, KeyError, re.error):  # pragma: no cover - defensive
        return []


def _find(lang: _Lang, text: str) -> list[Quantity]:
    vague = _vague_quantities(lang, text)
    cores = _scan_cores(lang, text)
    # A vague expression wins over a number word inside it ("several hundred"), but not over a
    # number that starts before it ("3 millions" is three million, not "millions").
    kept_vague: list[Quantity] = []
    if vague:
        starts = [c.start for c in cores]
        dropped: set[int] = set()
        for v in vague:
            first = max(0, bisect.bisect_left(starts, v.start) - 1)
            overlapping = []
            for index in range(first, len(cores)):
                c = cores[index]
                if c.start >= v.end:
                    break
                if c.start < v.end and v.start < c.end:
                    overlapping.append(index)
            if any(cores[index].start < v.number_start for index in overlapping):
                continue
            dropped.update(overlapping)
            kept_vague.append(v)
        cores = [c for index, c in enumerate(cores) if index not in dropped]

    for core in cores:
        block = None
        if not core.words:
            around = text[max(0, core.start - 3) : core.end + 3]
            if _BLOCK_HINT.search(around):
                block = _blocked_kind(text, core)
        core.kind = block or _classify(lang, text, core)

    results: list[Quantity] = list(kept_vague)
    i = 0
    while i < len(cores):
        core = cores[i]
        nxt = cores[i + 1] if i + 1 < len(cores) else None
        if nxt is not None and (merged := _range(lang, text, core, nxt)) is not None:
            results.append(merged)
            i += 2
            continue
        start, end, qualifier = _qualify(lang, text, core.start, core.end, core.approx or core.half)
        value = _to_int(core.value)
        results.append(
            _make(
                text,
                start,
                end,
                core.start,
                core.end,
                qualifier,
                value,
                value,
                value,
                kind=core.kind,
                words=core.words,
                year_like=_year_like(core),
            )
        )
        i += 1
    results.sort(key=lambda q: (q.start, q.end))
    return results


def _range(lang: _Lang, text: str, first: _Core, second: _Core) -> Quantity | None:
    gap = text[first.end : second.start]
    m = lang.range_gap.fullmatch(gap)
    if m is None or (first.kind not in ("count",) and first.kind != second.kind):
        return None
    connector = gap.strip().lower()
    opener = lang.range_opener.search(text[max(0, first.start - 12) : first.start])
    if connector in _RANGE_NEEDS_BETWEEN and not (
        opener and opener.group("op").lower() in ("between", "entre")
    ):
        return None
    if second.kind != "count" or first.kind not in ("count", second.kind):
        if second.kind in ("percent", "money", "measure") and first.kind == "count":
            first.kind = second.kind
        return None
    low_value = first.value
    if first.scale == 1 and second.scale > 1 and low_value < 1000 and low_value * second.scale < second.value:
        low_value *= second.scale
    if not low_value < second.value:
        return None
    if connector in ("-", "–", "—") and first.words != second.words:
        return None
    start = first.start
    if opener:
        start = max(0, first.start - 12) + opener.start("op")
    low, high = _to_int(low_value), _to_int(second.value)
    return _make(
        text,
        start,
        second.end,
        first.start,
        second.end,
        "range",
        high,
        low,
        high,
        kind="count",
        words=first.words and second.words,
    )


def parse_number(text: str, language: str = "en") -> int | None:
    """The value of a text that is one number ("2,500", "six cent trente-sept mille"), else None."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if not stripped:
        return None
    found = find_quantities(stripped, language)
    if len(found) != 1:
        return None
    quantity = found[0]
    if quantity.start != 0 or quantity.end != len(stripped):
        return None
    return quantity.figure
