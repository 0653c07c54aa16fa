"""Events: articles about one real-world displacement grouped together, with triangulated figures."""

from displacement_monitor.events.cluster import (
    ClusterConfig,
    EventIndex,
    build_event,
    cluster_results,
    update_events,
)
from displacement_monitor.events.export import (
    cluster_file,
    event_row,
    event_to_dict,
    events_to_geojson,
    read_results_jsonl,
    write_events,
)
from displacement_monitor.events.overrides import Override, apply_overrides, load_overrides, save_overrides
from displacement_monitor.events.triangulate import household_size, triangulate

__all__ = [
    "ClusterConfig",
    "EventIndex",
    "Override",
    "apply_overrides",
    "build_event",
    "cluster_file",
    "cluster_results",
    "event_row",
    "event_to_dict",
    "events_to_geojson",
    "household_size",
    "load_overrides",
    "read_results_jsonl",
    "save_overrides",
    "triangulate",
    "update_events",
    "write_events",
]
