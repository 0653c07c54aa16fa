"""Clustering throughput: 100k synthetic facts in one batch, then one article added incrementally.

    .venv/bin/python benchmarks/bench_events.py [--facts 100000] [--seed 1]

Synthetic articles mimic a news stream: per country a few dozen happenings over two years, each
reported by several articles (three facts each) near the happening's place and days, plus
country-level round-ups. Targets: batch < 60 s on one core; one incremental article < 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

import pycountry

from displacement_monitor.events import EventIndex, cluster_results, update_events
from displacement_monitor.model import (
    Cause,
    DateSpan,
    ExtractionResult,
    Fact,
    Hazard,
    Location,
    Modality,
    Term,
)

MODALITIES: list[Modality] = ["reported", "reported", "expected"]

HAZARDS: list[tuple[Cause, Hazard]] = [
    ("conflict", "conflict"),
    ("disaster", "flood"),
    ("disaster", "storm"),
    ("disaster", "earthquake"),
]
TERMS: list[Term] = ["displaced", "evacuated", "forced_to_flee", "sheltered", "destroyed_housing"]
WORDS = [
    "convoy",
    "buses",
    "shelter",
    "camp",
    "river",
    "storm",
    "rains",
    "fighting",
    "truce",
    "district",
    "village",
    "families",
    "homes",
]


def synthetic_results(n_facts: int, seed: int) -> list[ExtractionResult]:
    rng = random.Random(seed)
    countries = [c.alpha_3 for c in list(pycountry.countries)[:80]]
    start = dt.date(2020, 1, 1)
    results: list[ExtractionResult] = []
    facts_made = 0
    happening = 0
    while facts_made < n_facts:
        happening += 1
        iso3 = rng.choice(countries)
        cause, hazard = rng.choice(HAZARDS)
        lat, lon = rng.uniform(-40, 60), rng.uniform(-100, 120)
        day0 = start + dt.timedelta(days=rng.randrange(730))
        words = rng.sample(WORDS, 5)
        for k in range(rng.randint(2, 14)):
            day = day0 + dt.timedelta(days=rng.randrange(20))
            coarse = rng.random() < 0.1
            facts = []
            for _ in range(3):
                loc = Location(
                    name=iso3 if coarse else "Place " + "".join(chr(97 + int(d)) for d in str(happening)),
                    lat=None if coarse else lat + rng.uniform(-0.05, 0.05),
                    lon=None if coarse else lon + rng.uniform(-0.05, 0.05),
                    admin1=None if coarse else f"Adm{happening % 7}",
                    country_iso3=iso3,
                    precision="country" if coarse else rng.choice(["city", "neighbourhood", "admin2"]),
                )
                figure = rng.randrange(10, 50000)
                term = rng.choice(TERMS)
                facts.append(
                    Fact(
                        figure,
                        figure,
                        figure,
                        "exact",
                        "household" if "housing" in term else "person",
                        term,
                        rng.choice(MODALITIES),
                        f"{figure} {' '.join(rng.sample(words, 3))}",
                        0,
                        10,
                        location=loc,
                        country_iso3=iso3,
                        date=DateSpan(day, day, "day"),
                    )
                )
            facts_made += len(facts)
            results.append(
                ExtractionResult(
                    id=f"s{happening}-{k}",
                    relevant=True,
                    cause=cause,
                    hazard=hazard,
                    country_iso3=iso3,
                    published=day,
                    title=" ".join(words),
                    facts=facts,
                )
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    results = synthetic_results(args.facts, args.seed)
    happenings = len({r.id.split("-")[0] for r in results})
    newcomer, batch = results[-1], results[:-1]
    n_facts = sum(len(r.facts) for r in results)

    began = time.perf_counter()
    events = cluster_results(results)
    batch_s = time.perf_counter() - began
    print(
        f"batch: {len(results):,} articles, {n_facts:,} facts -> {len(events):,} events "
        f"({happenings:,} synthetic happenings) in {batch_s:.1f} s"
    )

    index = EventIndex()
    index.add(batch)
    index.events()
    began = time.perf_counter()
    updated = update_events(index, [newcomer])
    incremental_s = time.perf_counter() - began
    same = [e.articles for e in updated] == [e.articles for e in events]
    print(f"incremental: 1 article added in {incremental_s * 1000:.0f} ms (matches batch: {same})")
    ok = batch_s < 60 and incremental_s < 1 and same
    print("targets (batch < 60 s, incremental < 1 s):", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
