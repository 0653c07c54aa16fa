"""Analyst corrections to clustering, kept apart from it so they survive every re-clustering.

An override names articles, not events, because event ids follow membership::

    {"action": "merge", "articles": ["a1", "b7"]}   # the events holding a1 and b7 become one
    {"action": "split", "articles": ["c3", "c4"]}   # c3 and c4 leave their events, as one new event
    {"action": "merge", "events": ["ev-…", "ev-…"]} # by event id, resolved on the current events

Overrides apply in order after clustering; articles that are not (yet) clustered are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from displacement_monitor.errors import ConfigError

Action = Literal["merge", "split"]


@dataclass(slots=True, frozen=True)
class Override:
    action: Action
    articles: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action}
        if self.articles:
            out["articles"] = list(self.articles)
        if self.events:
            out["events"] = list(self.events)
        if self.note:
            out["note"] = self.note
        return out


def override_from_dict(data: dict[str, Any]) -> Override:
    action = data.get("action")
    if action not in ("merge", "split"):
        raise ConfigError(f"override action must be 'merge' or 'split', not {action!r}")
    articles = tuple(str(a) for a in data.get("articles") or [])
    events = tuple(str(e) for e in data.get("events") or [])
    if action == "split" and events:
        raise ConfigError("a split names articles, not events")
    if not articles and not events:
        raise ConfigError(f"override {data!r} names no articles or events")
    note = data.get("note")
    return Override(action, articles, events, str(note) if note else None)


def load_overrides(path: Path) -> list[Override]:
    """Overrides from a JSON list (``[]`` when the file does not exist yet)."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ConfigError(f"cannot read overrides {path}: {err}") from err
    if not isinstance(data, list):
        raise ConfigError(f"overrides {path} must hold a JSON list")
    return [override_from_dict(item) for item in data]


def save_overrides(path: Path, overrides: Iterable[Override]) -> None:
    path.write_text(json.dumps([o.to_dict() for o in overrides], indent=2) + "\n", encoding="utf-8")


def apply_overrides(
    groups: Sequence[Sequence[str]],
    overrides: Iterable[Override],
    event_id_of: Callable[[list[str]], str],
) -> list[list[str]]:
    """Article groups after merges and splits, in order; empty groups disappear."""
    current = [sorted(g) for g in groups]
    for override in overrides:
        where = {a: i for i, g in enumerate(current) for a in g}
        if override.action == "merge":
            chosen = {where[a] for a in override.articles if a in where}
            if override.events:
                ids = set(override.events)
                chosen |= {i for i, g in enumerate(current) if event_id_of(g) in ids}
            if len(chosen) < 2:
                continue
            merged = sorted(a for i in chosen for a in current[i])
            current = [g for i, g in enumerate(current) if i not in chosen] + [merged]
        else:
            leaving = {a for a in override.articles if a in where}
            if not leaving:
                continue
            current = [[a for a in g if a not in leaving] for g in current] + [sorted(leaving)]
        current = [g for g in current if g]
    return sorted(current)
