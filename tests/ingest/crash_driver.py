"""Run an ingest in its own process so tests can SIGKILL it (prints the summary as JSON)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.ingest.helpers import slow_cleaning_processor

from displacement_monitor.ingest.runner import IngestSources, run_ingest

if __name__ == "__main__":
    docs, db_url, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    summary = run_ingest(
        IngestSources(input=Path(docs)),
        database_url=db_url,
        workers=workers,
        pipeline_factory=slow_cleaning_processor,
    )
    print(json.dumps(summary.as_dict()))
