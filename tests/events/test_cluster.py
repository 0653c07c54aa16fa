from __future__ import annotations

import datetime as dt
import itertools
import random

from displacement_monitor.events import ClusterConfig, EventIndex, Override, cluster_results, update_events
from displacement_monitor.model import ExtractionResult

from .conftest import fact, result

D = dt.date


def _groups(events: list) -> list[list[str]]:
    return sorted(e.articles for e in events)


def _operation_series() -> list[ExtractionResult]:
    """One district evacuated three times (months apart) plus a city-wide operation years before."""
    return [
        result("op1-a", D(2015, 12, 9), fact(300, place="north quarter"), title="Buses leave North Quarter"),
        result("op1-b", D(2015, 12, 10), fact(700, place="rivercity"), title="Convoy leaves Rivercity"),
        result("op2-a", D(2016, 9, 22), fact(250, place="north quarter")),
        result("op3-a", D(2017, 3, 18), fact(1500, place="rivercity")),
        result("op3-b", D(2017, 4, 8), fact(242, place="north quarter")),
        result("op3-c", D(2017, 5, 20), fact(400, place="north quarter")),
        result(
            "op3-d",
            D(2017, 5, 21),
            fact(None, place="north quarter", qualifier="vague", figure_min=200, figure_max=999),
        ),
        result("old-city", D(2014, 5, 7), fact(1200, place="old town")),
    ]


def test_cluster_keeps_operations_months_apart_separate() -> None:
    events = cluster_results(_operation_series())
    assert _groups(events) == [
        ["old-city"],
        ["op1-a", "op1-b"],
        ["op2-a"],
        ["op3-a", "op3-b", "op3-c", "op3-d"],
    ]


def test_cluster_is_independent_of_input_order() -> None:
    results = _operation_series()
    expected = [(e.event_id, e.articles, e.name) for e in cluster_results(results)]
    rng = random.Random(7)
    for _ in range(5):
        shuffled = results[:]
        rng.shuffle(shuffled)
        assert [(e.event_id, e.articles, e.name) for e in cluster_results(shuffled)] == expected


def test_cluster_separates_distant_places_and_other_hazards() -> None:
    day = D(2022, 8, 10)
    events = cluster_results(
        [
            result(
                "flood-river",
                day,
                fact(5000, place="rivercity", term="displaced"),
                cause="disaster",
                hazard="flood",
            ),
            result(
                "flood-far",
                day,
                fact(800, place="farport", term="displaced"),
                cause="disaster",
                hazard="flood",
            ),
            result(
                "quake-river",
                day,
                fact(90, place="rivercity", term="homeless"),
                cause="disaster",
                hazard="earthquake",
            ),
            result("fighting-river", day, fact(60, place="rivercity", term="forced_to_flee")),
            result("other-country", day, fact(70, place="rivercity"), country_iso3="BBB"),
        ]
    )
    assert all(len(e.articles) == 1 for e in events)


def test_cluster_merges_storm_with_its_floods_and_province_reports() -> None:
    day = D(2022, 8, 10)
    events = cluster_results(
        [
            result(
                "storm",
                day,
                fact(5000, place="rivercity", term="evacuated"),
                cause="disaster",
                hazard="storm",
            ),
            result(
                "flood",
                day + dt.timedelta(days=3),
                fact(900, place="north quarter", term="displaced"),
                cause="disaster",
                hazard="flood",
            ),
            result(
                "province",
                day + dt.timedelta(days=6),
                fact(12000, place="riverland", term="displaced"),
                cause="disaster",
                hazard="flood",
            ),
        ]
    )
    assert _groups(events) == [["flood", "province", "storm"]]


def test_cluster_attaches_country_level_report_to_one_event_without_bridging() -> None:
    day = D(2022, 8, 10)
    results = [
        result(
            "river",
            day,
            fact(5000, place="rivercity", term="displaced", quote="floods displaced 5000 in Rivercity"),
            cause="disaster",
            hazard="flood",
            title="Floods hit Rivercity",
        ),
        result(
            "far",
            day,
            fact(800, place="farport", term="displaced", quote="800 displaced in Farport"),
            cause="disaster",
            hazard="flood",
            title="Farport harbour flooded",
        ),
        result(
            "national",
            day + dt.timedelta(days=1),
            fact(9000, place="country", term="displaced", quote="floods displaced 9000 across the country"),
            cause="disaster",
            hazard="flood",
            title="Floods hit Rivercity and beyond",
        ),
    ]
    groups = _groups(cluster_results(results))
    assert ["far"] in groups
    assert ["national", "river"] in groups


def test_cluster_undated_article_needs_text_or_figure_evidence() -> None:
    dated = [
        result(
            "dec", D(2015, 12, 9), fact(700, place="north quarter"), title="Truce convoy leaves North Quarter"
        ),
        result(
            "may", D(2017, 5, 20), fact(2500, place="north quarter"), title="Final buses leave North Quarter"
        ),
    ]
    copy = result("copy", None, fact(2500, place="north quarter"), title="Final buses leave North Quarter")
    stray = result(
        "stray", None, fact(33, place="north quarter", quote="thirty three moved"), title="Unrelated"
    )
    groups = _groups(cluster_results([*dated, copy, stray]))
    assert ["copy", "may"] in groups
    assert ["stray"] in groups


def test_cluster_uses_the_date_in_the_url_when_published_is_missing() -> None:
    results = [
        result("a", D(2017, 4, 8), fact(242, place="north quarter")),
        result(
            "b", None, fact(400, place="north quarter"), url="https://news.example/world/2017/04/buses-leave"
        ),
        result("c", D(2019, 4, 8), fact(50, place="north quarter")),
    ]
    assert _groups(cluster_results(results)) == [["a", "b"], ["c"]]


def test_cluster_skips_irrelevant_and_failed_documents() -> None:
    off_topic = ExtractionResult(id="neg", relevant=False)
    failed = ExtractionResult(id="err", relevant=True, error="[DM101] empty")
    no_facts = result("relevant-no-facts", D(2020, 1, 1))
    events = cluster_results([off_topic, failed, no_facts])
    assert _groups(events) == [["relevant-no-facts"]]
    assert cluster_results([no_facts], config=ClusterConfig(include_relevant_without_facts=False)) == []


def test_update_events_matches_batch_clustering() -> None:
    results = _operation_series()
    index = EventIndex()
    for item in results:
        events = update_events(index, [item])
    batch = cluster_results(results)
    assert [(e.event_id, e.articles) for e in events] == [(e.event_id, e.articles) for e in batch]


def test_update_events_replaces_an_article_by_id() -> None:
    index = EventIndex()
    update_events(index, [result("x", D(2020, 1, 1), fact(10, place="rivercity"))])
    events = update_events(index, [result("x", D(2020, 1, 1), fact(20, place="rivercity"))])
    assert len(events) == 1 and events[0].figures[0].recommended == 20


def test_overrides_survive_reclustering() -> None:
    results = _operation_series()
    overrides = [
        Override("merge", articles=("op1-a", "op2-a")),
        Override("split", articles=("op3-d",)),
    ]
    index = EventIndex(overrides=overrides)
    index.add(results[:4])
    index.add(results[4:])
    groups = _groups(index.events())
    assert ["op1-a", "op1-b", "op2-a"] in groups
    assert ["op3-d"] in groups
    assert ["op3-a", "op3-b", "op3-c"] in groups


def test_overrides_merge_by_event_id() -> None:
    events = cluster_results(_operation_series())
    ids = [e.event_id for e in events if "op2-a" in e.articles or "old-city" in e.articles]
    merged = cluster_results(_operation_series(), overrides=[Override("merge", events=tuple(ids))])
    assert ["old-city", "op2-a"] in _groups(merged)


def test_event_fields_describe_the_happening() -> None:
    events = cluster_results(_operation_series())
    op3 = next(e for e in events if "op3-a" in e.articles)
    assert op3.name == "Evacuation of North Quarter, Riverland, AAA — Mar–May 2017"
    assert (op3.cause, op3.hazard, op3.country_iso3, op3.admin1) == (
        "conflict",
        "conflict",
        "AAA",
        "Riverland",
    )
    assert (op3.start, op3.end, op3.date_precision) == (D(2017, 3, 18), D(2017, 5, 21), "day")
    assert op3.lat is not None and abs(op3.lat - 10.02) < 1e-6
    assert op3.facts == ["op3-a#0", "op3-b#0", "op3-c#0", "op3-d#0"]
    assert op3.event_id.startswith("ev-")


def test_event_id_is_stable_while_the_event_grows() -> None:
    results = _operation_series()
    first = {e.articles[0]: e.event_id for e in cluster_results(results[:4])}
    later = cluster_results(results)
    op3 = next(e for e in later if "op3-a" in e.articles)
    assert op3.event_id == first["op3-a"]


def test_cluster_pairs_are_symmetric() -> None:
    """Every pair ordering gives the same grouping (no first-come bias)."""
    results = _operation_series()[:4]
    expected = _groups(cluster_results(results))
    for perm in itertools.permutations(results):
        assert _groups(cluster_results(list(perm))) == expected
