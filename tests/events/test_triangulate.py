from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from displacement_monitor.errors import ConfigError
from displacement_monitor.events.triangulate import (
    DEFAULT_HOUSEHOLD_SIZE,
    FactRecord,
    household_size,
    triangulate,
)

from .conftest import fact

D = dt.date


def _records(*items: tuple[object, dt.date]) -> list[FactRecord]:
    return [FactRecord(f"f{i}", f, day, "SYR") for i, (f, day) in enumerate(items)]  # type: ignore[arg-type]


def test_triangulate_recommends_latest_reported_and_never_expected() -> None:
    records = _records(
        (fact(400, qualifier="approximately"), D(2017, 5, 20)),
        (fact(3000), D(2017, 5, 18)),
        (fact(20000, modality="expected", qualifier="approximately"), D(2017, 5, 21)),
    )
    [figure] = triangulate(records, "SYR")
    assert figure.recommended == 400
    assert (figure.minimum, figure.maximum) == (400, 3000)
    assert figure.fact_ids[0] == "f0" and set(figure.fact_ids) == {"f0", "f1", "f2"}
    assert "latest reported" in figure.rule


def test_triangulate_same_day_prefers_larger_then_precise_figure() -> None:
    day = D(2016, 5, 5)
    records = _records(
        (fact(70000, qualifier="approximately"), day),
        (fact(88000, qualifier="approximately"), day),
        (fact(35000), day),
        (fact(None, qualifier="vague", figure_min=200, figure_max=999), day),
        (fact(88000), day),
    )
    [figure] = triangulate(records, "CAN")
    assert figure.recommended == 88000 and figure.fact_ids[0] == "f4"
    assert (figure.minimum, figure.maximum) == (35000, 88000)


def test_triangulate_vague_only_gives_lower_bound_and_expected_only_gives_none() -> None:
    vague = _records((fact(None, qualifier="vague", figure_min=200, figure_max=999), D(2017, 5, 20)))
    [figure] = triangulate(vague, "SYR")
    assert (figure.recommended, figure.minimum, figure.maximum) == (200, 200, 999)
    expected = _records((fact(2500, modality="expected"), D(2017, 5, 20)))
    [figure] = triangulate(expected, "SYR")
    assert figure.recommended is None and (figure.minimum, figure.maximum) == (2500, 2500)


def test_triangulate_keeps_households_and_housing_apart_with_people_estimate() -> None:
    records = _records(
        (fact(3861, qualifier="more_than", figure_max=None), D(2024, 6, 21)),
        (fact(1450, unit="household", term="sheltered"), D(2024, 6, 21)),
        (fact(36, unit="household", term="destroyed_housing"), D(2024, 6, 21)),
        (fact(177, unit="household", term="partially_destroyed_housing"), D(2024, 6, 21)),
    )
    figures = {(f.term_group, f.unit): f for f in triangulate(records, "SYR")}
    assert list(figures) == [
        ("displacement", "person"),
        ("displacement", "household"),
        ("housing_destroyed", "household"),
        ("housing_damaged", "household"),
    ]
    assert figures[("displacement", "person")].recommended == 3861
    assert figures[("displacement", "person")].people_estimate is None
    assert figures[("displacement", "household")].people_estimate == round(1450 * household_size("SYR"))


def test_household_size_known_country_default_and_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 2.0 < household_size("CAN") < 3.5
    assert household_size("ZZZ") == DEFAULT_HOUSEHOLD_SIZE
    assert household_size(None) == DEFAULT_HOUSEHOLD_SIZE
    custom = tmp_path / "sizes.csv"
    custom.write_text("country_iso3,household_size\nCAN,7.5\n", encoding="utf-8")
    monkeypatch.setenv("DM_HOUSEHOLD_SIZE_FILE", str(custom))
    assert household_size("CAN") == 7.5
    bad = tmp_path / "bad.csv"
    bad.write_text("country_iso3,household_size\nCAN,many\n", encoding="utf-8")
    monkeypatch.setenv("DM_HOUSEHOLD_SIZE_FILE", str(bad))
    with pytest.raises(ConfigError):
        household_size("CAN")
    monkeypatch.setenv("DM_HOUSEHOLD_SIZE_FILE", str(tmp_path / "missing.csv"))
    with pytest.raises(ConfigError):
        household_size("CAN")
