from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from displacement_monitor.errors import ConfigError, InputError
from displacement_monitor.events import (
    cluster_file,
    event_row,
    events_to_geojson,
    load_overrides,
    save_overrides,
)
from displacement_monitor.events.export import read_results_jsonl
from displacement_monitor.events.overrides import Override, override_from_dict
from displacement_monitor.model import result_to_dict

from .conftest import fact, result

D = dt.date


def _write_results(path: Path) -> None:
    rows = [
        result(
            "a", D(2021, 3, 1), fact(100, place="rivercity", quote="100 people were evacuated from Rivercity")
        ),
        result("b", D(2021, 3, 2), fact(150, place="north quarter")),
        result("c", D(2021, 3, 2), fact(9, place="farport")),
    ]
    path.write_text("".join(json.dumps(result_to_dict(r)) + "\n" for r in rows) + "\n", encoding="utf-8")


def test_cluster_file_writes_event_lines_with_quotes(tmp_path: Path) -> None:
    source = tmp_path / "facts.jsonl"
    _write_results(source)
    out = io.StringIO()
    events = cluster_file(source, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["articles"] for line in lines] == [["a", "b"], ["c"]]
    assert lines[0]["figures"][0]["quotes"]["a#0"] == "100 people were evacuated from Rivercity"
    assert {"event_id", "name", "facts", "start", "end", "lat", "lon"} <= set(lines[0])
    assert event_row(events[0])["figure"].startswith("150 persons")


def test_cluster_file_applies_saved_overrides(tmp_path: Path) -> None:
    source, overrides = tmp_path / "facts.jsonl", tmp_path / "overrides.json"
    _write_results(source)
    save_overrides(overrides, [Override("merge", articles=("a", "c"), note="same operation")])
    assert load_overrides(overrides)[0].note == "same operation"
    events = cluster_file(source, io.StringIO(), overrides_path=overrides)
    assert [e.articles for e in events] == [["a", "b", "c"]]


def test_events_to_geojson_is_a_feature_collection(tmp_path: Path) -> None:
    source = tmp_path / "facts.jsonl"
    _write_results(source)
    out = io.StringIO()
    events = cluster_file(source, out, fmt="geojson")
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == len(events)
    point = collection["features"][0]["geometry"]
    assert point["type"] == "Point" and point["coordinates"][1] == pytest.approx(events[0].lat)
    assert events_to_geojson([])["features"] == []


def test_read_results_jsonl_rejects_bad_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        read_results_jsonl(bad)


def test_overrides_reject_unknown_actions_and_empty_targets(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        override_from_dict({"action": "delete", "articles": ["a"]})
    with pytest.raises(ConfigError):
        override_from_dict({"action": "merge"})
    with pytest.raises(ConfigError):
        override_from_dict({"action": "split", "events": ["ev-1"]})
    assert load_overrides(tmp_path / "none.json") == []
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_overrides(broken)
