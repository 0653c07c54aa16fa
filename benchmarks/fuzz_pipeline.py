"""Mutation fuzzing of the whole pipeline: no input may make ``Pipeline().process`` raise.

Starts from seed documents written for this script (English, French, Spanish, Arabic; plain text
and HTML) and applies 1-4 random mutations to each: byte flips, insertions of trigger words and
awkward numbers, truncation, HTML wrapping (deep nesting, unclosed tags, entity floods), encoding
round-trips (mojibake, UTF-16 read as Latin-1), control characters and NUL bytes, mixed scripts,
RTL marks and emoji, very long lines, binary noise and, rarely, documents over the size limit.

Every document is checked against the output contract: ``error`` is None or a ``[DM…]`` code,
every fact's ``text[start:end]`` equals its quote, ``figure_min <= figure <= figure_max`` and the
enumerations hold. A document is generated from its index alone, so a failure is reproduced with
``--only INDEX``; failing documents are also written to ``results/fuzz-failures/``.

    .venv/bin/python benchmarks/fuzz_pipeline.py --docs 100000 --procs 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import multiprocessing
import random
import resource
import signal
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from displacement_monitor.model import (
    CAUSES,
    HAZARDS,
    MODALITIES,
    QUALIFIERS,
    TERMS,
    UNITS,
    Document,
    ExtractionResult,
)

RESULTS = Path(__file__).resolve().parent / "results"
SLOW_DOC_S = 10.0
HANG_LIMIT_S = 30
#: ``--profile light`` makes these mutators 20x rarer and cuts documents to LIGHT_MAX_CHARS.
LIGHT_MAX_CHARS = 20_000
HEAVY = {"_long_line", "_huge", "_everywhere", "_repeat_paragraphs"}

SEEDS_TEXT = [
    "Floods displace thousands in the north\n\nHeavy rain over three days forced more than 12,000 people "
    "to leave their homes in the river valley, the regional disaster agency said on Tuesday. About 2,500 "
    "houses were destroyed and another 800 damaged. Some 4,300 families are sheltering in 21 schools.",
    "Fighting around the border town has displaced an estimated 45,000 people since 3 March, according "
    "to local officials. Between 10,000 and 15,000 of them fled across the river; hundreds of households "
    "remain in makeshift camps. Aid groups expect up to 60,000 more to be uprooted if shelling continues.",
    "Des inondations ont contraint près de 3 500 personnes à quitter leur domicile dans la province, "
    "selon la protection civile. Plus de 600 maisons ont été détruites et 1 200 familles sont hébergées "
    "dans des centres d'accueil. Deux cent cinquante personnes ont été évacuées en urgence.",
    "Unas 7.800 personas fueron evacuadas tras el terremoto de magnitud 6,1. Las autoridades informaron "
    "de que más de 900 viviendas quedaron destruidas y que cientos de familias duermen en albergues. "
    "El número de desplazados podría superar los 10.000 según la Cruz Roja.",
    "Stocks rose 2.5% on Monday as investors weighed the central bank's decision. The index closed at "
    "4,512 points, with 1.2 billion shares traded. Analysts expect rates to stay at 5.25% until June.",
    "The home side won 3-1 in front of 45,000 fans on Saturday. The striker scored twice in the 12th and "
    "78th minutes, taking his tally to 21 goals this season, the club's best since 1998.",
    "Cyclone warning: authorities evacuated 150,000 residents from coastal districts ahead of landfall on "
    "Thursday night. Wind speeds of 180 km/h are expected. Roughly a third of the evacuees are children.",
    "نزح أكثر من 20,000 شخص بسبب الفيضانات في المحافظة، وفقا للسلطات المحلية. Some 20,000 people were "
    "displaced by floods in the governorate, local authorities said.",
    "A wildfire destroyed 1,100 homes and left about 3,000 people homeless, officials said. Nearly "
    "twenty-five thousand residents were ordered to evacuate; half of them have returned.",
    "In 2023, 1.5 million people were internally displaced by conflict, up from 1,2 million in 2022, "
    "the report said, while 300k more were displaced by disasters.",
]

TRIGGERS = [
    "displaced",
    "fled their homes",
    "evacuated",
    "homeless",
    "houses destroyed",
    "forced to flee",
    "in relief camps",
    "déplacés",
    "sans-abri",
    "évacuées",
    "desplazados",
    "damnificados",
    "people",
    "families",
    "households",
    "refugees",
]
NUMBERS = [
    "1,2,3,4,5,6,7,8,9,10",
    "1.000.000",
    "12 000",
    "12\u202f000",
    "1e9",
    "٣٤٥٬٠٠٠",
    "99999999999999999999999999999999",
    "½",
    "twenty-five thousand",
    "hundreds of thousands",
    "1,5 millions",
    "between 10 and 5",
    "MMXXIV",
    "-4,000",
    "0",
    "000000",
    "3.4bn",
    "10k",
    "1,00,000",
    "2 lakh",
    "dos mil quinientos",
    "six cent trente-sept mille",
    "1/2",
    "12:30",
    "2024-03-01",
    "+44 20 7946 0958",
    "1,,,,2",
    "..5",
    "9" * 400,
    "thousand thousand thousand",
    "a million million",
    "up to 7 to 9",
]
SCRIPTS = [
    "العربية مرحبا بكم",
    "\u202eevil\u202c",
    "עברית שלום",
    "中文新闻报道",
    "हिन्दी समाचार",
    "👨‍👩‍👧‍👦🏳️‍🌈🔥",
    "Z̸̡̢͎a̴̛͚l̶̨̛g̷̢̛o̵̢͐",
    "\u200b\u200d\ufeff",
    "ＦＵＬＬＷＩＤＴＨ　１２，０００",
    "Ελληνικά νέα",
    "русский текст 5 000 человек",
    "\U0001f600" * 30,
]
CONTROL = [
    "\x00",
    "\x01",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\r",
    "\x0c",
]


ENTITIES = ["&amp;", "&#0;", "&#x10FFFF;", "&#xD800;", "&nbsp;", "&lt;div&gt;", "&bogus;", "&#99999999;"]


def _insert(rng: random.Random, text: str, piece: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + piece + text[at:]


def _byte_flips(rng: random.Random, text: str) -> str:
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    for _ in range(rng.randint(1, 1 + len(data) // 50)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return data.decode("utf-8", rng.choice(["replace", "surrogateescape", "ignore"]))


def _triggers(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 12)):
        text = _insert(rng, text, f" {rng.choice(NUMBERS)} {rng.choice(TRIGGERS)} ")
    return text


def _numbers(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 20)):
        text = _insert(rng, text, f" {rng.choice(NUMBERS)} ")
    return text


def _truncate(rng: random.Random, text: str) -> str:
    return (
        text[: rng.randrange(len(text) + 1)] if rng.random() < 0.5 else text[rng.randrange(len(text) + 1) :]
    )


def _html_wrap(rng: random.Random, text: str) -> str:
    choice = rng.randrange(6)
    if choice == 0:
        head = f"<html><head><title>{text[:60]}</title></head>"
        return f"{head}<body><article><p>{text}</p></article></body></html>"
    if choice == 1:
        depth = rng.choice([50, 1000, 10_000])
        return "<div>" * depth + text + "</div>" * (depth if rng.random() < 0.5 else 0)
    if choice == 2:
        return "<p><b><i><span>" + text.replace(" ", " <a href='x'>", rng.randint(0, 30)) + "<table><tr><td>"
    if choice == 3:
        flood = rng.choice(
            ["&amp;", "&#0;", "&#x10FFFF;", "&#xD800;", "&nbsp;", "&lt;div&gt;", "&bogus;", "&#99999999;"]
        )
        return f"<html><body><p>{flood * rng.choice([10, 1000, 50_000])}{text}</p></body></html>"
    if choice == 4:
        return (
            "<!DOCTYPE html><html><body><script>var x='</p>';</script><style>p{}</style><!-- "
            + text[:40]
            + f" --><p>{text}</p><![CDATA[{text[:50]}]]><svg><text>1,000 displaced</text></svg></body>"
        )
    return f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "{text[:20]}">]><x>&a;&a;{text}</x>'


def _encoding(rng: random.Random, text: str) -> str:
    codec = rng.choice(["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1", "utf-8-sig"])
    data = text.encode(codec, "replace")
    return data.decode(rng.choice(["latin-1", "cp1252", "utf-8"]), "replace")


def _control(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 10)):
        text = _insert(rng, text, rng.choice(CONTROL) * rng.randint(1, 5))
    return text


def _scripts(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 8)):
        text = _insert(rng, text, f" {rng.choice(SCRIPTS)} ")
    return text


def _long_line(rng: random.Random, text: str) -> str:
    line = text.replace("\n", " ")
    return line * max(1, rng.randint(20_000, 200_000) // max(1, len(line)))


def _binary(rng: random.Random, text: str) -> str:
    noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000)))
    return text + noise.decode("latin-1") if rng.random() < 0.5 else noise.decode("latin-1")


def _everywhere(rng: random.Random, text: str) -> str:
    if rng.random() < 0.5:
        return ",".join(str(i) for i in range(rng.randint(10, 20_000)))
    words = [rng.choice(TRIGGERS + NUMBERS) for _ in range(rng.randint(10, 5000))]
    return " ".join(words)


def _huge(rng: random.Random, text: str) -> str:
    size = rng.choice([1_000_000, 5_100_000])
    return (text + "\n\n") * (size // (len(text) + 2) + 1)


def _repeat_paragraphs(rng: random.Random, text: str) -> str:
    return "\n\n".join([text] * rng.randint(2, 60))


def _empty(rng: random.Random, text: str) -> str:
    return rng.choice(["", " ", "\n\n\n", "\t", "<html></html>", "<p></p>", "\u200b", "&nbsp;"])


Mutator = Callable[[random.Random, str], str]
#: (mutator, weight): cheap textual mutations dominate; costly ones are rare.
MUTATORS: list[tuple[Mutator, float]] = [
    (_byte_flips, 10),
    (_triggers, 14),
    (_numbers, 12),
    (_truncate, 8),
    (_html_wrap, 10),
    (_encoding, 6),
    (_control, 8),
    (_scripts, 8),
    (_long_line, 1.5),
    (_binary, 3),
    (_everywhere, 3),
    (_huge, 0.15),
    (_repeat_paragraphs, 3),
    (_empty, 1),
]
LANGUAGES = [None, None, None, "en", "fr", "es", "ar", "xx", "", "EN-us", "zh-Hant", "de"]


def make_document(index: int, seed: int = 0, profile: str = "full") -> Document:
    """The fuzz document number ``index``: deterministic, so any failure can be replayed."""
    rng = random.Random(f"{seed}:{index}:{profile}")
    text = rng.choice(SEEDS_TEXT)
    if rng.random() < 0.3:
        text = "\n\n".join(rng.sample(SEEDS_TEXT, rng.randint(2, 4)))
    funcs = [m for m, _ in MUTATORS]
    weights = [w / 20 if profile == "light" and m.__name__ in HEAVY else w for m, w in MUTATORS]
    for mutate in rng.choices(funcs, weights, k=rng.randint(1, 4)):
        text = mutate(rng, text)
    if profile == "light":
        text = text[:LIGHT_MAX_CHARS]
    as_html = rng.random() < 0.3
    title = rng.choice([None, text[:80], "<b>Title</b> &amp; more", "\x00", "🔥" * 300])
    published = rng.choice([None, dt.date(2024, 3, 1), dt.date(1, 1, 1), dt.date(9999, 12, 31)])
    return Document(
        id=f"fuzz-{seed}-{index}",
        text=None if as_html else text,
        html=text if as_html else rng.choice([None, "<p>fallback html 3,000 displaced</p>"]),
        url=rng.choice([None, "https://example.org/a", "not a url", "http://[::1]/x", "javascript:alert(1)"]),
        published=published,
        title=title,
        language=rng.choice(LANGUAGES),
    )


def contract_violations(result: ExtractionResult, document: Document) -> list[str]:
    """What in ``result`` breaks the output contract (empty when all is well)."""
    problems: list[str] = []
    if result.id != document.id:
        problems.append(f"id {result.id!r} != {document.id!r}")
    if result.error is not None:
        if not result.error.startswith("[DM"):
            problems.append(f"error without a code: {result.error[:80]!r}")
        if result.facts:
            problems.append("facts on an errored result")
        return problems
    if result.cause is not None and result.cause not in CAUSES:
        problems.append(f"cause {result.cause!r}")
    if result.hazard is not None and result.hazard not in HAZARDS:
        problems.append(f"hazard {result.hazard!r}")
    for number, fact in enumerate(result.facts):
        where = f"fact {number}"
        if result.text is None:
            problems.append(f"{where}: result has facts but no text")
        elif not (0 <= fact.start <= fact.end <= len(result.text)):
            problems.append(f"{where}: offsets {fact.start}:{fact.end} outside text of {len(result.text)}")
        elif result.text[fact.start : fact.end] != fact.quote:
            problems.append(f"{where}: text[start:end] != quote")
        if fact.figure is not None:
            if fact.figure < 0:
                problems.append(f"{where}: negative figure {fact.figure}")
            if fact.figure_min is not None and fact.figure_min > fact.figure:
                problems.append(f"{where}: figure_min {fact.figure_min} > figure {fact.figure}")
            if fact.figure_max is not None and fact.figure > fact.figure_max:
                problems.append(f"{where}: figure {fact.figure} > figure_max {fact.figure_max}")
        for name, value, allowed in (
            ("term", fact.term, TERMS),
            ("unit", fact.unit, UNITS),
            ("qualifier", fact.qualifier, QUALIFIERS),
            ("modality", fact.modality, MODALITIES),
        ):
            if value not in allowed:
                problems.append(f"{where}: {name} {value!r}")
        if fact.cause is not None and fact.cause not in CAUSES:
            problems.append(f"{where}: cause {fact.cause!r}")
        if fact.hazard is not None and fact.hazard not in HAZARDS:
            problems.append(f"{where}: hazard {fact.hazard!r}")
        if not 0.0 <= fact.confidence <= 1.0:
            problems.append(f"{where}: confidence {fact.confidence}")
    return problems


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so the pipeline's own handler cannot swallow it."""


@dataclass(slots=True)
class Outcome:
    index: int
    code: str | None
    seconds: float
    facts: int
    problem: str | None
    rss_mb: float


_PIPELINE = None
_SEED = 0
_PROFILE = "full"
_FAILURES: Path | None = None


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang(f"no result after {HANG_LIMIT_S} s")


def _init(seed: int, failures: Path | None, profile: str = "full") -> None:
    global _PIPELINE, _SEED, _FAILURES, _PROFILE
    from displacement_monitor.pipeline import Pipeline

    logging.disable(logging.CRITICAL)
    _PIPELINE, _SEED, _FAILURES, _PROFILE = Pipeline(), seed, failures, profile
    signal.signal(signal.SIGALRM, _on_alarm)


def _save(index: int, document: Document, problem: str) -> None:
    if _FAILURES is None:
        return
    _FAILURES.mkdir(parents=True, exist_ok=True)
    record = {
        "index": index,
        "seed": _SEED,
        "profile": _PROFILE,
        "problem": problem,
        "document": _document_json(document),
    }
    (_FAILURES / f"{_PROFILE}-{_SEED}-{index}.json").write_text(
        json.dumps(record, ensure_ascii=True)[:2_000_000]
    )


def _document_json(document: Document) -> dict[str, object]:
    return {
        "id": document.id,
        "text": document.text,
        "html": document.html,
        "url": document.url,
        "title": document.title,
        "language": document.language,
        "published": document.published.isoformat() if document.published else None,
    }


def run_one(index: int) -> Outcome:
    """Process fuzz document ``index`` in this worker and check the contract."""
    assert _PIPELINE is not None
    document = make_document(index, _SEED, _PROFILE)
    problem: str | None = None
    code: str | None = None
    facts = 0
    started = time.perf_counter()
    signal.alarm(HANG_LIMIT_S)
    try:
        result = _PIPELINE.process(document)
    except BaseException as err:
        signal.alarm(0)
        problem = f"{'timeout' if isinstance(err, Hang) else 'crash'}: {err!r}"
    else:
        signal.alarm(0)
        code = result.error[1:6] if result.error else None
        facts = len(result.facts)
        violations = contract_violations(result, document)
        if violations:
            problem = "contract: " + "; ".join(violations[:5])
    seconds = time.perf_counter() - started
    if problem is not None or code == "DM999" or seconds > SLOW_DOC_S:
        _save(
            index, document, problem or (f"slow: {seconds:.1f} s" if code != "DM999" else result.error or "")
        )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Outcome(index, code, seconds, facts, problem, rss_mb)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(
    docs: int,
    procs: int,
    seed: int,
    start: int = 0,
    failures: Path | None = None,
    profile: str = "full",
    max_seconds: float | None = None,
    partial: Path | None = None,
) -> dict[str, object]:
    """Fuzz ``docs`` documents on ``procs`` processes (stopping early after ``max_seconds``)."""
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    indices = range(start, start + docs)
    if procs <= 1:
        _init(seed, failures, profile)
        outcomes = [run_one(i) for i in indices]
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(procs, initializer=_init, initargs=(seed, failures, profile)) as pool:
            for number, outcome in enumerate(pool.imap_unordered(run_one, indices, chunksize=10), 1):
                outcomes.append(outcome)
                if number % 1000 == 0:
                    print(
                        f"{number}/{docs} in {time.perf_counter() - started:.0f} s",
                        file=sys.stderr,
                        flush=True,
                    )
                    if partial is not None:
                        figures = summarise(outcomes, time.perf_counter() - started, seed, profile, procs)
                        partial.write_text(json.dumps({"partial": True, **figures}, indent=2) + "\n")
                if max_seconds is not None and time.perf_counter() - started > max_seconds:
                    pool.terminate()
                    break
    return summarise(outcomes, time.perf_counter() - started, seed, profile, procs)


def summarise(
    outcomes: list[Outcome], elapsed: float, seed: int, profile: str, procs: int
) -> dict[str, object]:
    """The figures reported for a run: crashes, timeouts, errors by code, time per document, RSS."""
    seconds = [o.seconds for o in outcomes]
    problems = [o for o in outcomes if o.problem]
    codes = Counter(o.code or "ok" for o in outcomes)
    return {
        "docs": len(outcomes),
        "seed": seed,
        "profile": profile,
        "procs": procs,
        "crashes": sum(1 for o in problems if o.problem and o.problem.startswith("crash")),
        "timeouts": sum(1 for o in problems if o.problem and o.problem.startswith("timeout")),
        "contract_violations": sum(1 for o in problems if o.problem and o.problem.startswith("contract")),
        "internal_errors_dm999": codes.get("DM999", 0),
        "outcomes_by_code": dict(codes.most_common()),
        "error_rate_by_code": {k: round(v / len(outcomes), 4) for k, v in codes.most_common() if k != "ok"},
        "facts": sum(o.facts for o in outcomes),
        "docs_with_facts": sum(1 for o in outcomes if o.facts),
        "seconds_per_doc_p50": round(statistics.median(seconds), 5) if seconds else 0.0,
        "seconds_per_doc_p99": round(_percentile(seconds, 0.99), 4),
        "seconds_per_doc_max": round(max(seconds, default=0.0), 3),
        "seconds_per_doc_mean": round(statistics.fmean(seconds), 4) if seconds else 0.0,
        "slow_docs_over_10s": sum(1 for s in seconds if s > SLOW_DOC_S),
        "max_rss_mb_per_worker": round(max((o.rss_mb for o in outcomes), default=0.0), 1),
        "elapsed_s": round(elapsed, 1),
        "docs_per_s": round(len(outcomes) / elapsed, 1) if elapsed else 0.0,
        "problems": [{"index": o.index, "problem": o.problem} for o in problems[:50]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="first document index")
    parser.add_argument("--profile", choices=["full", "light"], default="full")
    parser.add_argument("--max-seconds", type=float, help="stop after this long and report what was done")
    parser.add_argument("--only", type=int, help="replay one document index and print the result")
    parser.add_argument("--output", type=Path, default=RESULTS / "fuzz-latest.json")
    args = parser.parse_args(argv)
    if args.only is not None:
        _init(args.seed, None, args.profile)
        outcome = run_one(args.only)
        document = make_document(args.only, args.seed, args.profile)
        print(json.dumps({"document": _document_json(document)})[:2000])
        print(outcome)
        return 1 if outcome.problem else 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    summary = run(
        args.docs,
        args.procs,
        args.seed,
        args.start,
        RESULTS / "fuzz-failures",
        args.profile,
        args.max_seconds,
        args.output,
    )
    args.output.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 1 if summary["crashes"] or summary["contract_violations"] or summary["timeouts"] else 0


if __name__ == "__main__":
    sys.exit(main())
