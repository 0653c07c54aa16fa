"""Gazetteer and resolver benchmark: build time, load time, resolutions per second, resident memory.

Run with ``.venv/bin/python benchmarks/bench_geo.py [--rebuild]``. Texts are written here, not taken
from news: a ~3 kB article with a dozen place names, and short one-sentence excerpts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import psutil

from displacement_monitor.geo.gazetteer import build_gazetteer, default_gazetteer_path, ensure_gazetteer
from displacement_monitor.geo.resolver import GazetteerResolver

PARAGRAPH = (
    "Heavy fighting in Wau, the capital of Western Bahr el Ghazal state, forced thousands of South "
    "Sudanese into the UN base, while in Juba aid agencies said 36,000 people had fled. Further north, "
    "families from Abyei reached Khartoum. Floods in Sindh and Balochistan displaced Pakistanis, and "
    "the last residents of al-Waer left Homs for Jarabulus in northern Syria. Reuters and Xinhua "
    "reported evacuations in Tripoli, Lebanon, and in Kerala, where relief camps opened in Kochi. "
)
ARTICLE = (PARAGRAPH * 8)[:3000]
EXCERPT = "Floods in the eastern Afghan province of Nuristan destroyed 60 homes, officials said."


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


def rate(resolver: GazetteerResolver, text: str, seconds: float = 2.0) -> tuple[float, float]:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        resolver.resolve(text, [])
        count += 1
    elapsed = time.perf_counter() - started
    return count / elapsed, elapsed / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="also time a fresh build into a temp dir")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    if args.rebuild:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            built = build_gazetteer(Path(tmp) / "g.sqlite")
            rows.append(("build (s)", f"{time.perf_counter() - started:.1f}"))
            rows.append(("index size (MB)", f"{built.stat().st_size / 1e6:.0f}"))
    path = ensure_gazetteer(default_gazetteer_path())
    before = rss_mb()
    started = time.perf_counter()
    resolver = GazetteerResolver(path)
    resolver.load()
    rows.append(("load (s)", f"{time.perf_counter() - started:.2f}"))
    rows.append(("resolver RSS (MB)", f"{rss_mb() - before:.0f}"))
    per_second, ms = rate(resolver, ARTICLE)
    rows.append(("3 kB article (ms)", f"{ms:.2f}"))
    rows.append(("articles/s", f"{per_second:.0f}"))
    per_second, ms = rate(resolver, EXCERPT)
    rows.append(("excerpt (ms)", f"{ms:.3f}"))
    rows.append(("excerpts/s", f"{per_second:.0f}"))
    rows.append(("process RSS (MB)", f"{rss_mb():.0f}"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>8}")


if __name__ == "__main__":
    main()
