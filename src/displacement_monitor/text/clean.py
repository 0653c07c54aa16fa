"""Document → Article: the one text every later offset refers to.

Scraped news arrives with page chrome ("2 min read", "Share on Twitter"), paragraphs repeated by
the scraper, mojibake and exotic spaces. Extraction counts a figure once per mention, so a
duplicated paragraph would double a fact and a "10 288" written with a thin space would not
parse; cleaning fixes those once, here, and records what it did in ``Article.cleaning``.

Plain ASCII-ish text takes a fast path (no ftfy, a few regular expressions, one pass over the
lines); HTML goes through trafilatura first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from displacement_monitor.errors import BinaryDocument, DocumentTooLarge, EmptyDocument
from displacement_monitor.model import Article, Document
from displacement_monitor.text.html import html_to_text, looks_like_html
from displacement_monitor.text.language import detect_language, normalise_language_code

#: Largest input accepted, in characters (files: bytes). Real articles are < 100 kB; pages < 2 MB.
MAX_DOCUMENT_SIZE = 5_000_000


@dataclass(slots=True)
class CleanOptions:
    """What cleaning may do; the defaults suit scraped news."""

    max_chars: int = MAX_DOCUMENT_SIZE
    #: Repair mojibake and HTML entities with ftfy (only run when the text looks suspicious).
    repair_encoding: bool = True
    #: Drop whole lines that are page chrome ("Share this article", "Publicité", "2 min read").
    remove_boilerplate: bool = True
    #: Drop repeated paragraphs and repeated headlines, keeping the first occurrence.
    remove_duplicates: bool = True
    #: A repeated paragraph shorter than this many words may be legitimate ("Reuters", a date).
    min_duplicate_words: int = 4
    #: Detect the language when the input does not give one.
    detect_language: bool = True
    #: Ask trafilatura for more text rather than less (short news pages lose paragraphs otherwise).
    favor_recall: bool = True
    #: Share of control or replacement characters above which an input is treated as binary.
    max_garbage_share: float = 0.1


# ---------------------------------------------------------------- character level
_GARBAGE = re.compile("[\x01-\x08\x0e-\x1f\x7f\ufffd]")
#: Signs that ftfy has something to repair: UTF-8 read as Latin-1/cp1252 ("Ã©", "â€™"), C1
#: controls (cp1252 read as Latin-1), HTML entities, ligatures, surrogates. Text without any of
#: them skips ftfy, which costs ~0.4 ms per article.
_SUSPICIOUS = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\u0080-\u009f\ufb00-\ufb06\ud800-\udfff]"
    "|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});"
)
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\u0085\x0b\x0c]")
#: NBSP, figure space, thin and narrow no-break spaces (thousands separators: "10 288"), etc.
_UNICODE_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
#: Invisible characters that split words or numbers. ZWJ/ZWNJ stay: Persian and Indic spelling
#: and emoji sequences need them.
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACE_RUN = re.compile(r"\t[ \t]*| [ \t]+")
_HAS_WORD = re.compile(r"\w")


def _repair_encoding(text: str, counts: dict[str, int]) -> str:
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not _SUSPICIOUS.search(text):
        return text
    import ftfy

    fixed = ftfy.fix_text(
        text,
        unescape_html="auto",
        uncurl_quotes=False,
        fix_character_width=False,
        fix_line_breaks=True,
        normalization="NFC",
        explain=False,
    )
    if fixed != text:
        counts["mojibake_fixed"] = counts.get("mojibake_fixed", 0) + 1
    return fixed


def _normalise_spaces(text: str, counts: dict[str, int]) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    if not text.isascii():
        text, spaces = _UNICODE_SPACES.subn(" ", text)
        text, invisible = _ZERO_WIDTH.subn("", text)
        if spaces:
            counts["unicode_spaces"] = counts.get("unicode_spaces", 0) + spaces
        if invisible:
            counts["zero_width_chars"] = counts.get("zero_width_chars", 0) + invisible
    text, controls = _CONTROL.subn("", text)
    if controls:
        counts["control_chars"] = counts.get("control_chars", 0) + controls
    return _SPACE_RUN.sub(" ", text)


def _clean_inline(value: str | None, options: CleanOptions) -> str | None:
    """A title or author: repaired, on one line, or None when nothing is left."""
    if not value:
        return None
    scratch: dict[str, int] = {}
    if options.repair_encoding:
        value = _repair_encoding(value, scratch)
    value = " ".join(_normalise_spaces(value, scratch).split())
    return value or None


# ---------------------------------------------------------------- line level
_SOCIAL = (
    r"share|tweet|facebook|twitter|x|whatsapp|linkedin|e-?mail|print|copy link|copy|pinterest|reddit|"
    r"telegram|messenger|flipboard|bluesky|threads|comments?|partager|imprimer|envoyer|compartir|"
    r"imprimir|enviar|comentarios|commentaires|google\+?"
)
#: "Share", "Share this article", "Partager sur Facebook": one button label; a line may hold several.
_SHARE_ITEM = (
    rf"(?:{_SOCIAL})(?:\s+(?:this|the|on|via|by|with|sur|par|en|por|este|cet)(?=\s|$)|\s+l')*"
    r"(?:\s*(?:article|story|page|post|artículo|nota|noticia)\b)?(?:\s+(?:facebook|twitter|x|whatsapp|linkedin))?"
)
_BOILERPLATE_LINES = [
    # navigation
    r"breadcrumbs?|you are here:?|vous êtes ici\s*:?|usted está aquí:?|skip to (?:main )?content|"
    r"jump to (?:navigation|content)|toggle navigation|back to top|retour en haut|volver arriba|menu|"
    r"main menu|search|home|accueil|inicio|close|fermer|cerrar|loading\.*|chargement\.*|cargando\.*",
    # reading time
    r"(?:reading time:?\s*)?\d+\s*(?:min(?:ute)?s?|mn)\.?\s*(?:read|de lecture|de lectura|lecture)?",
    r"(?:temps de lecture|lecture|tiempo de lectura|lectura)\s*:?\s*\d+\s*(?:min(?:ute)?s?|mn)\.?",
    r"listen to this article|écouter cet article|escuchar (?:este artículo|noticia)",
    # sharing
    rf"{_SHARE_ITEM}(?:[\s|·•,/:]+{_SHARE_ITEM})*",
    r"follow us(?: on \w+)?|suivez-nous(?: sur \w+)?|síguenos(?: en \w+)?",
    # subscriptions and accounts
    r"(?:subscribe|sign up)(?: now| today| for free)?(?: (?:to|for) (?:our|the) (?:\w+ )?newsletters?)?!?|"
    r"newsletters?|get (?:our|the) newsletter|abonnez-vous(?: à notre newsletter)?!?|s'abonner|"
    r"inscrivez-vous(?: à (?:notre|la) newsletter)?|"
    r"suscr[ií]bete(?: a (?:nuestro|el) (?:newsletter|boletín))?|"
    r"suscribirse|reg[ií]strate|log ?in|sign ?in|register|se connecter|connexion|iniciar sesión|"
    r"(?:please )?(?:log|sign) ?in,? (?:or|to) .{0,120}|veuillez vous connecter.{0,120}",
    r"(?:cet )?article réservé aux abonnés|exclusive to subscribers|contenido exclusivo para suscriptores",
    r"download (?:our|the) app|téléchargez (?:notre|l')application|descarga (?:nuestra|la) app",
    # advertising
    r"advertisement|advertising|sponsored(?: content)?|ad|publicité|publicidad|anuncio|"
    r"(?:scroll|continue reading)(?: down)?(?: to continue)?(?: with content)?|"
    r"(?:story|article) continues (?:below|after (?:the )?advertisement)(?: advertisement)?|"
    r"la suite après (?:cette )?(?:la )?publicité|"
    r"click (?:here|to (?:expand|enlarge|read more))\b.{0,80}|cliquez ici.{0,80}|haga clic aquí.{0,80}",
    # cookies
    r"(?:accept|reject|allow|manage)(?: all)?(?: cookies)?|cookie (?:settings|policy|preferences)|"
    r"accepter(?: et fermer| tout| les cookies)?|tout accepter|aceptar(?: todas)?(?: las)?(?: cookies)?",
    r".{0,200}\b(?:we use cookies|this (?:web)?site uses cookies|utilise des cookies|utiliza cookies|"
    r"usa cookies|nous utilisons des cookies|utilizamos cookies)\b.{0,300}",
    # rights
    r"(?:copyright\b|©)\s*(?:©\s*)?.{0,120}|\(c\)\s*\d{4}\b.{0,120}|.{0,120}\ball rights reserved\b.{0,40}|"
    r".{0,120}tous droits réservés.{0,40}|.{0,120}todos los derechos reservados.{0,40}",
    # related links (a headline of another story would bring its figures in)
    r"share with (?:your )?friends|read (?:the )?full (?:article|story)\b.{0,20}|"
    r"(?:read more|read also|also read|see also|more on this(?: story)?|related(?: stories| articles| content"
    r"| news| coverage)?|recommended(?: for you)?|most read|you may also like|you might also like|"
    r"lire aussi|à lire aussi|a lire aussi|voir aussi|sur le même sujet|les plus lus|lea también|"
    r"lee también|leer también|leer más|ver también|te puede interesar|noticias relacionadas|"
    r"más información|lo más leído)"
    r"(?:\s*[:>»|\-–—]\s*.{0,200})?",
    # picture credits without caption text
    r"(?:image|photo|picture) (?:source|credit)s?\b[,:]?[^\d]{0,60}|(?:image|media|video) caption|"
    r"(?:photo|foto|image|crédit photo|credit|crédito|getty images)\s*[:/©]\s*[^.!?\d]{0,40}",
]
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in _BOILERPLATE_LINES), re.IGNORECASE)
#: Boilerplate is short; longer lines are never tested (speed, and no risk to real paragraphs).
_MAX_BOILERPLATE_CHARS = 400
_MAX_BOILERPLATE_WORDS = 40
_TRAILING_PUNCT = " \t.,;:!?·•|»«\"'“”’‘()[]{}-–—…"


def _is_boilerplate(line: str) -> bool:
    if len(line) > _MAX_BOILERPLATE_CHARS or line.count(" ") >= _MAX_BOILERPLATE_WORDS:
        return False
    return _BOILERPLATE.fullmatch(line.strip(_TRAILING_PUNCT) or line) is not None


def _key(text: str) -> str:
    """Duplicate detection ignores case, spacing and end punctuation ("Lorem ipsum." = "lorem ipsum")."""
    return " ".join(text.casefold().split()).strip(_TRAILING_PUNCT)


def _drop_boilerplate(lines: list[str], counts: dict[str, int]) -> list[str]:
    kept = [line for line in lines if not line or not _is_boilerplate(line)]
    if len(kept) != len(lines):
        counts["boilerplate_lines"] = counts.get("boilerplate_lines", 0) + len(lines) - len(kept)
    return kept


def _drop_duplicates(
    lines: list[str], title: str | None, options: CleanOptions, counts: dict[str, int]
) -> list[str]:
    """Keep the first occurrence of each paragraph (block or line) and of the headline."""
    headline_keys = {_key(title)} if title else set()
    first = next((line for line in lines if line), None)
    if first is not None:
        headline_keys.add(_key(first))
    headline_keys.discard("")

    # blocks (blank-line separated) first, so a hard-wrapped paragraph goes as a whole
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    seen_blocks: set[str] = set()
    seen_lines: set[str] = set()
    kept: list[str] = []
    for block in blocks:
        if not block:
            continue
        if len(block) > 1:
            block_key = _key(" ".join(block))
            if block_key in seen_blocks and block_key.count(" ") + 1 >= options.min_duplicate_words:
                counts["duplicate_paragraphs"] = counts.get("duplicate_paragraphs", 0) + 1
                continue
            seen_blocks.add(block_key)
        kept_block: list[str] = []
        for line in block:
            key = _key(line)
            if key in seen_lines:
                if key in headline_keys:
                    counts["duplicate_headlines"] = counts.get("duplicate_headlines", 0) + 1
                    continue
                if key.count(" ") + 1 >= options.min_duplicate_words:
                    counts["duplicate_paragraphs"] = counts.get("duplicate_paragraphs", 0) + 1
                    continue
            elif key:
                seen_lines.add(key)
            kept_block.append(line)
        if kept_block:
            if kept:
                kept.append("")
            kept.extend(kept_block)
    return kept


# ---------------------------------------------------------------- the stage
def clean_document(doc: Document, options: CleanOptions | None = None) -> Article:
    """Turn an input document into the cleaned Article every later stage reads.

    Raises EmptyDocument, BinaryDocument, DocumentTooLarge or UndecodableDocument (all DMError).
    """
    options = options or CleanOptions()
    ctx = {"document_id": doc.id, "url": doc.url}
    plain = doc.text if doc.text is not None and doc.text.strip() else None
    source = plain if plain is not None else doc.html
    if source is None or not source.strip():
        raise EmptyDocument("the document has no text or html", **ctx)
    if len(source) > options.max_chars:
        raise DocumentTooLarge(
            f"the document has {len(source):,} characters, more than the limit of {options.max_chars:,}",
            **ctx,
        )
    _check_not_binary(source, options, doc)

    counts: dict[str, int] = {}
    title, published, author = doc.title, doc.published, None
    if plain is None or looks_like_html(plain):
        extracted = html_to_text(source, favor_recall=options.favor_recall)
        counts["html_extracted"] = 1
        if extracted.method == "fallback":
            counts["html_fallback"] = 1
        text = extracted.text
        title = title or extracted.title
        published = published or extracted.published
        author = extracted.author
    else:
        text = source

    title = _clean_inline(title, options)
    author = _clean_inline(author, options)
    if options.repair_encoding:
        text = _repair_encoding(text, counts)
    text = _normalise_spaces(text, counts)
    lines = [line.strip() for line in text.split("\n")]
    if options.remove_boilerplate:
        lines = _drop_boilerplate(lines, counts)
    if counts.get("html_extracted") and title and not any(_key(line) == _key(title) for line in lines[:5]):
        # pages keep the headline outside the body; plain-text inputs start with it, so do the same
        lines = [title, *lines]
        counts["title_prepended"] = 1
    if options.remove_duplicates:
        lines = _drop_duplicates(lines, title, options, counts)
    text = _join_paragraphs(lines)
    if not _HAS_WORD.search(text):
        raise EmptyDocument("no text is left after cleaning", **ctx)

    language, confidence = normalise_language_code(doc.language), None
    if language is None and options.detect_language:
        detected, probability = detect_language(text)
        language, confidence = detected, probability if detected else None
    return Article(
        id=doc.id,
        text=text,
        url=doc.url,
        title=title,
        published=published,
        author=author,
        language=language,
        language_confidence=confidence,
        cleaning=counts,
        hints=dict(doc.hints),
    )


def _join_paragraphs(lines: list[str]) -> str:
    """Lines back to text with at most one blank line between paragraphs and none at the ends."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _check_not_binary(source: str, options: CleanOptions, doc: Document) -> None:
    ctx = {"document_id": doc.id, "url": doc.url}
    if "\x00" in source:
        raise BinaryDocument("the document contains NUL bytes: it is binary, not text", **ctx)
    sample = source if len(source) <= 200_000 else source[:100_000] + source[-100_000:]
    garbage = len(_GARBAGE.findall(sample))
    if garbage and garbage > options.max_garbage_share * len(sample):
        raise BinaryDocument(
            f"{garbage / len(sample):.0%} of the characters are control or undecodable (U+FFFD) characters: "
            "binary, not text",
            **ctx,
        )
