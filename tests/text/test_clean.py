"""Cleaning turns scraped input into the text every offset refers to."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from displacement_monitor.errors import BinaryDocument, DMError, DocumentTooLarge, EmptyDocument
from displacement_monitor.model import Document
from displacement_monitor.text.clean import CleanOptions, clean_document

ARTICLE = (
    "Storm leaves thousands homeless on the coast\n"
    "2 min read\n"
    "A tropical storm destroyed more than 3,000 houses along the northern coast on Friday, "
    "officials said.\n"
    "Share this article\n"
    "About 15,000 people are staying in evacuation centres, according to the disaster agency.\n"
    "Advertisement\n"
    "Aid groups said clean water was the most urgent need in the camps.\n"
)


def clean(text: str | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    return clean_document(Document(id="t", text=text, **kwargs))  # type: ignore[arg-type]


def paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def test_clean_seed_keeps_each_paragraph_once(shared_dir: Path) -> None:
    raw = (shared_dir / "data" / "seed" / "al-waer-2017.txt").read_text(encoding="utf-8")
    article = clean_document(Document(id="seed", text=raw))
    lines = paragraphs(article.text)
    assert len(lines) == len(set(lines))
    assert "Breadcrumb" not in lines and "2 min read" not in lines
    assert article.text.count("2,500 residents") == 1
    assert article.text.startswith("Last Homs residents leave")
    assert article.cleaning["duplicate_paragraphs"] == 8
    assert article.cleaning["boilerplate_lines"] == 2
    assert article.language == "en"


def test_clean_removes_boilerplate_lines_only() -> None:
    article = clean(ARTICLE)
    assert paragraphs(article.text) == [
        "Storm leaves thousands homeless on the coast",
        "A tropical storm destroyed more than 3,000 houses along the northern coast on Friday, "
        "officials said.",
        "About 15,000 people are staying in evacuation centres, according to the disaster agency.",
        "Aid groups said clean water was the most urgent need in the camps.",
    ]
    assert article.cleaning["boilerplate_lines"] == 3


@pytest.mark.parametrize(
    "line",
    [
        "Breadcrumb",
        "5 minute read",
        "Share on Facebook",
        "Share on Twitter",
        "Facebook Twitter WhatsApp Email",
        "Subscribe to our newsletter",
        "Sign up",
        "Read more",
        "Read more: Earlier floods displaced 4,000 people",
        "ADVERTISEMENT",
        "Click here to donate",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Please log in, or sign up for a new account to continue reading.",
        "Copyright © 2024 Example Media Ltd",
        "All rights reserved.",
        "Lire aussi : Des milliers de déplacés dans le nord",
        "Partager",
        "Publicité",
        "Compartir",
        "Lea también: Lluvias dejan 200 familias damnificadas",
        "Suscríbete",
        "Tiempo de lectura: 3 min",
        "Image source, Example Agency",
        "Photo: AFP",
    ],
)
def test_clean_drops_boilerplate_line(line: str) -> None:
    text = f"Officials said 2,000 families fled the fighting in the north.\n{line}\nThe camps are full."
    assert line not in clean(text).text


@pytest.mark.parametrize(
    "line",
    [
        "Published 12 March 2024, 10:42",
        "By Jane Writer, Reuters",
        "Share prices fell sharply as 5,000 workers left the flooded factory district.",
        "Photo: a family of five walks to the camp after soldiers burned 300 houses.",
        "(c) 2,000 households were moved to the new site",
        "Read the statement, the minister said, before deciding on the evacuation.",
        "Advertisement boards were blown away by the storm.",
        "Shareholders approved the plan to relocate 200 families.",
    ],
)
def test_clean_keeps_content_lines(line: str) -> None:
    text = f"Officials said 2,000 families fled the fighting in the north.\n{line}\nThe camps are full."
    assert line in clean(text).text


def test_clean_drops_repeated_headline_and_duplicates_ignoring_case_and_spacing() -> None:
    text = (
        "Floods displace thousands\n\n"
        "Floods displace thousands\n\n"
        "More than 4,000 people fled rising water in the valley.\n\n"
        "MORE than  4,000 people fled rising water in the valley.\n\n"
        "Reuters\n\nThe river is still rising.\n\nReuters"
    )
    article = clean(text, title="Floods displace thousands")
    assert paragraphs(article.text) == [
        "Floods displace thousands",
        "More than 4,000 people fled rising water in the valley.",
        "Reuters",
        "The river is still rising.",
        "Reuters",  # short repeated lines may be legitimate and stay
    ]
    assert article.cleaning["duplicate_headlines"] == 1
    assert article.cleaning["duplicate_paragraphs"] == 1


def test_clean_drops_repeated_hard_wrapped_paragraph_as_a_whole() -> None:
    block = "The camp now shelters 8,000 people who fled\nthe fighting in the hills\nlast week."
    article = clean(f"{block}\n\nAid is arriving slowly.\n\n{block}")
    assert article.text == f"{block}\n\nAid is arriving slowly."


def test_clean_normalises_whitespace() -> None:
    text = (
        "  First\tline   with  spaces  \r\n\r\n\r\n\r\nSecond line\u200b here\u00ad too \rThird\u2028line  "
    )
    assert clean(text).text == "First line with spaces\n\nSecond line here too\nThird\nline"


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", "\u2007"])
def test_clean_turns_unicode_thousands_separators_into_spaces(space: str) -> None:
    article = clean(f"Au total, 10{space}288 personnes ont été déplacées par les inondations.")
    assert "10 288 personnes" in article.text
    assert article.cleaning["unicode_spaces"] == 1


def test_clean_repairs_mojibake_without_uncurling_quotes() -> None:
    article = clean("The agencyâ€™s report says the cafÃ© was destroyed. “Quoted” words stay curly.")
    assert article.text == "The agency’s report says the café was destroyed. “Quoted” words stay curly."
    assert article.cleaning["mojibake_fixed"] == 1


def test_clean_unescapes_html_entities_in_plain_text() -> None:
    assert clean("Floods &amp; landslides forced 300 families to leave.").text.startswith(
        "Floods & landslides"
    )


def test_clean_extracts_main_text_and_metadata_from_html(news_page: str) -> None:
    article = clean_document(Document(id="page", html=news_page))
    lines = paragraphs(article.text)
    assert lines[0] == "Floods force 12,000 from homes in Riverton"
    assert any(line.startswith("Heavy rain over the weekend flooded") for line in lines)
    assert any("ready to leave at short notice" in line for line in lines)
    for chrome in (
        "tracking code",
        "Sports section link",
        "Share on",
        "All rights reserved",
        "Subscribe",
        "color",
    ):
        assert chrome not in article.text
    assert article.title == "Floods force 12,000 from homes in Riverton"
    assert str(article.published) == "2024-03-02"
    assert article.author == "Jane Writer"
    assert article.cleaning["html_extracted"] == 1


def test_clean_treats_html_in_text_field_as_html_and_keeps_given_metadata(news_page: str) -> None:
    article = clean(news_page, title="Given title", published=None)
    assert "tracking code" not in article.text and "<p>" not in article.text
    assert article.title == "Given title"
    assert article.text.startswith("Given title\n")  # the headline leads, as in plain-text inputs


def test_clean_falls_back_to_tag_stripping_for_fragments() -> None:
    article = clean_document(Document(id="frag", html="<p>Twenty families left.</p><script>x()</script>"))
    assert article.text == "Twenty families left."


def test_clean_copies_document_fields() -> None:
    doc = Document(
        id="d1", text=ARTICLE, url="https://example.org/a", title="T", language="en-US", hints={"k": 1}
    )
    article = clean_document(doc)
    assert (article.id, article.url, article.title, article.language) == (
        "d1",
        "https://example.org/a",
        "T",
        "en",
    )
    assert article.language_confidence is None
    assert article.hints == {"k": 1} and article.hints is not doc.hints


@pytest.mark.parametrize("given_language", ["fr", "FR", "fr-FR", "fra", "French"])
def test_clean_normalises_given_language(given_language: str) -> None:
    assert clean("Des milliers de personnes ont fui.", language=given_language).language == "fr"


def test_clean_detects_language_when_not_given() -> None:
    article = clean("Miles de familias huyeron de sus casas después de las inundaciones en la región.")
    assert article.language == "es"
    assert article.language_confidence is not None and article.language_confidence > 0.5


@pytest.mark.parametrize("text", ["", "   \n\t \u00a0 ", "Share on Facebook\nAdvertisement", "... --- !!!"])
def test_clean_raises_empty_document(text: str) -> None:
    with pytest.raises(EmptyDocument):
        clean(text)


def test_clean_raises_empty_document_without_text_or_html() -> None:
    with pytest.raises(EmptyDocument) as caught:
        clean_document(Document(id="nothing", url="https://example.org/x"))
    assert caught.value.document_id == "nothing"
    assert str(caught.value).startswith("[DM101]")


@pytest.mark.parametrize(
    "text", ["PK\x03\x04\x00\x00binary", "\x01\x02\x03\x04\x05 some text \x06\x07\x08", "\ufffd" * 50]
)
def test_clean_raises_binary_document(text: str) -> None:
    with pytest.raises(BinaryDocument):
        clean(text)


def test_clean_raises_document_too_large() -> None:
    with pytest.raises(DocumentTooLarge):
        clean("word " * 1_000_001)
    with pytest.raises(DocumentTooLarge):
        clean_document(Document(id="x", text="twenty families fled"), CleanOptions(max_chars=10))


def test_clean_options_can_switch_steps_off() -> None:
    options = CleanOptions(remove_boilerplate=False, remove_duplicates=False, detect_language=False)
    article = clean_document(
        Document(id="x", text="Share this article\nSame line here now.\nSame line here now."), options
    )
    assert article.text == "Share this article\nSame line here now.\nSame line here now."
    assert article.language is None


def test_clean_plain_text_is_fast() -> None:
    text = "\n".join(
        f"Paragraph {i}: officials said {i},000 people had fled the district on Monday." for i in range(40)
    )
    assert len(text) > 3000
    doc = Document(id="speed", text=text, language="en")
    clean_document(doc)
    runs = 200
    started = time.perf_counter()
    for _ in range(runs):
        clean_document(doc)
    per_doc_ms = (time.perf_counter() - started) / runs * 1e3
    assert per_doc_ms < 2.0  # typically ~0.1 ms; generous for a loaded machine


# ---------------------------------------------------------------- fuzzing
def _assert_clean_or_dm_error(doc: Document) -> None:
    try:
        article = clean_document(doc, CleanOptions(detect_language=False))
    except DMError:
        return
    keys = [" ".join(line.casefold().split()) for line in article.text.split("\n") if len(line.split()) >= 4]
    assert len(keys) == len(set(keys))
    assert article.text == article.text.strip()
    assert "\n\n\n" not in article.text and "\r" not in article.text


_fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fuzz
@given(st.text(max_size=2000))
def test_clean_fuzz_arbitrary_text(text: str) -> None:
    _assert_clean_or_dm_error(Document(id="f", text=text))


@_fuzz
@given(st.binary(max_size=2000))
def test_clean_fuzz_bytes_read_as_latin1(data: bytes) -> None:
    _assert_clean_or_dm_error(Document(id="f", text=data.decode("latin-1")))


_html_piece = st.one_of(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<br>",
            "<script>",
            "</script>",
            "<html>",
            "<body>",
            "<!DOCTYPE html>",
            "<?xml version='1.0' encoding='utf-8'?>",
            "<title>",
            "</title>",
            "&amp;",
            "&#0;",
            "<nav>",
            "<!--",
            "-->",
            "<",
            ">",
            "\n",
        ]
    ),
    st.text(max_size=40),
    st.sampled_from(
        ["Thousands fled the city.", "Share on Facebook", "Advertisement", "2,500 residents left."]
    ),
)


@_fuzz
@given(st.lists(_html_piece, max_size=60).map("".join), st.booleans())
def test_clean_fuzz_html_like_strings(markup: str, as_html: bool) -> None:
    doc = Document(id="f", html=markup) if as_html else Document(id="f", text=markup)
    _assert_clean_or_dm_error(doc)


@_fuzz
@given(
    st.lists(
        st.sampled_from(
            ["Thousands fled the city tonight.", "Short line", "", "Another long line of text here."]
        ),
        max_size=30,
    )
)
def test_clean_fuzz_output_has_no_duplicate_paragraphs(lines: list[str]) -> None:
    _assert_clean_or_dm_error(Document(id="f", text="\n".join(lines)))
