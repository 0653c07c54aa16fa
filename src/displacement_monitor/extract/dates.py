"""Date expressions in a sentence, resolved against the article's publication date.

"on Saturday", "yesterday", "last week", "3 March", "mid-March", "in March 2017" become a
``DateSpan`` with a precision. Relative words are resolved here (they need the publication date
and the past tense of news); explicit calendar dates go through dateparser.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import warnings

from displacement_monitor.model import DateSpan

_WEEKDAYS = {
    **{
        name: i
        for i, name in enumerate(
            ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        )
    },
    **{
        name: i
        for i, name in enumerate(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"])
    },
    **{
        name: i
        for i, name in enumerate(["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"])
    },
}
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|"
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
)
_RELATIVE_DAY = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "yesterday": -1,
    "last night": -1,
    "aujourd'hui": 0,
    "hier": -1,
    "hoy": 0,
    "ayer": -1,
    "este viernes": None,
}
_EXPRESSION = re.compile(
    r"\b(?:"
    r"(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<dmy>\d{1,2}(?:er|º)?\s+(?:de\s+)?(?:" + _MONTHS + r")\.?(?:\s+(?:de\s+)?\d{4})?)"
    r"|(?P<mdy>(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)"
    r"|(?P<part>(?:mid|early|late|end of|beginning of|début|mi|fin|finales de|principios de|mediados de)"
    r"[- ](?:" + _MONTHS + r")(?:\s+\d{4})?)"
    r"|(?P<month>(?:in|en|since|depuis|desde)\s+(?:" + _MONTHS + r")(?:\s+(?:de\s+)?\d{4})?)"
    r"|(?P<week>last week|this week|past week|la semaine dernière|cette semaine|la semana pasada|esta semana)"
    r"|(?P<rel>today|tonight|this morning|this afternoon|yesterday|last night|aujourd'hui|hier|hoy|ayer)"
    r"|(?P<weekday>(?:this\s+|last\s+|ce\s+|este\s+|el\s+)?(?:" + "|".join(_WEEKDAYS) + r"))"
    r")\b",
    re.IGNORECASE,
)


def _last_weekday(published: dt.date, weekday: int) -> dt.date:
    """News speaks of the past: "on Saturday" is the latest Saturday on or before publication."""
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


def _parse_calendar(text: str, published: dt.date | None) -> dt.date | None:
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["month"]}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(text, languages=["en", "fr", "es"], settings=settings)
    return parsed.date() if parsed else None


def warm_up() -> None:
    """Load dateparser's language data now (about 0.1 s per language) rather than mid-batch."""
    for sample in ("3 March 2017", "3 mars 2017", "3 de marzo de 2017"):
        _parse_calendar(sample, None)


def find_date(sentence: str, published: dt.date | None) -> DateSpan | None:
    """The first date expression of ``sentence``, resolved; None when there is none."""
    for match in _EXPRESSION.finditer(sentence):
        try:
            span = _resolve(match, published)
        except (OverflowError, ValueError):  # a publication date at the edge of the calendar
            span = DateSpan(None, None, None, match.group())
        if span is not None:
            return span
    return None


def _resolve(match: re.Match[str], published: dt.date | None) -> DateSpan | None:
    text = match.group()
    kind = match.lastgroup
    lowered = text.lower()
    if kind == "rel":
        if published is None:
            return DateSpan(None, None, "day", text)
        offset = _RELATIVE_DAY.get(lowered, 0) or 0
        day = published + dt.timedelta(days=offset)
        return DateSpan(day, day, "day", text)
    if kind == "weekday":
        name = lowered.split()[-1]
        if published is None:
            return DateSpan(None, None, "day", text)
        day = _last_weekday(published, _WEEKDAYS[name])
        if lowered.startswith("last ") and day == published:
            day -= dt.timedelta(days=7)
        return DateSpan(day, day, "day", text)
    if kind == "week":
        if published is None:
            return DateSpan(None, None, "week", text)
        this_week = lowered.startswith(("this", "cette", "esta"))
        start = published - dt.timedelta(days=published.weekday() + (0 if this_week else 7))
        return DateSpan(start, start + dt.timedelta(days=6), "week", text)
    if kind in {"iso", "dmy", "mdy"}:
        exact = _parse_calendar(text, published)
        return DateSpan(exact, exact, "day", text) if exact else None
    # a month, or part of one
    month_text = re.sub(
        r"^(?:in|en|since|depuis|desde|mid|early|late|end of|beginning of|début|mi|fin|"
        r"finales de|principios de|mediados de)[- ]",
        "",
        lowered,
    ).strip()
    first = _parse_calendar("1 " + month_text if not month_text[:1].isdigit() else month_text, published)
    if first is None:
        return None
    day = first
    last = calendar.monthrange(day.year, day.month)[1]
    start, end = day.replace(day=1), day.replace(day=last)
    if kind == "part":
        if lowered.startswith(("mid", "mi", "mediados")):
            start, end = day.replace(day=11), day.replace(day=20)
        elif lowered.startswith(("early", "beginning", "début", "principios")):
            end = day.replace(day=10)
        else:
            start = day.replace(day=21)
    return DateSpan(start, end, "month", text)
