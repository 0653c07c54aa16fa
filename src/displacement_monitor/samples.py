"""Sample documents bundled with the package (written for the project) for `demo` and `make run`."""

from __future__ import annotations

import json
from importlib import resources

from displacement_monitor.model import Document, document_from_dict


def sample_documents() -> list[Document]:
    text = resources.files("displacement_monitor").joinpath("data/samples.jsonl").read_text(encoding="utf-8")
    return [
        document_from_dict(json.loads(line), default_id=f"sample-{i}")
        for i, line in enumerate(text.splitlines())
        if line.strip()
    ]
