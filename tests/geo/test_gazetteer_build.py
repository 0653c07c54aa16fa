"""Building the SQLite gazetteer, with a user supplement."""

from __future__ import annotations

from pathlib import Path

import pytest

from displacement_monitor.errors import GeocodingError
from displacement_monitor.geo.gazetteer import Gazetteer, build_gazetteer
from displacement_monitor.geo.resolver import GazetteerResolver


def test_gazetteer_rejects_a_file_that_is_not_one(tmp_path: Path) -> None:
    bogus = tmp_path / "g.sqlite"
    bogus.write_bytes(b"not sqlite at all" * 10)
    with pytest.raises(GeocodingError):
        Gazetteer(bogus)


@pytest.mark.slow
def test_gazetteer_build_with_user_csv(tmp_path: Path) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text(
        "name,aliases,lat,lon,country_iso3,admin1,precision,population\n"
        "Camp Zeta,Zeta settlement,1.5,30.5,UGA,Northern Region,point,\n",
        encoding="utf-8",
    )
    path = build_gazetteer(tmp_path / "g.sqlite", extra_csv=extra)
    gazetteer = Gazetteer(path)
    found = gazetteer.lookup("Zeta settlement")
    assert found and found[0][0].country_iso3 == "UGA" and found[0][0].source == "user"
    assert any(place.kind == "country" for place, _ in gazetteer.lookup("Syria"))
    doc = GazetteerResolver(path).resolve("Families reached Camp Zeta this week.", [])
    assert doc.places[0].name == "Camp Zeta"
