"""Text stage: a Document becomes the cleaned Article whose text every offset refers to."""

from displacement_monitor.text.clean import MAX_DOCUMENT_SIZE, CleanOptions, clean_document
from displacement_monitor.text.html import ExtractedHtml, html_to_text, looks_like_html
from displacement_monitor.text.language import detect_language, normalise_language_code

__all__ = [
    "MAX_DOCUMENT_SIZE",
    "CleanOptions",
    "ExtractedHtml",
    "clean_document",
    "detect_language",
    "html_to_text",
    "looks_like_html",
    "normalise_language_code",
]
