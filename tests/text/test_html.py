"""HTML detection and extraction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from displacement_monitor.text.html import html_to_text, looks_like_html, strip_tags


def test_html_looks_like_html_for_a_news_page(news_page: str) -> None:
    assert looks_like_html(news_page)


@pytest.mark.parametrize(
    "text",
    [
        "<html><body><p>Hello</p></body></html>",
        "  <?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html><html><p>x</p></html>",
        "<div><p>First paragraph of the story.</p><p>Second paragraph.</p></div>",
    ],
)
def test_html_looks_like_html_for_pages(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "Officials said 3 < 5 and 7 > 2 in the count.",
        "The <b>bold</b> claim: 2,000 people fled.",
        "Plain text with no tags at all.\n\nAnother paragraph.",
        "<Reuters> reported that 300 families left. </p> stray",
    ],
)
def test_html_looks_like_html_rejects_plain_text(text: str) -> None:
    assert not looks_like_html(text)


def test_html_to_text_returns_body_and_metadata(news_page: str) -> None:
    extracted = html_to_text(news_page)
    assert "12,000\npeople" not in extracted.text  # paragraphs are single lines
    assert "about 12,000 people had left their homes" in extracted.text.replace("\n", " ")
    assert "tracking code" not in extracted.text
    assert extracted.title == "Floods force 12,000 from homes in Riverton"
    assert extracted.author == "Jane Writer"
    assert extracted.method == "trafilatura"


def test_html_strip_tags_drops_scripts_and_chrome() -> None:
    text = strip_tags("<html><body><nav>Menu</nav><p>One.</p><p>Two.</p><script>bad()</script></body></html>")
    assert [line for line in text.split("\n") if line.strip()] == ["One.", "Two."]


def test_html_to_text_survives_xml_declaration_and_empty_pages() -> None:
    assert (
        "Words"
        in html_to_text("<?xml version='1.0' encoding='utf-8'?><html><body><p>Words</p></body></html>").text
    )
    assert html_to_text("<html></html>").text.strip() == ""


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500))
def test_html_to_text_never_raises(markup: str) -> None:
    assert isinstance(html_to_text(markup).text, str)
    assert isinstance(looks_like_html(markup), bool)
