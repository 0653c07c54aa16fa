"""Events in and out of files: extraction JSONL in, events JSONL or GeoJSON out (no database needed)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal

from displacement_monitor.errors import InputError
from displacement_monitor.events.cluster import ClusterConfig, cluster_results, default_fact_ids
from displacement_monitor.events.overrides import load_overrides
from displacement_monitor.model import Event, ExtractionResult, result_from_dict, to_dict

EventFormat = Literal["jsonl", "geojson"]


def iter_results_jsonl(lines: Iterable[str], *, source: str = "<input>") -> Iterator[ExtractionResult]:
    """ExtractionResults from the ``extract`` command's JSON lines (blank lines skipped)."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as err:
            raise InputError(f"{source}:{number}: not JSON ({err})") from err
        if not isinstance(data, dict) or "id" not in data:
            raise InputError(f"{source}:{number}: not an extraction result (no id)")
        yield result_from_dict(data)


def read_results_jsonl(path: Path) -> list[ExtractionResult]:
    with path.open(encoding="utf-8") as handle:
        return list(iter_results_jsonl(handle, source=str(path)))


def fact_quotes(results: Iterable[ExtractionResult]) -> dict[str, str]:
    """Default fact id → quote, to show the evidence behind each figure."""
    return {
        fact_id: fact.quote
        for result in results
        for fact_id, fact in zip(default_fact_ids(result), result.facts, strict=True)
    }


def event_to_dict(event: Event, quotes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The events JSONL line; with ``quotes``, each figure lists its supporting quotes too."""
    out = to_dict(event)
    if quotes:
        for figure in out["figures"]:
            figure["quotes"] = {fid: quotes[fid] for fid in figure["fact_ids"] if fid in quotes}
    return out


def events_to_geojson(events: Sequence[Event], quotes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one Point per event at its centroid (null geometry if unknown)."""
    features = []
    for event in events:
        properties = event_to_dict(event, quotes)
        lat, lon = properties.pop("lat"), properties.pop("lon")
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        )
        features.append(
            {"type": "Feature", "id": event.event_id, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def write_events(
    events: Sequence[Event],
    out: IO[str],
    *,
    fmt: EventFormat = "jsonl",
    quotes: Mapping[str, str] | None = None,
) -> None:
    if fmt == "geojson":
        json.dump(events_to_geojson(events, quotes), out, ensure_ascii=False)
        out.write("\n")
        return
    for event in events:
        out.write(json.dumps(event_to_dict(event, quotes), ensure_ascii=False) + "\n")


def cluster_file(
    input_path: Path,
    output: IO[str],
    *,
    fmt: EventFormat = "jsonl",
    overrides_path: Path | None = None,
    config: ClusterConfig | None = None,
) -> list[Event]:
    """Read extraction JSONL, cluster it, write events (JSONL or GeoJSON); returns the events."""
    results = read_results_jsonl(input_path)
    overrides = load_overrides(overrides_path) if overrides_path is not None else None
    events = cluster_results(results, overrides=overrides, config=config)
    write_events(events, output, fmt=fmt, quotes=fact_quotes(results))
    return events


def event_row(event: Event) -> dict[str, str]:
    """Short columns for a table view: id, name, articles, the headline figure."""
    headline = next((f for f in event.figures if f.recommended is not None), None)
    figure = ""
    if headline is not None:
        figure = f"{headline.recommended:,} {headline.unit}s ({headline.term_group})"
        if headline.people_estimate is not None:
            figure += f" ≈ {headline.people_estimate:,} people"
    return {
        "event_id": event.event_id,
        "name": event.name,
        "articles": str(len(event.articles)),
        "facts": str(len(event.facts)),
        "figure": figure,
    }
