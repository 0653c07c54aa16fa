"""The FastAPI application: JSON API under ``/api``, the dashboard at ``/``, OpenAPI at ``/openapi.json``."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from displacement_monitor.api.events_view import EventsView
from displacement_monitor.api.routers import articles, documents, events, exports, facts, stats
from displacement_monitor.api.settings import Settings, get_settings
from displacement_monitor.errors import ConfigError, DMError, InputError, StoreError
from displacement_monitor.model import Document, ExtractionResult
from displacement_monitor.store import open_store

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
#: Scripts only from our origin: even if data slipped into markup it could not run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class DocumentProcessor(Protocol):
    def process(self, document: Document) -> ExtractionResult: ...


def _lazy_pipeline(factory: Callable[[], DocumentProcessor] | None) -> Callable[[], DocumentProcessor]:
    """The extraction pipeline, built on first submission (models are slow to load) and shared."""
    lock = threading.Lock()
    built: list[DocumentProcessor] = []

    def get() -> DocumentProcessor:
        with lock:
            if not built:
                if factory is not None:
                    built.append(factory())
                else:
                    from displacement_monitor.pipeline import Pipeline

                    built.append(Pipeline())
            return built[0]

    return get


def create_app(
    settings: Settings | str | None = None,
    *,
    pipeline_factory: Callable[[], DocumentProcessor] | None = None,
) -> FastAPI:
    """The app for ``settings`` (or a database URL; default: the environment's settings)."""
    if isinstance(settings, str):
        settings = Settings.from_env(settings)
    resolved = settings or get_settings()
    store = open_store(resolved.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="Displacement Monitor",
        version="0.1.0",
        summary="Evidence-backed, geolocated reports of people displaced by conflict and disasters.",
        lifespan=lifespan,
        # FastAPI parses a JSON body before it checks the token: refuse huge bodies (413) unread
        max_body_size=resolved.max_request_bytes,
    )
    app.state.settings = resolved
    app.state.store = store
    app.state.events = EventsView(store)
    app.state.pipeline = _lazy_pipeline(pipeline_factory)
    for module in (facts, articles, events, stats, exports, documents):
        app.include_router(module.router)

    @app.exception_handler(DMError)
    async def dm_error(_request: Request, err: DMError) -> JSONResponse:
        code = (
            503 if isinstance(err, StoreError) else 422 if isinstance(err, InputError | ConfigError) else 500
        )
        return JSONResponse({"detail": str(err)}, status_code=code)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app


def serve(database_url: str | None = None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """``serve``: run the API and dashboard with uvicorn until interrupted."""
    import uvicorn

    if port < 0 or port > 65535:
        raise ConfigError(f"invalid port {port}")
    app = create_app(Settings.from_env(database_url))
    print(f"Dashboard: http://{host}:{port}/", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
