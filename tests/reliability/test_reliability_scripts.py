"""The reliability benchmarks' own logic: the contract checker catches breaches, soak input is distinct."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from displacement_monitor.model import ExtractionResult, Fact

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load("fuzz_pipeline")
soak = _load("soak_ingest")


def _fact(**changes: object) -> Fact:
    values: dict[str, object] = {
        "figure": 300,
        "figure_min": None,
        "figure_max": None,
        "qualifier": "exact",
        "unit": "person",
        "term": "displaced",
        "modality": "reported",
        "quote": "300 people fled",
        "start": 0,
        "end": 15,
    }
    values.update(changes)
    return Fact(**values)


def test_contract_check_accepts_a_good_result() -> None:
    document = fuzz.make_document(1)
    result = ExtractionResult(id=document.id, text="300 people fled today", facts=[_fact()])
    assert fuzz.contract_violations(result, document) == []


def test_contract_check_catches_each_breach() -> None:
    document = fuzz.make_document(1)
    text = "300 people fled today"
    breaches = [
        ExtractionResult(id=document.id, error="plain message"),
        ExtractionResult(id=document.id, text=text, facts=[_fact(start=1)]),
        ExtractionResult(id=document.id, text=text, facts=[_fact(figure_min=400)]),
        ExtractionResult(id=document.id, text=text, facts=[_fact(figure_max=200)]),
        ExtractionResult(id=document.id, text=text, facts=[_fact(term="moved")]),
        ExtractionResult(id=document.id, text=text, facts=[_fact(end=99)]),
        ExtractionResult(id="other", text=text),
    ]
    for result in breaches:
        assert fuzz.contract_violations(result, document), result


def test_fuzz_documents_are_reproducible_and_varied() -> None:
    assert fuzz.make_document(42) == fuzz.make_document(42)
    sources = {(d.text or d.html or "")[:200] for d in map(fuzz.make_document, range(50))}
    assert len(sources) > 40
    light = [fuzz.make_document(i, profile="light") for i in range(200)]
    assert max(len(d.text or d.html or "") for d in light) <= fuzz.LIGHT_MAX_CHARS


def test_soak_input_has_distinct_ids_urls_and_texts(tmp_path: Path) -> None:
    stream = tmp_path / "stream.jsonl"
    stream.write_text(
        json.dumps({"id": "a", "language": "en", "text": "First story."})
        + "\n"
        + json.dumps({"id": "b", "language": "fr", "text": "Deuxième article."})
        + "\n"
    )
    out = tmp_path / "soak.jsonl"
    assert soak.write_input(out, 5, stream) == 5
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert (
        len({r["id"] for r in records})
        == len({r["url"] for r in records})
        == len({r["text"] for r in records})
        == 5
    )
