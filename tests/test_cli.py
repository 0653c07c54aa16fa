"""The command line as a user meets it: real files, real output, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from displacement_monitor.cli import app

runner = CliRunner()


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_cli_help_teaches_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "evaluate", "demo"):
        assert command in result.output
    assert "Examples" in runner.invoke(app, ["extract", "--help"]).output


def test_cli_extract_jsonl_keeps_input_order_and_ids(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        "\n".join(
            json.dumps(d)
            for d in [
                {
                    "id": "b",
                    "text": "More than 4,000 people were evacuated after the floods.",
                    "language": "en",
                    "published": "2024-03-02",
                    "extra": 1,
                },
                {"id": "a", "text": "The council approved the new budget on Tuesday.", "language": "en"},
            ]
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["extract", "--input", str(docs)])
    assert result.exit_code == 0, result.output
    out = lines(result.output)
    assert [d["id"] for d in out] == ["b", "a"]
    assert out[0]["relevant"] and out[0]["facts"][0]["figure"] == 4000
    assert out[1]["facts"] == [] and out[1]["relevant"] is False


def test_cli_bad_documents_get_an_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Floods forced 2,500 people to flee their homes.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (tmp_path / "latin.txt").write_bytes("Inondations : 1 200 personnes évacuées à Nîmes.".encode("cp1252"))
    (tmp_path / "huge.txt").write_bytes(b"a " * 3_000_000)
    (tmp_path / "broken.jsonl").write_text(
        '{"id": "ok", "text": "Nothing here."}\n{not json\n[1, 2]\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = {d["id"]: d for d in lines(result.output)}
    assert out["good"]["facts"] and "error" not in out["good"]
    assert out["latin"]["facts"][0]["figure"] == 1200
    for bad in ("empty", "binary", "huge"):
        assert out[bad]["error"].startswith("[DM1"), out[bad]
    assert sum("error" in d for d in out.values()) >= 5
    assert "Traceback" not in result.output


def test_cli_exit_code_is_non_zero_only_when_every_document_failed(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert lines(result.output)[0]["error"]


def test_cli_user_errors_are_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output and "Traceback" not in result.output
    assert runner.invoke(app, ["extract"]).exit_code == 2
    assert runner.invoke(app, ["extract", str(tmp_path), "--format", "xml"]).exit_code == 2


def test_cli_with_text_prints_the_cleaned_text_offsets_refer_to(tmp_path: Path) -> None:
    path = tmp_path / "dup.txt"
    para = "More than 4,000 people were evacuated after the floods in the valley."
    path.write_text(f"{para}\n{para}\n", encoding="utf-8")
    (doc,) = lines(runner.invoke(app, ["extract", str(path), "--with-text"]).output)
    fact = doc["facts"][0]
    assert doc["text"].count("4,000") == 1
    assert doc["text"][fact["start"] : fact["end"]] == fact["quote"]


def test_cli_table_format_and_demo_run() -> None:
    result = runner.invoke(app, ["demo"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "evacuated" in result.output


def test_cli_ingest_events_export_round_trip(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'dm.db'}"
    first = runner.invoke(app, ["ingest", "--samples", "--db", db, "--no-progress"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["ingest", "--samples", "--db", db, "--no-progress"])
    assert "8 already stored" in again.output
    events = [
        json.loads(line)
        for line in runner.invoke(app, ["events", "--db", db, "--format", "jsonl"]).stdout.splitlines()
    ]
    assert events and all(e["event_id"] and e["name"] and e["articles"] for e in events)
    assert any("sample-en-flood" in e["articles"] for e in events)
    facts = runner.invoke(app, ["export", "facts", "--format", "csv", "--db", db]).stdout.splitlines()
    assert facts[0].startswith("id,") and len(facts) > 10
    articles = lines(runner.invoke(app, ["export", "articles", "--db", db]).stdout)
    assert {a["id"] for a in articles} >= {"sample-en-flood", "sample-fr-cyclone", "sample-es-landslide"}
    geojson = json.loads(runner.invoke(app, ["export", "events", "--format", "geojson", "--db", db]).stdout)
    assert geojson["type"] == "FeatureCollection" and geojson["features"]


def test_cli_events_merge_and_split_persist(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'dm.db'}"
    assert runner.invoke(app, ["ingest", "--samples", "--db", db, "--no-progress"]).exit_code == 0

    def current() -> list[dict]:
        return [
            json.loads(x)
            for x in runner.invoke(app, ["events", "--db", db, "--format", "jsonl"]).stdout.splitlines()
        ]

    before = current()
    first, second = before[0]["event_id"], before[1]["event_id"]
    merged = runner.invoke(app, ["events", "merge", first, second, "--note", "one happening", "--db", db])
    assert merged.exit_code == 0, merged.output
    after = current()
    assert len(after) == len(before) - 1
    joined = next(e for e in after if set(before[0]["articles"]) <= set(e["articles"]))
    assert set(before[1]["articles"]) <= set(joined["articles"])
    article = before[1]["articles"][0]
    assert runner.invoke(app, ["events", "split", article, "--db", db]).exit_code == 0
    assert any(e["articles"] == [article] for e in current())
    bad = runner.invoke(app, ["events", "merge", "nope-1", "nope-2", "--db", db])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
