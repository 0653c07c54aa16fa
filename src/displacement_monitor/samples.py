"""Sample documents bundled with the package (written for the project) for `demo` and `make run`."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from displacement_monitor.model import Document, document_from_dict


def samples_path() -> Path:
    """The bundled sample corpus as a file on disk (the package is installed unzipped)."""
    return Path(str(resources.files("displacement_monitor").joinpath("data/samples.jsonl")))


def sample_documents() -> list[Document]:
    text = resources.files("displacement_monitor").joinpath("data/samples.jsonl").read_text(encoding="utf-8")
    return [
        document_from_dict(json.loads(line), default_id=f"sample-{i}")
        for i, line in enumerate(text.splitlines())
        if line.strip()
    ]
