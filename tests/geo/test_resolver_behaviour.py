"""Recognition rules: what counts as a place, offsets, demonyms, agencies, URL hints, geocoding."""

from __future__ import annotations

from displacement_monitor.geo.base import PlaceMention
from displacement_monitor.geo.resolver import GazetteerResolver, geocode_query


def names(resolver: GazetteerResolver, text: str, **kwargs: object) -> list[str]:
    return [p.name for p in resolver.resolve(text, [], **kwargs).places]  # type: ignore[arg-type]


def test_resolver_offsets_point_at_the_mention(resolver: GazetteerResolver) -> None:
    text = "Families left al-Waer in Homs for Idlib, in northern Syria, on Saturday."
    doc = resolver.resolve(text, [])
    assert [text[p.start or 0 : p.end or 0] for p in doc.places] == [p.name for p in doc.places]
    assert {"al-Waer", "Homs", "Idlib", "northern Syria"} <= {p.name for p in doc.places}
    assert doc.country_iso3 == "SYR"
    waer = next(p for p in doc.places if p.name == "al-Waer")
    assert waer.precision == "neighbourhood" and waer.admin1 == "Homs"


def test_resolver_demonyms_give_the_country_but_are_not_places(resolver: GazetteerResolver) -> None:
    doc = resolver.resolve("Some 2,000 Afghan families returned last month.", [])
    assert doc.country_iso3 == "AFG"
    assert doc.places == []


def test_resolver_lowercase_demonyms_in_french_and_spanish(resolver: GazetteerResolver) -> None:
    assert resolver.resolve("Des milliers de réfugiés congolais sont arrivés.", []).country_iso3 == "COD"
    assert resolver.resolve("Más de 300 migrantes sirios fueron trasladados.", []).country_iso3 == "SYR"


def test_resolver_agencies_are_not_places(resolver: GazetteerResolver) -> None:
    text = "Al Jazeera and Xinhua reported, citing Reuters and the New York Times, that floods hit Dhaka."
    assert names(resolver, text) == ["Dhaka"]


def test_resolver_common_words_are_not_towns(resolver: GazetteerResolver) -> None:
    text = "Most families said the weather was nice. Reading the report, officials in Mobile were calm."
    found = names(resolver, text)
    assert "Most" not in found and "Reading" not in found


def test_resolver_town_inside_a_person_name_is_skipped(resolver: GazetteerResolver) -> None:
    text = "Prime Minister Perry Christie visited the islands."
    mentions = [PlaceMention(15, 28, "Perry Christie", "PERSON")]
    assert resolver.resolve(text, mentions).places == []


def test_resolver_uses_ner_mentions_for_small_places(resolver: GazetteerResolver) -> None:
    text = "Floods hit Nsanje, in southern Malawi."
    start = text.index("Nsanje")
    doc = resolver.resolve(text, [PlaceMention(start, start + 6, "Nsanje", "GPE")])
    place = next(p for p in doc.places if p.name == "Nsanje")
    assert place.country_iso3 == "MWI"


def test_resolver_url_is_evidence_when_the_text_names_no_place(resolver: GazetteerResolver) -> None:
    text = "At least 3,000 people were evacuated as a precaution."
    assert resolver.resolve(text, []).country_iso3 is None
    assert resolver.resolve(text, [], url="https://news.example.com.au/floods/123").country_iso3 == "AUS"
    assert resolver.resolve(text, [], url="https://example.org/report/chad/floods").country_iso3 == "TCD"


def test_resolver_idmc_code_for_abyei(resolver: GazetteerResolver) -> None:
    doc = resolver.resolve("Some 82,000 displaced people live in southern areas of Abyei.", [])
    assert doc.country_iso3 == "AB9"


def test_resolver_title_counts_for_the_country(resolver: GazetteerResolver) -> None:
    doc = resolver.resolve("Thousands fled the fighting overnight.", [], title="Clashes in Libya")
    assert doc.country_iso3 == "LBY"
    assert doc.places == []


def test_geocode_query_uses_the_context_after_the_comma() -> None:
    assert geocode_query("Tripoli, Lebanon")[0].country_iso3 == "LBN"
    assert geocode_query("Tripoli, Libya")[0].country_iso3 == "LBY"
    waer = geocode_query("al-Waer, Homs")[0]
    assert waer.country_iso3 == "SYR" and waer.lat is not None and abs(waer.lat - 34.73) < 0.1
    assert geocode_query("Wau, Western Bahr el Ghazal")[0].country_iso3 == "SSD"
    assert geocode_query("") == []
