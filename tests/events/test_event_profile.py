from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from displacement_monitor.events.naming import country_name, period_label
from displacement_monitor.events.profile import date_from_url, place_key

D = dt.date


def test_date_from_url_reads_common_news_layouts() -> None:
    assert date_from_url("https://a.example/news/2017/4/8/convoy-leaves") == (D(2017, 4, 8), D(2017, 4, 8))
    assert date_from_url("https://a.example/News/2017/May-21/4066-buses.ashx") == (D(2017, 5, 21),) * 2
    assert date_from_url("https://a.example/en/news/20181105_24/") == (D(2018, 11, 5),) * 2
    assert date_from_url("https://a.example/world/2017/04/evacuations") == (D(2017, 4, 1), D(2017, 4, 30))
    assert date_from_url("https://a.example/?p=5073") is None
    assert date_from_url(None) is None


@given(st.text(max_size=80))
def test_date_from_url_never_raises_and_returns_ordered_spans(url: str) -> None:
    span = date_from_url(url)
    assert span is None or span[0] <= span[1]


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31)))
def test_date_from_url_round_trips_iso_paths(day: dt.date) -> None:
    assert date_from_url(f"https://a.example/{day:%Y/%m/%d}/story") == (day, day)


def test_place_key_ignores_articles_and_generic_words() -> None:
    assert place_key("al-Waer neighbourhood") == place_key("Waer") == frozenset({"waer"})
    assert place_key("provincia de Cádiz") == frozenset({"cadiz"})
    assert place_key("the region") == frozenset()


def test_naming_helpers() -> None:
    assert country_name("SYR") == "Syria"
    assert country_name("COD") == "DR Congo"
    assert period_label(D(2022, 8, 1), D(2022, 8, 30)) == "Aug 2022"
    assert period_label(D(2017, 3, 18), D(2017, 5, 21)) == "Mar–May 2017"
    assert period_label(D(2015, 12, 9), D(2016, 1, 2)) == "Dec 2015–Jan 2016"
    assert period_label(None, None) == "date unknown"
