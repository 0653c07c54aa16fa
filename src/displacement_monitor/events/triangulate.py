"""One defensible figure per event and (term group, unit), with the range and the facts behind it.

Rules (also in ``docs/events.md``), applied to the facts of one event, per term group and unit:

1. **Candidates** are the ``reported`` facts with a figure. ``expected`` facts (planned, forecast)
   are never recommended; they only widen the range when nothing was reported. Vague figures
   ("hundreds of") are candidates only when no reported fact has a figure; the recommended value
   is then the conservative lower bound (``figure_min``).
2. **Recommended** = the latest reported figure: the candidate with the latest date (fact date end,
   else the article's publication date). Among facts of the same day the larger figure wins, since
   same-day reports of one happening are cumulative and the smaller ones are usually sub-counts;
   then the most precise one (exact > approximately > more than / range > less than).
3. **Range** (minimum, maximum) spans every candidate's bounds: ``figure_min`` or ``figure`` and
   ``figure_max`` or ``figure``.
4. **Supporting facts**: the ids of every fact in the group, recommended first.
5. **Households**: a household figure is converted to people with the country's household size
   (``household_sizes.csv``; ``DM_HOUSEHOLD_SIZE_FILE`` overrides it) and shown as
   ``people_estimate`` beside it. Person and household figures are separate rows and never summed.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from displacement_monitor.errors import ConfigError
from displacement_monitor.model import Fact, TriangulatedFigure, Unit

#: Term → term group. Displacement terms count people who left or lost their homes; housing terms
#: count dwellings, and destroyed and damaged dwellings are kept apart because they are never added.
TERM_GROUPS: dict[str, str] = {
    "displaced": "displacement",
    "evacuated": "displacement",
    "forced_to_flee": "displacement",
    "relocated": "displacement",
    "sheltered": "displacement",
    "in_relief_camp": "displacement",
    "homeless": "displacement",
    "destroyed_housing": "housing_destroyed",
    "uninhabitable_housing": "housing_destroyed",
    "partially_destroyed_housing": "housing_damaged",
}
GROUP_ORDER = ("displacement", "housing_destroyed", "housing_damaged")

DEFAULT_HOUSEHOLD_SIZE = 4.5
HOUSEHOLD_SIZE_ENV = "DM_HOUSEHOLD_SIZE_FILE"

_QUALIFIER_RANK = {"exact": 0, "approximately": 1, "more_than": 2, "range": 2, "less_than": 3, "vague": 4}


@dataclass(slots=True, frozen=True)
class FactRecord:
    """A fact with what triangulation needs from its article: stable id and report date."""

    fact_id: str
    fact: Fact
    reported_on: dt.date | None
    country_iso3: str | None


def _read_household_sizes(path: Path | None) -> dict[str, float]:
    try:
        if path is None:
            text = (
                resources.files("displacement_monitor.events")
                .joinpath("data/household_sizes.csv")
                .read_text(encoding="utf-8")
            )
        else:
            text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read household sizes from {path}: {err}") from err
    sizes: dict[str, float] = {}
    for row in csv.DictReader(text.splitlines()):
        try:
            iso3 = (row.get("country_iso3") or "").strip().upper()
            size = float(row.get("household_size") or "")
        except ValueError as err:
            raise ConfigError(f"bad household size row {row!r} in {path or 'household_sizes.csv'}") from err
        if iso3 and size > 0:
            sizes[iso3] = size
    return sizes


@lru_cache(maxsize=8)
def _household_sizes_cached(path: str | None) -> Mapping[str, float]:
    return _read_household_sizes(Path(path) if path else None)


def household_sizes() -> Mapping[str, float]:
    """ISO3 → mean household size, from ``DM_HOUSEHOLD_SIZE_FILE`` or the bundled UN figures."""
    return _household_sizes_cached(os.environ.get(HOUSEHOLD_SIZE_ENV) or None)


def household_size(country_iso3: str | None) -> float:
    """The country's household size, or the default (4.5) when unknown."""
    if country_iso3 is None:
        return DEFAULT_HOUSEHOLD_SIZE
    return household_sizes().get(country_iso3.upper(), DEFAULT_HOUSEHOLD_SIZE)


def _has_figure(fact: Fact) -> bool:
    return fact.qualifier != "vague" and (
        fact.figure is not None or fact.figure_min is not None or fact.figure_max is not None
    )


def _value(fact: Fact) -> int | None:
    """The single number a fact stands for (vague → its lower bound, conservative)."""
    if fact.qualifier == "vague":
        return fact.figure_min if fact.figure_min is not None else fact.figure
    if fact.figure is not None:
        return fact.figure
    return fact.figure_max if fact.figure_max is not None else fact.figure_min


def _bounds(fact: Fact) -> tuple[int | None, int | None]:
    value = _value(fact)
    low = fact.figure_min if fact.figure_min is not None else value
    high = fact.figure_max if fact.figure_max is not None else value
    return low, high


def _fact_day(record: FactRecord) -> dt.date:
    span = record.fact.date
    if span is not None and span.end is not None:
        return span.end
    if span is not None and span.start is not None:
        return span.start
    return record.reported_on or dt.date.min


def _selection_key(record: FactRecord) -> tuple[int, int, int, str]:
    """Sorts the best candidate first: latest, largest, most precise, then id for determinism."""
    value = _value(record.fact) or 0
    return (
        -_fact_day(record).toordinal(),
        -value,
        _QUALIFIER_RANK.get(record.fact.qualifier, 5),
        record.fact_id,
    )


def triangulate_group(
    term_group: str, unit: Unit, records: Sequence[FactRecord], country_iso3: str | None
) -> TriangulatedFigure:
    """The figure of one (term group, unit) of one event; ``records`` all belong to that group."""
    reported = [r for r in records if r.fact.modality == "reported"]
    precise = [r for r in reported if _has_figure(r.fact)]
    if precise:
        candidates, basis = precise, "latest reported figure"
    elif reported:
        candidates, basis = reported, "lower bound of the latest vague reported figure"
    else:
        candidates, basis = [], "expected figures only: none recommended"
    ranged = candidates or list(records)
    lows = [low for low, _ in map(_bounds, (r.fact for r in ranged)) if low is not None]
    highs = [high for _, high in map(_bounds, (r.fact for r in ranged)) if high is not None]
    ordered = sorted(candidates, key=_selection_key)
    recommended = _value(ordered[0].fact) if ordered else None
    if ordered:
        best = ordered[0]
        day = _fact_day(best)
        when = day.isoformat() if day != dt.date.min else "undated"
        rule = f"{basis} ({when}, {best.fact.qualifier}) among {len(candidates)} reported of {len(records)}"
    else:
        rule = f"{basis} ({len(records)} facts)"
    chosen = {r.fact_id for r in ordered[:1]}
    supporting = [r.fact_id for r in ordered[:1]] + sorted(
        r.fact_id for r in records if r.fact_id not in chosen
    )
    people = None
    if unit == "household" and recommended is not None:
        people = round(recommended * household_size(country_iso3))
    return TriangulatedFigure(
        term_group=term_group,
        unit=unit,
        recommended=recommended,
        minimum=min(lows) if lows else None,
        maximum=max(highs) if highs else None,
        rule=rule,
        fact_ids=supporting,
        people_estimate=people,
    )


def triangulate(records: Sequence[FactRecord], country_iso3: str | None) -> list[TriangulatedFigure]:
    """Every (term group, unit) figure of one event, in a stable order (displacement first)."""
    groups: dict[tuple[str, str], list[FactRecord]] = {}
    for record in records:
        group = TERM_GROUPS.get(record.fact.term)
        if group is not None:
            groups.setdefault((group, record.fact.unit), []).append(record)
    order = {name: i for i, name in enumerate(GROUP_ORDER)}
    figures = []
    for group, unit in sorted(groups, key=lambda key: (order.get(key[0], 99), key[0], key[1] != "person")):
        unit_value: Unit = "household" if unit == "household" else "person"
        figures.append(triangulate_group(group, unit_value, groups[(group, unit)], country_iso3))
    return figures
