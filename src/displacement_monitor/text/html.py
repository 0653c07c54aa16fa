"""HTML page → main text and metadata.

trafilatura finds the article body and drops navigation, footers and share widgets; when it finds
nothing (tiny pages, fragments, unusual markup) a plain tag stripper keeps whatever text there is,
so an HTML input never yields less than its visible words.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from displacement_monitor.model import parse_date

log = logging.getLogger(__name__)

#: Markers that only a real HTML page (or a substantial fragment) starts with or contains early on.
_PAGE_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
_PAGE_TAG = re.compile(r"<(?:html|head|body)[\s>]|<meta\s[^>]*charset|</(?:head|body|html)>", re.I)
_BLOCK_TAG = re.compile(r"</(?:p|div|li|h[1-6]|td|article|section)>|<br\s*/?>", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,400}>")
#: Characters libxml2 refuses in text nodes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Elements whose text is never part of the visible article.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head")
#: Page chrome dropped by the fallback stripper (trafilatura has its own, smarter rules).
_CHROME = ("nav", "footer", "aside", "form", "button", "select")
_BLOCK_ELEMENTS = (
    *("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"),
    *("article", "header", "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption", "main", "hr"),
)


@dataclass(slots=True)
class ExtractedHtml:
    """What a page says: the main text (one paragraph per line) and the metadata found in it."""

    text: str
    title: str | None = None
    published: dt.date | None = None
    author: str | None = None
    #: "trafilatura" or "fallback": which extractor produced ``text``.
    method: str = "trafilatura"


def looks_like_html(text: str) -> bool:
    """True for an HTML page (or a fragment built of block tags) passed where plain text was expected.

    Plain text quoting an occasional ``<b>`` must stay plain text, so the test asks for a page
    preamble, or for a text that starts with a tag and is made of several block elements.
    """
    head = text[:4000]
    if _PAGE_START.match(head) or _PAGE_TAG.search(head):
        return True
    stripped = head.lstrip()
    if not stripped.startswith("<"):
        return False
    blocks = len(_BLOCK_TAG.findall(head))
    if blocks < 2:
        return False
    tags_chars = sum(len(m) for m in _ANY_TAG.findall(head))
    return tags_chars >= 0.05 * len(head)


def html_to_text(html: str, *, favor_recall: bool = True) -> ExtractedHtml:
    """Main text (paragraphs as lines) plus title, publication date and author of an HTML page."""
    extracted = _extract_with_trafilatura(html, favor_recall=favor_recall)
    if extracted is not None and extracted.text.strip():
        return extracted
    fallback_text = strip_tags(html)
    if extracted is not None:  # metadata found, body not: keep the metadata
        extracted.text, extracted.method = fallback_text, "fallback"
        return extracted
    return ExtractedHtml(text=fallback_text, title=_fallback_title(html), method="fallback")


def _extract_with_trafilatura(html: str, *, favor_recall: bool) -> ExtractedHtml | None:
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html,
            favor_recall=favor_recall,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            with_metadata=True,
            # the publication date anchors relative dates: only trust explicit page metadata
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # trafilatura failing on odd markup must not lose the page
        log.debug("trafilatura failed, using the tag stripper: %r", err)
        return None
    if result is None:
        return None
    text = getattr(result, "text", None) or ""
    return ExtractedHtml(
        text=text,
        title=_clean_meta(getattr(result, "title", None)),
        published=parse_date(getattr(result, "date", None)),
        author=_clean_meta(getattr(result, "author", None)),
    )


def _clean_meta(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _parse(html: str):  # type: ignore[no-untyped-def]
    import lxml.etree
    import lxml.html

    # lxml refuses str input that declares an encoding; the text is already decoded, drop it
    html = _NOT_XML.sub("", re.sub(r"^\s*<\?xml[^>]*>", "", html))
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return None


def strip_tags(html: str) -> str:
    """Visible text of a page or fragment, one block element per line, without scripts or chrome."""
    root = _parse(html)
    if root is None:
        return _ANY_TAG.sub(" ", html)
    try:
        for element in list(root.iter(*_INVISIBLE, *_CHROME)):
            if element.getparent() is not None:
                element.drop_tree()
        for element in root.iter(*_BLOCK_ELEMENTS):
            # a newline before each block keeps paragraphs apart in text_content()
            element.tail = "\n" + (element.tail or "")
        return str(root.text_content())
    except ValueError:  # libxml2 refusing some text: a cruder result beats none
        return _ANY_TAG.sub(" ", html)


def _fallback_title(html: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", html[:20000], re.I | re.S)
    if not match:
        return None
    import html as html_lib

    return _clean_meta(html_lib.unescape(_ANY_TAG.sub(" ", match.group(1))))
