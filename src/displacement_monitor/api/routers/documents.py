"""Submit one document (text, HTML or a URL) for processing; analysts only."""

from __future__ import annotations

import hashlib
import re
import uuid

from fastapi import APIRouter, HTTPException, Request, status

from displacement_monitor.api.deps import AnalystDep, SettingsDep, StoreDep
from displacement_monitor.api.schemas import DocumentIn, DocumentOut
from displacement_monitor.errors import DMError
from displacement_monitor.ingest.web import HTML_TYPES, Fetcher, FetchPolicy, canonical_url
from displacement_monitor.model import Document
from displacement_monitor.store import ArticleRecord

router = APIRouter(prefix="/api", tags=["documents"])
_SPACES = re.compile(r"\s+")


def _fetch(document: Document, allow_loopback: bool) -> tuple[Document, str]:
    assert document.url is not None
    with Fetcher(FetchPolicy(allow_loopback=allow_loopback)) as fetcher:
        fetched = fetcher.fetch(document.url, accept=HTML_TYPES)
        body = fetched.text()
    if fetched.content_type == "text/plain":
        document.text = body
    else:
        document.html = body
    document.url = fetched.final_url
    return document, canonical_url(fetched.final_url)


@router.post(
    "/documents",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        401: {"description": "no or bad token"},
        403: {"description": "not an analyst"},
        422: {"description": "nothing to process, or the URL could not be fetched"},
    },
)
def submit_document(
    body: DocumentIn, request: Request, caller: AnalystDep, store: StoreDep, settings: SettingsDep
) -> DocumentOut:
    """Clean, extract and store one document; a URL is fetched through the SSRF guard first."""
    if not (body.text or body.html or body.url):
        raise HTTPException(422, "give text, html or url")
    document = Document(
        id=body.id or f"api-{uuid.uuid4().hex[:12]}",
        text=body.text,
        html=body.html,
        url=body.url,
        title=body.title,
        published=body.published,
        language=body.language,
        source=f"api:{caller.name}",
    )
    canonical = canonical_url(body.url) if body.url else None
    if body.url and not (body.text or body.html):
        try:
            document, canonical = _fetch(document, settings.allow_loopback_fetch)
        except DMError as err:
            raise HTTPException(422, str(err)) from err
    raw = document.text or document.html or ""
    digest = (
        hashlib.sha256(_SPACES.sub(" ", raw).strip().encode("utf-8")).hexdigest() if raw.strip() else None
    )
    result = request.app.state.pipeline().process(document)
    source_id = store.ensure_source("api", "api", "submitted through the API")
    record = ArticleRecord(
        external_id=document.id,
        url=document.url,
        canonical_url=canonical,
        content_hash=digest,
        source_id=source_id,
    )
    outcome = store.save_result(result, record)
    stored = store.get_result(document.id) if outcome.created else None
    fact_ids = stored.fact_ids if stored is not None and stored.article_id == outcome.article_id else []
    return DocumentOut(
        article_id=outcome.article_id,
        external_id=document.id,
        created=outcome.created,
        relevant=result.relevant,
        fact_ids=fact_ids,
        error=result.error,
    )
