"""Test helpers: a real HTTP server on loopback and a light document processor.

The processor runs the real cleaning stage and reports one hand-made fact when the text says
"<n> people were displaced", so ingest behaviour is tested without waiting for the NLP models;
one end-to-end test runs the real Pipeline.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

from displacement_monitor.errors import DMError
from displacement_monitor.model import Document, ExtractionResult, Fact
from displacement_monitor.text.clean import clean_document

_DISPLACED = re.compile(r"(\d[\d,]*) people were displaced")


class CleaningProcessor:
    """Real cleaning, a toy extractor: enough to exercise storage of processed documents."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def process(self, document: Document) -> ExtractionResult:
        if self.delay:
            time.sleep(self.delay)
        try:
            article = clean_document(document)
        except DMError as err:
            return ExtractionResult(id=document.id, url=document.url, error=str(err))
        facts = [
            Fact(
                figure=int(m.group(1).replace(",", "")),
                figure_min=None,
                figure_max=None,
                qualifier="exact",
                unit="person",
                term="displaced",
                modality="reported",
                quote=m.group(0),
                start=m.start(),
                end=m.end(),
            )
            for m in _DISPLACED.finditer(article.text)
        ]
        return ExtractionResult(
            id=document.id,
            language=article.language,
            relevant=bool(facts),
            title=article.title,
            url=article.url,
            published=article.published,
            facts=facts,
            text=article.text,
        )


def cleaning_processor() -> CleaningProcessor:
    return CleaningProcessor()


def slow_cleaning_processor() -> CleaningProcessor:
    return CleaningProcessor(delay=0.05)


@dataclass
class Route:
    body: bytes | Callable[[BaseHTTPRequestHandler], None]
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Route]] = {}

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        if callable(route.body):
            route.body(self)
            return
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(route.body)))
        for key, value in route.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(route.body)


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[str]:
    """Serve ``routes`` on 127.0.0.1 (random port) in a thread; yields the base URL."""
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}"
        "</article></body></html>"
    ).encode()


def story(n: int, place: str = "Riverton") -> str:
    """A news-like text we wrote ourselves, different for each ``n``."""
    return (
        f"Heavy rain hit the valley of {place} on Monday, officials said in report number {n}.\n\n"
        f"Local authorities said {1000 + n} people were displaced after the river burst its banks "
        f"and flooded the lower districts of {place}. Emergency teams set up shelters in schools and "
        "community halls while volunteers distributed food, water and blankets to families.\n\n"
        f"The regional governor visited the area on Tuesday and promised help for item {n}."
    )
