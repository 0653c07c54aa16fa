"""One document in, one ExtractionResult out: clean → analyse → geocode.

This is the library entry point every front end uses (``extract``, ``ingest``, the API, the Dask
runner). Models load once per ``Pipeline`` and are reused; a document that cannot be processed
yields a result with ``error`` set instead of raising, so a batch always goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from displacement_monitor.errors import DMError
from displacement_monitor.model import Document, ExtractionResult

if TYPE_CHECKING:
    from displacement_monitor.extract.engine import Engine

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PipelineOptions:
    """What a run may change; defaults suit a newcomer."""

    #: Resolve places with the offline gazetteer (off: countries only from the text's own words).
    geocode: bool = True
    #: Override the spaCy pipeline per language, e.g. {"en": "en_core_web_trf"}.
    models: dict[str, str] | None = None


class Pipeline:
    """Reusable extractor; construct once per process (models load lazily on first use)."""

    def __init__(self, options: PipelineOptions | None = None) -> None:
        self.options = options or PipelineOptions()
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        """The extraction engine; imported and built on first use so `--help` stays fast."""
        if self._engine is None:
            from displacement_monitor.extract.engine import Engine

            self._engine = Engine(self.options)
        return self._engine

    def process(self, document: Document) -> ExtractionResult:
        """Clean and analyse one document; failures become ``result.error``, never exceptions."""
        from displacement_monitor.text.clean import clean_document

        started = time.perf_counter()
        try:
            article = clean_document(document)
            cleaned = time.perf_counter()
            result = self.engine.analyse(article)
        except DMError as err:
            err.document_id = document.id
            return _failed(document, str(err), language=document.language)
        except Exception as err:  # a bug must not kill a batch of thousands: record it, go on
            log.exception("unexpected failure on document %s", document.id)
            return _failed(document, f"[DM999] internal error: {err!r}")
        finished = time.perf_counter()
        result.timings_ms = {"clean": (cleaned - started) * 1e3, "analyse": (finished - cleaned) * 1e3}
        return result

    def process_many(self, documents: Iterable[Document]) -> Iterator[ExtractionResult]:
        for document in documents:
            yield self.process(document)


def _failed(document: Document, error: str, *, language: str | None = None) -> ExtractionResult:
    """The output line of a document that could not be processed: its metadata and the error."""
    return ExtractionResult(
        id=document.id,
        url=document.url,
        published=document.published,
        title=document.title,
        language=language,
        error=error,
    )
