"""Merges and splits stored in the database (SQLite and PostgreSQL) hold through re-clustering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect

from displacement_monitor.errors import InputError
from displacement_monitor.events import Override, cluster_results
from displacement_monitor.model import Event, ExtractionResult
from displacement_monitor.store import ArticleRecord, Store, open_store
from displacement_monitor.store.events_repo import (
    add_event_override,
    list_event_overrides,
    load_event_overrides,
    revoke_event_override,
)

from .conftest import fact, result

DAY = dt.date(2024, 3, 1)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


def save(store: Store, *results: ExtractionResult) -> None:
    for item in results:
        store.save_result(item, ArticleRecord(external_id=item.id, content_hash=item.id))


def clustered(store: Store) -> list[Event]:
    """What every reader of the store does: cluster the stored articles, then replay the overrides."""
    stored = list(store.iter_stored_results())
    fact_ids = {s.result.id: [str(i) for i in s.fact_ids] for s in stored}
    return cluster_results(
        [s.result for s in stored], overrides=load_event_overrides(store), fact_ids=fact_ids
    )


def groups(events: list[Event]) -> list[list[str]]:
    return sorted(sorted(e.articles) for e in events)


def north(article_id: str, days: int) -> ExtractionResult:
    return result(article_id, DAY + dt.timedelta(days=days), fact(100 + days, place="north quarter"))


def far(article_id: str, days: int) -> ExtractionResult:
    return result(article_id, DAY + dt.timedelta(days=days), fact(50 + days, place="farport"))


def test_overrides_store_migration_creates_the_table(store: Store) -> None:
    assert "event_overrides" in inspect(store.engine).get_table_names()


def test_overrides_store_merge_survives_new_articles(store: Store) -> None:
    save(store, north("n1", 0), north("n2", 3), far("f1", 1))
    before = clustered(store)
    assert groups(before) == [["f1"], ["n1", "n2"]]
    add_event_override(
        store,
        Override("merge", events=tuple(e.event_id for e in before), note="same convoy"),
        "ana",
        current=before,
    )
    save(store, north("n3", 5), far("f2", 4))
    assert groups(clustered(store)) == [["f1", "f2", "n1", "n2", "n3"]]


def test_overrides_store_split_stays_out_and_replays_in_order(store: Store) -> None:
    save(store, north("n1", 0), north("n2", 3), north("n3", 6), far("f1", 1))
    add_event_override(store, Override("split", articles=("n2",)), "ana", current=clustered(store))
    assert groups(clustered(store)) == [["f1"], ["n1", "n3"], ["n2"]]
    current = clustered(store)
    holder = {a: e.event_id for e in current for a in e.articles}
    add_event_override(store, Override("merge", events=(holder["n2"], holder["f1"])), "bob", current=current)
    save(store, north("n4", 8))
    assert groups(clustered(store)) == [["f1", "n2"], ["n1", "n3", "n4"]]


def test_overrides_store_keeps_the_audit_trail_and_revokes(store: Store) -> None:
    save(store, north("n1", 0), far("f1", 1))
    current = clustered(store)
    ids = tuple(e.event_id for e in current)
    first = add_event_override(
        store, Override("merge", events=ids, note="  one operation  "), "ana", current=current
    )
    [stored] = list_event_overrides(store)
    assert stored.id == first and stored.created_by == "ana" and stored.active
    assert stored.override == Override("merge", ("f1", "n1"), (), "one operation")
    assert stored.requested_events == ids
    assert stored.before == {e.event_id: e.articles for e in current}
    assert len(clustered(store)) == 1
    revoked = revoke_event_override(store, first, "bob")
    assert revoked is not None and revoked.revoked_by == "bob" and not revoked.active
    assert load_event_overrides(store) == []
    assert groups(clustered(store)) == [["f1"], ["n1"]]
    assert list_event_overrides(store, include_revoked=False) == []
    assert revoke_event_override(store, first + 100, "bob") is None


def test_overrides_store_rejects_overrides_that_change_nothing(store: Store) -> None:
    save(store, north("n1", 0), north("n2", 2), far("f1", 1))
    current = clustered(store)
    one = next(e.event_id for e in current if "n1" in e.articles)
    with pytest.raises(InputError, match="two distinct events"):
        add_event_override(store, Override("merge", events=(one, one)), "ana", current=current)
    with pytest.raises(InputError, match="no current event"):
        add_event_override(store, Override("merge", events=(one, "ev-missing")), "ana", current=current)
    with pytest.raises(InputError, match="not in any event"):
        add_event_override(store, Override("split", articles=("nowhere",)), "ana", current=current)
    with pytest.raises(InputError, match="already form an event"):
        add_event_override(store, Override("split", articles=("f1",)), "ana", current=current)
    with pytest.raises(InputError, match="needs the current events"):
        add_event_override(store, Override("merge", events=(one, "x")), "ana")
    assert list_event_overrides(store) == []


def test_overrides_store_by_articles_without_current_events(store: Store) -> None:
    """The CLI path: an override already expressed by articles is stored as given."""
    save(store, north("n1", 0), far("f1", 1))
    add_event_override(store, Override("merge", articles=("n1", "f1")), "cli")
    assert groups(clustered(store)) == [["f1", "n1"]]
