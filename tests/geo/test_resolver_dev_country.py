"""Document country on the dev data, from text, title and URL alone (no NER), as a regression floor."""

from __future__ import annotations

import json
from pathlib import Path

from displacement_monitor.geo.resolver import GazetteerResolver


def test_resolver_dev_articles_country(resolver: GazetteerResolver, shared_dir: Path) -> None:
    right = total = 0
    for line in (shared_dir / "data/dev/articles_dev.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if not doc["gold"]["relevant"]:
            continue
        got = resolver.resolve(doc["text"], [], title=doc.get("title"), url=doc.get("url"))
        total += 1
        right += got.country_iso3 == doc["gold"]["country_iso3"]
    assert right / total >= 0.95


def test_resolver_dev_excerpts_country(resolver: GazetteerResolver, shared_dir: Path) -> None:
    """Many excerpts name no place at all ("Number of displaced: 452"): 0.87 is the floor here."""
    right = total = 0
    for line in (shared_dir / "data/dev/idetect_dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = row.get("gold_corrected") or row["gold"]
        if gold.get("is_displacement") is False:
            continue
        got = resolver.resolve(row["text"], [], url=row.get("url"))
        total += 1
        right += got.country_iso3 == gold["country_iso3"]
    assert right / total >= 0.87
