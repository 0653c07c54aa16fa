"""Exports carry the input id as ``id`` on articles and on their facts."""

from __future__ import annotations

import csv
import io
import json

from displacement_monitor.model import ExtractionResult
from displacement_monitor.store import ArticleRecord, open_store
from displacement_monitor.store.export import export_table

from .test_repository import _record, _result


def _filled(db_url: str) -> None:
    store = open_store(db_url)
    store.save_result(_result("a-1"), _record("a-1"))
    store.save_result(ExtractionResult(id="bad", error="[DM200] timeout"), ArticleRecord(external_id="bad"))
    store.close()


def test_export_articles_jsonl_and_csv(db_url: str) -> None:
    _filled(db_url)
    out = io.StringIO()
    assert export_table("articles", "jsonl", db_url, out) == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["a-1", "bad"]
    assert lines[0]["fact_count"] == 2 and lines[1]["status"] == "failed"
    out = io.StringIO()
    export_table("articles", "csv", db_url, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in rows] == ["a-1", "bad"] and rows[0]["published"] == "2020-05-04"


def test_export_facts_carry_article_id(db_url: str) -> None:
    _filled(db_url)
    out = io.StringIO()
    assert export_table("facts", "jsonl", db_url, out) == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {line["id"] for line in lines} == {"a-1"}
    assert lines[0]["location"]["name"] == "Riverside" and lines[0]["date"]["text"] == "on Saturday"
    out = io.StringIO()
    export_table("facts", "csv", db_url, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["id"] == "a-1" and rows[0]["location_name"] == "Riverside"
    assert rows[0]["date_start"] == "2020-05-02" and rows[1]["figure"] == "300"
