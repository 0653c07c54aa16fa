"""Reading local inputs: every file becomes a Document or an InputFailure, in order, never an exception."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from displacement_monitor.errors import BinaryDocument, UndecodableDocument
from displacement_monitor.ingest.files import InputFailure, decode_bytes, iter_jsonl, read_inputs
from displacement_monitor.model import Document

STORY = "Officials said 2,500 residents would leave the district today.\n"


def ids(items: list[Document | InputFailure]) -> list[str]:
    return [item.id for item in items]


def test_files_reads_text_html_and_jsonl_in_order(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "page.html").write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    lines = [
        {"id": "a1", "text": "First.", "published": "2017-05-20", "language": "en"},
        {"html": "<p>Second.</p>"},
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    items = list(read_inputs([tmp_path / "story.txt", tmp_path / "page.html", tmp_path / "batch.jsonl"]))
    assert ids(items) == ["story", "page", "a1", "batch:2"]
    story, page, first, second = items
    assert isinstance(story, Document) and story.text == STORY and story.html is None
    assert isinstance(page, Document) and page.html and page.text is None
    assert isinstance(first, Document) and str(first.published) == "2017-05-20" and first.language == "en"
    assert isinstance(second, Document) and second.html == "<p>Second.</p>"


def test_files_recurses_folders_sorted_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(STORY)
    (tmp_path / "b" / "a.htm").write_text("<p>x</p>")
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "notes.md").write_text("ignored")
    (tmp_path / ".hidden.txt").write_text(STORY)
    assert ids(list(read_inputs([tmp_path]))) == ["a", "a", "z"]


def test_files_reports_bad_jsonl_lines_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "ok1", "text": "Fine."}),
                "{not json",
                "[1, 2]",
                json.dumps({"id": "empty", "text": "   "}),
                json.dumps({"url": "https://example.org"}),
                json.dumps({"text": "Also fine."}),
            ]
        ),
        encoding="utf-8",
    )
    items = list(read_inputs([], jsonl_input=path))
    assert ids(items) == ["ok1", "mixed:2", "mixed:3", "empty", "mixed:5", "mixed:6"]
    failures = [item for item in items if isinstance(item, InputFailure)]
    assert len(failures) == 4
    assert "not valid JSON" in failures[0].error and failures[0].error.startswith("[DM100]")
    assert "not an object" in failures[1].error
    assert "neither 'text' nor 'html'" in failures[2].error and failures[2].error.startswith("[DM101]")
    assert all(f.path == str(path) for f in failures)


def test_files_reads_jsonl_from_stdin_once(tmp_path: Path) -> None:
    stdin = io.StringIO('{"text": "From stdin."}\n{"id": "s2", "text": "Again."}\n')
    (tmp_path / "x.txt").write_text(STORY)
    items = list(read_inputs(["-", tmp_path / "x.txt"], jsonl_input="-", stdin=stdin))
    assert ids(items) == ["stdin:1", "s2", "x"]


def test_files_reads_explicit_jsonl_input_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "export.ndjson"
    path.write_text('{"text": "One."}\n')
    assert ids(list(read_inputs([], jsonl_input=path))) == ["export:1"]


def test_files_reports_unknown_missing_binary_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "empty.txt").write_text("  \n")
    items = list(
        read_inputs(
            [
                tmp_path / "report.pdf",
                tmp_path / "missing.txt",
                tmp_path / "image.txt",
                tmp_path / "empty.txt",
            ]
        )
    )
    assert ids(items) == ["report", "missing", "image", "empty"]
    assert all(isinstance(item, InputFailure) for item in items)
    errors = [item.error for item in items if isinstance(item, InputFailure)]
    assert ".txt, .html, .htm, .jsonl" in errors[0]
    assert "no such file" in errors[1]
    assert errors[2].startswith("[DM102]")
    assert errors[3].startswith("[DM101]")


def test_files_refuses_huge_files_without_reading_them(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(6_000_000)  # sparse: size without content
    (item,) = read_inputs([path])
    assert (
        isinstance(item, InputFailure)
        and item.error.startswith("[DM103]")
        and "6,000,000 bytes" in item.error
    )
    (small,) = read_inputs([tmp_path / "huge.txt"], max_bytes=10_000_000)  # within a raised limit: read
    assert isinstance(small, InputFailure) and small.error.startswith("[DM102]")  # all NUL bytes


def test_files_refuses_over_long_jsonl_lines_and_continues(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "x" * 500}) + "\n" + json.dumps({"text": "short"}) + "\n")
    items = list(read_inputs([path], max_bytes=100))
    assert ids(items) == ["long:1", "long:2"]
    assert isinstance(items[0], InputFailure) and items[0].error.startswith("[DM103]")
    assert isinstance(items[1], Document)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Déplacés: 10 288".encode(), "Déplacés: 10 288"),
        ("\ufeffWith BOM".encode(), "With BOM"),
        ("Déplacés à Montréal".encode("utf-16"), "Déplacés à Montréal"),
        (
            "Les déplacés ont quitté la région après les inondations de l'été.".encode("cp1252"),
            "Les déplacés ont quitté la région après les inondations de l'été.",
        ),
    ],
)
def test_files_decode_bytes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_files_decode_html_uses_meta_charset() -> None:
    page = '<html><head><meta charset="iso-8859-15"></head><body>Coût: 5 €</body></html>'
    assert decode_bytes(page.encode("iso-8859-15"), html=True) == page


def test_files_decode_refuses_binary() -> None:
    with pytest.raises(BinaryDocument):
        decode_bytes(b"abc\x00def")
    with pytest.raises(UndecodableDocument):
        decode_bytes(b"\xff\xfe\x00")  # UTF-16 BOM with half a character


def test_files_txt_decoded_with_fallback(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("Des familles déplacées à l'école du quartier.".encode("cp1252"))
    (item,) = read_inputs([tmp_path / "latin.txt"])
    assert isinstance(item, Document) and item.text == "Des familles déplacées à l'école du quartier."


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(max_size=80), st.binary(max_size=80).map(lambda b: b.decode("latin-1"))),
        max_size=10,
    )
)
def test_files_jsonl_fuzz_never_raises(lines: list[str]) -> None:
    payload = "\n".join(line.replace("\n", " ") for line in lines).encode("utf-8", "surrogatepass")
    items = list(iter_jsonl(io.BytesIO(payload), id_prefix="fuzz"))
    assert all(isinstance(item, Document | InputFailure) for item in items)
