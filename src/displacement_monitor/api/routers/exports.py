"""Downloads of facts (with the usual filters) and events as CSV, HXL CSV, GeoJSON or IDU JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from displacement_monitor.api.deps import ReaderDep, StoreDep
from displacement_monitor.api.exports import (
    EVENT_COLUMNS,
    FACT_COLUMNS,
    csv_lines,
    event_idu,
    event_rows,
    fact_idu,
    fact_row,
)
from displacement_monitor.api.queries import FactFilters, FiltersDep, fact_out, fact_select
from displacement_monitor.api.schemas import FactOut
from displacement_monitor.events import events_to_geojson
from displacement_monitor.store import Store
from displacement_monitor.store.tables import FactRow

router = APIRouter(prefix="/api/exports", tags=["exports"])
ExportFormat = Literal["csv", "hxl", "geojson", "idu"]
_MEDIA = {"csv": "text/csv", "hxl": "text/csv", "geojson": "application/geo+json", "idu": "application/json"}
_SUFFIX = {"csv": "csv", "hxl": "hxl.csv", "geojson": "geojson", "idu": "idu.json"}
_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {m: {} for m in set(_MEDIA.values())}, "description": "the file"}
}


def _iter_facts(store: Store, filters: FactFilters) -> Iterator[FactOut]:
    with store.session() as session:
        query = filters.apply(fact_select()).order_by(FactRow.id).execution_options(yield_per=1000)
        for row in session.execute(query):
            yield fact_out(*row)


def _json_array(items: Iterator[dict[str, Any]], head: str = "[", tail: str = "]") -> Iterator[str]:
    yield head
    for index, item in enumerate(items):
        yield ("," if index else "") + "\n" + json.dumps(item, ensure_ascii=False, default=str)
    yield "\n" + tail + "\n"


def _download(body: Iterator[str], fmt: ExportFormat, stem: str) -> StreamingResponse:
    return StreamingResponse(
        body,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{_SUFFIX[fmt]}"'},
    )


@router.get("/facts", response_class=StreamingResponse, responses=_FILE_RESPONSES)
def export_facts(
    _caller: ReaderDep, store: StoreDep, filters: FiltersDep, format: ExportFormat = "csv"
) -> StreamingResponse:
    """Every matching fact (edits applied), streamed."""
    facts = _iter_facts(store, filters)
    if format in ("csv", "hxl"):
        body = csv_lines((fact_row(f) for f in facts), FACT_COLUMNS, hxl=format == "hxl")
    elif format == "idu":
        body = _json_array(fact_idu(f) for f in facts)
    else:
        features = (
            {
                "type": "Feature",
                "id": f.id,
                "geometry": {"type": "Point", "coordinates": [f.location.lon, f.location.lat]}
                if f.location and f.location.lat is not None and f.location.lon is not None
                else None,
                "properties": fact_row(f),
            }
            for f in facts
        )
        body = _json_array(features, head='{"type": "FeatureCollection", "features": [', tail="]}")
    return _download(body, format, "facts")


@router.get("/events", response_class=StreamingResponse, responses=_FILE_RESPONSES)
def export_events(request: Request, _caller: ReaderDep, format: ExportFormat = "csv") -> StreamingResponse:
    """Every event; CSV has one row per triangulated figure."""
    snapshot = request.app.state.events.snapshot()
    events = snapshot.events
    if format in ("csv", "hxl"):
        rows = (row for event in events for row in event_rows(event))
        body = csv_lines(rows, EVENT_COLUMNS, hxl=format == "hxl")
    elif format == "idu":
        body = _json_array(record for event in events for record in event_idu(event))
    else:
        body = iter([json.dumps(events_to_geojson(events, snapshot.quotes), ensure_ascii=False, default=str)])
    return _download(body, format, "events")
