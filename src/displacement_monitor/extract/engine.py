"""Article → ExtractionResult: find every displacement figure and say what it counts.

For each paragraph that passes the prefilter, each sentence with a count is parsed by spaCy (POS,
entities) and every count is linked to the nearest word that says what happened to the people or
dwellings it counts ("fled", "were destroyed", "in shelters"), unless a closer word says it counts
something else (deaths, the injured, shelter capacity). The rules are in ``lexicon.py``; this
module holds the logic that is the same for every language.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from displacement_monitor.extract import cause as cause_rules
from displacement_monitor.extract.dates import find_date
from displacement_monitor.extract.dates import warm_up as warm_up_dates
from displacement_monitor.extract.lexicon import SUPPORTED_LANGUAGES, LanguageData, get_language_data
from displacement_monitor.extract.nlp import PipelineRegistry
from displacement_monitor.extract.numbers import Quantity, find_quantities
from displacement_monitor.extract.prefilter import candidate_passages, has_trigger, paragraphs
from displacement_monitor.extract.relevance import RELEVANCE_THRESHOLD, relevance_score
from displacement_monitor.geo.base import DocumentPlaces, NullResolver, PlaceMention, PlaceResolver
from displacement_monitor.model import Article, ExtractionResult, Fact, Location

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from displacement_monitor.pipeline import PipelineOptions

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+(?=[\"'“‘«(¿¡]*[A-ZÀ-Ý0-9])|\s*[;•]\s+|\s{2,}")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)
#: Words between a figure and its noun that do not change what is counted.
_NOUN_PHRASE_FILLERS = re.compile(
    r"^(?:of|the|their|his|her|its|our|more|other|additional|further|new|local|some|mostly|many|"
    r"de|des|du|d|les|la|le|l|autres|nouvelles?|nouveaux|del|las|los|el|otras?|otros|más|mas|"
    r"nearly|about|around|roughly|almost|over)$",
    re.IGNORECASE,
)
#: Words before a figure that make it a part of a figure already given ("including 103 gunmen").
_BREAKDOWN = re.compile(
    r"(?:including|includes|among them|among whom|of whom|of which|of them|incl\.|dont|parmi eux|"
    r"parmi lesquels|parmi lesquelles|y compris|incluidos|incluidas|entre ellos|entre ellas|"
    r"de los cuales|de las cuales|de ellos|de ellas)\W*(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
_INCLUDING = re.compile(
    r"\b(?:including|among them|among whom|of whom|dont|parmi|y compris|incluidos|incluidas|"
    r"entre ellos|entre ellas)\b",
    re.IGNORECASE,
)
_SPANISH_FUNCTION_WORDS = frozenset(
    [
        "a",
        "al",
        "ante",
        "con",
        "contra",
        "de",
        "del",
        "desde",
        "en",
        "entre",
        "hacia",
        "hasta",
        "para",
        "por",
        "según",
        "sin",
        "sobre",
        "tras",
        "y",
        "e",
        "o",
        "u",
        "que",
        "se",
        "son",
        "es",
        "fue",
        "fueron",
        "han",
        "ha",
        "habían",
        "había",
        "están",
        "estaban",
        "está",
        "estaba",
        "quedaron",
        "siguen",
        "permanecen",
        "serán",
        "sería",
        "la",
        "las",
        "el",
        "los",
        "lo",
        "su",
        "sus",
        "este",
        "esta",
        "estos",
        "estas",
        "ya",
        "aún",
        "más",
        "menos",
    ]
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity spans that the small models tag as places but never are: months, weekdays.
_NOT_A_PLACE = re.compile(
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    re.IGNORECASE,
)
#: "Hurricane Florence", "Cyclone Mora", "Typhoon Haiyan": a name, not a place.
_NAMED_STORM = re.compile(
    r"\b(?:hurricane|cyclone|typhoon|storm|tropical storm|tropical depression|ouragan|cyclone|tempête|"
    r"typhon|huracán|huracan|ciclón|tormenta)\s+\Z",
    re.IGNORECASE,
)
_MAX_LINK_WORDS = 12
_MAX_SUBJECT_WORDS = 24
#: A figure with no noun ("20,000 have fled") must be at least this large to count.
_MIN_BARE_FIGURE = 20
_WEAK_PENALTY = 4
_CROSS_PENALTY = 3
#: A cue before the figure but beyond "and" or a comma belongs to an earlier clause.
_CLAUSE_PENALTY = 2
_WEAK_NEGATIVE = 2
_CLAUSE_BREAK = re.compile(
    r",|;|\(|\b(?:and|while|whereas|but|et|mais|tandis|y|e|mientras|pero)\b", re.IGNORECASE
)
#: Things that are counted next to displacement words but are not people or homes.
_NOT_PEOPLE = re.compile(
    r"(?:animals?|cattle|livestock|cows?|goats?|sheep|heads?|hectares?|acres?|km|kilometres?|kilometers?|"
    r"miles?|metres?|meters?|vehicles?|cars?|trucks?|schools?|hospitals?|bridges?|roads?|tonn?es?|tons?|"
    r"trees?|crops?|boats?|flights?|planes?|aircraft|trains?|kits?|bags?|litres?|liters?|dollars?|euros?|"
    r"years?|days?|hours?|weeks?|months?|minutes?|times|percent|cent|incidents?|calls?|buses|"
    r"passengers|crew|crews|forces|troops|soldiers|personnel|diplomats|staff|employees|spectators|guests|"
    r"visitors|shoppers|fans|patients|inmates|prisoners|beds|victims|passagers|pasajeros|damnificad[oa]s|"
    r"albergues|refugios|centros|campamentos|sitios|camps|sites|centres|centers|centros|"
    r"animaux|bétail|têtes|écoles|véhicules|voitures|routes|ponts|ans|jours|heures|"
    r"animales|ganado|cabezas|escuelas|vehículos|carros|autos|puentes|carreteras|árboles|arboles|años|"
    r"días|horas|incidentes)",
    re.IGNORECASE,
)
_ADDRESS_AFTER = re.compile(
    r"\s+(?:\d+(?:st|nd|rd|th)\s+)?(?:\w+\s+)?(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|drive|dr)\b\.?",
    re.IGNORECASE,
)
_BARE_HOMELESS = re.compile(
    r"(?:homeless|sans[- ]abris?|sin hogar|sin techo)\b(?!\s+[a-zà-ÿ]+(?:s|es)\b)", re.IGNORECASE
)
_NUMBER_OF = re.compile(
    r"\b(?:number|total|nombre|número|numero|cifra) (?:of|de|des|d') (?:\w+ ){0,2}?(?P<noun>\w+)\b"
    r"[^.;]{0,40}"
    r"(?:is|are|was|were|stands? at|rose to|reached|to be|est|était|es|era|asciende a|alcanza)"
    r"\W+(?:\w+\W+){0,2}\Z",
    re.IGNORECASE,
)
_ADVERB = re.compile(r"\w{3,}(?:mente|ement)\Z", re.IGNORECASE)
_FACILITIES = re.compile(
    r"(?:shelters?|centres?|centers?|camps?|sites?|schools?|buildings?|halls?|albergues|refugios|abris|"
    r"centros|campamentos)",
    re.IGNORECASE,
)
_ANAPHORS = re.compile(r"(?:others|autres|otras|otros)", re.IGNORECASE)
_ANAPHOR_BEFORE = re.compile(r"\b(?:another|other|autres|otras|otros)\s+\Z", re.IGNORECASE)
#: A word right before a number that makes it a name or an id ("Highway 63", "Resolution 2254").
_DESIGNATOR = re.compile(
    r"(?:highway|route|road|flight|article|resolution|phase|block|sector|zone|ward|grade|level|category|"
    r"number|no|nos|channel|line|gate|station|unit|room|apartment|section|chapter|exit|lot|plot|page|"
    r"camp|km|kilometre|kilometer|mile|district|region|province|state|junction|carretera|ruta|artículo|fase|"
    r"zona|numéro|n°|nº|autoroute|vol|article)\.?[ \t]*\Z",
    re.IGNORECASE,
)
#: Sub-totals: a part of a figure given just before ("including 400 women and 300 fighters").
_SEGMENT_BREAK = re.compile(r"[–—(;:]|\s-\s")


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    term: str
    weak: bool = False


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A sentence worth analysing: offset into the article, text, paragraph, and its counts."""

    start: int
    text: str
    passage: int
    counts: list[Quantity]


@dataclass(frozen=True, slots=True)
class _Link:
    quantity: Quantity
    unit: _Unit
    cue: _Cue


@dataclass(frozen=True, slots=True)
class _Unit:
    unit: str
    housing: bool
    end: int  # end offset of the noun phrase (sentence-relative)
    explicit: bool
    status_term: str | None = None
    #: An unknown noun taken for people ("miners"): needs a displacement word right next to it.
    guessed: bool = False


#: Longer "sentences" (glued paragraphs, tables, markup debris) are cut at spaces into pieces of
#: about this size, and a piece with no space at all is skipped: linking is quadratic in length.
_MAX_SENTENCE = 1000


def _bounded(text: str, spans: Iterable[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    for start, end in spans:
        while end - start > _MAX_SENTENCE:
            cut = text.rfind(" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
            if cut == -1:
                break  # no space in reach: not prose
            yield start, cut
            start = cut + 1
        if end - start <= _MAX_SENTENCE:
            yield start, end


def _all_sentences(text: str) -> Iterable[str]:
    for start, end in paragraphs(text):
        paragraph = text[start:end]
        if has_trigger(paragraph):
            yield from (paragraph[a:b] for a, b in _bounded(paragraph, _sentences(paragraph)))


_ABBREVIATION = re.compile(
    r"\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mr|mrs|ms|dr|st|no|nos|gen|gov|sen|rep|lt|col|"
    r"capt|prof|approx|est|vs|etc|av|avda|sr|sra|dña|mme|mlle|u\.s|u\.n|[a-z])\.\Z",
    re.IGNORECASE,
)


def _sentences(passage_text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(passage_text):
        if _ABBREVIATION.search(passage_text, max(start, match.start() - 6), match.start()):
            continue  # "Jan. 28", "Dr. Smith", "U.S. officials"
        yield start, match.start()
        start = match.end()
    if start < len(passage_text):
        yield start, len(passage_text)


def _words_between(text: str, start: int, end: int) -> int:
    return 0 if end <= start else len(_WORD.findall(text, start, end))


class Engine:
    """Holds the loaded models and the place resolver; ``analyse`` is thread-compatible per process."""

    def __init__(self, options: PipelineOptions | None = None, resolver: PlaceResolver | None = None) -> None:
        self.nlp = PipelineRegistry(options.models if options else None)
        warm_up_dates()
        self._resolver = resolver
        self._geocode = options.geocode if options else True

    @property
    def resolver(self) -> PlaceResolver:
        if self._resolver is None:
            if self._geocode:
                from displacement_monitor.geo.resolver import get_resolver

                self._resolver = get_resolver()
            else:
                self._resolver = NullResolver()
        return self._resolver

    # ------------------------------------------------------------------ document
    def analyse(self, article: Article) -> ExtractionResult:
        result = ExtractionResult(
            id=article.id,
            language=article.language,
            published=article.published,
            title=article.title,
            url=article.url,
            text=article.text,
        )
        if not has_trigger(article.text):
            return result
        language = get_language_data(article.language) or _guess_language(article.text)
        # cheap first: sentences whose figures could link to a displacement word at all
        sentences = [
            candidate
            for candidate in self._candidate_sentences(article.text, language)
            if not language.blockers.search(candidate.text)
            and _sentence_links(candidate.text, candidate.counts, None, language, permissive=True)
        ]
        tagged = self._tag(language.code, [candidate.text for candidate in sentences])
        links = [
            _sentence_links(candidate.text, candidate.counts, doc, language)
            for candidate, doc in zip(sentences, tagged, strict=True)
        ]
        evidence = (
            0.0 if any(links) else relevance_score(article.title, _all_sentences(article.text), language)
        )
        blocked = _blocked_document(article, language)
        result.relevant = not blocked and (any(links) or evidence >= RELEVANCE_THRESHOLD)
        if not result.relevant:
            return result
        # the rest only for documents about displacement: entities, places, cause
        with_facts = [
            (candidate, doc) for candidate, doc, found in zip(sentences, tagged, links, strict=True) if found
        ]
        mentions = self._mentions(
            [(candidate.start, candidate.text, doc) for candidate, doc in with_facts], language.code
        )
        places = self.resolver.resolve(
            article.text, mentions, language=article.language, title=article.title, url=article.url
        )
        doc_hazard = cause_rules.choose_hazard(
            cause_rules.document_scores(article.title, article.text, language)
        )
        facts: list[Fact] = []
        passage_of: dict[int, int] = {}
        for candidate, found in zip(sentences, links, strict=True):
            for link in found:
                fact = self._fact(
                    candidate.text, candidate.start, link, language, article, places, doc_hazard
                )
                passage_of[id(fact)] = candidate.passage
                facts.append(fact)
        facts = _one_fact_per_claim(facts)
        result.facts = sorted([*facts, *_totals(facts, passage_of, article.text)], key=lambda f: f.start)
        result.country_iso3 = places.country_iso3
        result.relevance_score = min(
            1.0, max((f.confidence for f in result.facts), default=0.0) + 0.1 * evidence
        )
        result.hazard = doc_hazard  # type: ignore[assignment]
        result.cause = cause_rules.cause_of(doc_hazard)  # type: ignore[assignment]
        return result

    def _candidate_sentences(self, text: str, language: LanguageData) -> list[_Candidate]:
        """Each sentence that has a trigger and a count, with its counts (parsed once, used thrice)."""
        found = []
        for passage in candidate_passages(text):
            for start, end in _bounded(passage.text, _sentences(passage.text)):
                sentence = passage.text[start:end]
                if not has_trigger(sentence):
                    continue
                counts = [q for q in find_quantities(sentence, language.code) if q.kind == "count"]
                if counts:
                    found.append(_Candidate(passage.start + start, sentence, passage.start, counts))
        return found

    def _tag(self, language: str, sentences: Sequence[str]) -> list[Doc | None]:
        """POS tags for the sentences (entities come later, and only where a fact was found)."""
        if not sentences or not self.nlp.supports(language):
            return [None] * len(sentences)
        nlp = self.nlp.get(language)
        return list(nlp.pipe(sentences, batch_size=64, disable=[n for n in ("ner",) if n in nlp.pipe_names]))

    def _mentions(
        self, sentences: Sequence[tuple[int, str, Doc | None]], language: str
    ) -> list[PlaceMention]:
        """Named places in the sentences that hold facts (offsets into the document)."""
        docs = [(offset, doc) for offset, _, doc in sentences if doc is not None]
        if not docs:
            return []
        nlp = self.nlp.get(language)
        if "ner" not in nlp.pipe_names:
            return []
        ner = nlp.get_pipe("ner")
        found: list[PlaceMention] = []
        for (offset, _), doc in zip(docs, ner.pipe([d for _, d in docs]), strict=True):  # type: ignore[attr-defined]
            found.extend(
                PlaceMention(offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_)
                for ent in doc.ents
                if ent.label_ in _PLACE_LABELS
                and not _NOT_A_PLACE.fullmatch(ent.text)
                and not _NAMED_STORM.search(doc.text, 0, ent.start_char)
            )
        return found

    # ------------------------------------------------------------------ sentence
    def _fact(
        self,
        sentence: str,
        offset: int,
        link: _Link,
        language: LanguageData,
        article: Article,
        places: DocumentPlaces,
        doc_hazard: str | None,
    ) -> Fact:
        quantity, unit, cue = link.quantity, link.unit, link.cue
        left = min(quantity.start, cue.start)
        following = list(_WORD.finditer(sentence, unit.end))[:3]
        right = max(quantity.end, unit.end, cue.end, following[-1].end() if following else 0)
        clause_start = max(sentence.rfind(",", 0, left) + 1, left - 50, 0)
        expected = bool(language.future_cues.search(sentence, clause_start, right))
        sentence_hazard = cause_rules.choose_hazard(cause_rules.hazard_scores(sentence, language))
        hazard = sentence_hazard or doc_hazard
        origin, destination = _places_for(
            places, offset, offset + len(sentence), offset + quantity.start, language, article.text
        )
        stripped = sentence.strip()
        lead = len(sentence) - len(sentence.lstrip())
        confidence = 0.55 + 0.15 * (not cue.weak) + 0.1 * unit.explicit + 0.1 * (origin is not None)
        return Fact(
            figure=quantity.figure,
            figure_min=quantity.figure_min,
            figure_max=quantity.figure_max,
            qualifier=quantity.qualifier,  # type: ignore[arg-type]
            unit=unit.unit,  # type: ignore[arg-type]
            term=cue.term,  # type: ignore[arg-type]
            modality="expected" if expected else "reported",
            quote=stripped,
            start=offset + lead,
            end=offset + lead + len(stripped),
            location=origin,
            destination=destination,
            country_iso3=(origin.country_iso3 if origin and origin.country_iso3 else places.country_iso3),
            date=find_date(sentence, article.published),
            cause=cause_rules.cause_of(hazard),  # type: ignore[arg-type]
            hazard=hazard,  # type: ignore[arg-type]
            confidence=round(min(confidence, 0.95), 2),
            figure_text=quantity.text,
        )


# ---------------------------------------------------------------------- helpers
def _sentence_links(
    sentence: str,
    quantities: Sequence[Quantity],
    doc: Doc | None,
    language: LanguageData,
    *,
    permissive: bool = False,
) -> list[_Link]:
    """Each count in the sentence linked to what happened to what it counts (or dropped).

    ``permissive`` runs before any tagging: unknown words never reject a figure, so it only
    filters out sentences that cannot hold a fact.
    """
    if not quantities:
        return []
    person_cues = _cues(sentence, language.person_triggers) + _cues(
        sentence, language.weak_triggers, weak=True
    )
    housing_cues = _cues(sentence, language.housing_triggers)
    evacuation_cues = [c for c in person_cues if c.term in {"evacuated", "relocated"} and not c.weak]
    negatives = [(m.start(), m.end(), 0) for m in language.negative_cues.finditer(sentence)]
    negatives += [
        (m.start(), m.end(), _WEAK_NEGATIVE) for m in language.weak_negative_cues.finditer(sentence)
    ]
    units = {id(q): _unit_after(sentence, q, doc, language, permissive=permissive) for q in quantities}
    links = []
    for quantity in quantities:
        largest = max(
            v for v in (quantity.figure, quantity.figure_min, quantity.figure_max, 0) if v is not None
        )
        inverted = (quantity.figure_min or 0) > (quantity.figure_max or largest)  # a score: "5-2"
        if largest <= 1 or inverted or _is_part_of_other_figure(sentence, quantity):
            continue
        if _DESIGNATOR.search(sentence[max(0, quantity.start - 20) : quantity.start]):
            continue
        unit = units[id(quantity)]
        if unit is None:
            continue
        cues = [*housing_cues, *evacuation_cues] if unit.housing else person_cues
        if unit.status_term:
            cues = [*cues, _Cue(quantity.start, unit.end, unit.status_term)]
        others = [q for q in quantities if q is not quantity]
        counted = [q for q in others if units[id(q)] is not None]  # other figures of people or homes
        best = _nearest(sentence, quantity, unit, cues, others, counted)
        if best is None and permissive:
            # untagged, a verb may have looked like a noun further on: also try "no noun"
            unit = _Unit("person", False, quantity.end, False)
            best = _nearest(sentence, quantity, unit, person_cues, others, counted)
        if best is None:
            continue
        cue, distance = best
        if cue.term == "evacuated" and language.transient_evacuation.search(sentence):
            continue  # a flight, a ship, a bomb threat: nobody leaves a home
        if _ADDRESS_AFTER.match(sentence, quantity.end):
            continue  # "207 19th St."
        if permissive:
            links.append(_Link(quantity, unit, cue))
            continue
        if unit.guessed and (cue.weak or distance > 3):
            continue  # an unknown noun needs a displacement word right next to it
        if (
            not unit.explicit
            and quantity.qualifier != "vague"
            and (cue.weak or largest < _MIN_BARE_FIGURE or quantity.is_year_like)
        ):
            continue  # a bare number ("left with 24", "3 a 1") is a score, a year or a time
        negative = min(
            (_distance(sentence, quantity, unit, s, e, others) + handicap for s, e, handicap in negatives),
            default=99,
        )
        if negative < distance or (cue.weak and negative == distance):
            continue
        before = sentence[max(0, quantity.start - 45) : quantity.start]
        after = sentence[quantity.start : max(cue.end, unit.end, quantity.end + 40)]
        capacity = language.capacity_cues.search(before) or language.capacity_cues.search(after)
        if capacity and (cue.weak or distance > 1):
            continue
        links.append(_Link(quantity, unit, cue))
    return links


def _cues(sentence: str, patterns: Iterable[tuple[re.Pattern[str], str]], weak: bool = False) -> list[_Cue]:
    return [
        _Cue(m.start(), m.end(), term, weak) for pattern, term in patterns for m in pattern.finditer(sentence)
    ]


def _unit_after(
    sentence: str, quantity: Quantity, doc: Doc | None, language: LanguageData, *, permissive: bool = False
) -> _Unit | None:
    """What the figure counts, from the words right after it; None when it counts something else."""
    if _ANAPHOR_BEFORE.search(sentence, max(0, quantity.start - 12), quantity.start):
        return _anaphoric_unit(sentence, quantity, language, quantity.end)  # "and another 3,400"
    for index, match in enumerate(_TOKEN.finditer(sentence, quantity.end)):
        if index >= 6:
            break
        word = match.group()
        status = next((term for pattern, term in language.status_nouns if pattern.fullmatch(word)), None)
        if status and word.lower() not in {"displaced", "evacuated"}:
            return _Unit("person", False, match.end(), True, status)
        if language.household_nouns.fullmatch(word):
            return _Unit("household", False, match.end(), True)
        if language.housing_nouns.fullmatch(word):
            return _Unit("household", True, match.end(), True)
        if index == 0 and _ANAPHORS.fullmatch(word):
            return _anaphoric_unit(sentence, quantity, language, match.end())
        if language.person_nouns.fullmatch(word):
            return _Unit("person", False, match.end(), True)
        if _NOT_PEOPLE.fullmatch(word):
            return None
        if _ADVERB.search(word) or _pos_at(doc, match.start()) == "ADV":
            continue  # "300 totalmente destruidas", "120 newly displaced"
        if _NOUN_PHRASE_FILLERS.match(word) or word in {"-", "–"} or ("-" in word and index == 0):
            continue  # "of", "more", "mud-and-thatch"
        if not word[0].isalnum():
            break
        pos = _pos_at(doc, match.start())
        if permissive and word.isalpha() and not _is_cue_word(word, language):
            continue  # before tagging, an unknown word may be an adjective: look further
        if pos == "ADJ" or (pos == "PROPN" and word[:1].isupper()) or (pos is None and word[:1].isupper()):
            continue  # "Syrian rebels", "more Rohingya refugees"
        if pos == "NOUN" or (
            pos is None
            and word.isalpha()
            and word.lower() not in _SPANISH_FUNCTION_WORDS
            and not _is_cue_word(word, language)
        ):
            following = _TOKEN.match(sentence, _skip_space(sentence, match.end()))
            if following and (
                _NOT_PEOPLE.fullmatch(following.group()) or _FACILITIES.fullmatch(following.group())
            ):
                return None  # "11,820 cyclone shelters", "30 evacuation centres": facilities
            return _Unit("person", False, match.end(), False, guessed=True)  # "miners", "pilgrims"
        break
    after = _skip_space(sentence, quantity.end)
    homeless = _BARE_HOMELESS.match(sentence, after)
    if homeless:
        return _Unit("person", False, homeless.end(), True, "homeless")  # "leaving 483 homeless"
    if any(p.match(sentence, after) for p, _ in language.person_triggers):
        return _Unit("person", False, quantity.end, False)  # "2,000 displaced by the floods"
    before_counted = _NUMBER_OF.search(sentence, max(0, quantity.start - 80), quantity.start)
    if before_counted:  # "the number of displaced families is estimated to be 349"
        household = language.household_nouns.fullmatch(before_counted.group("noun"))
        return _Unit("household" if household else "person", False, quantity.end, True)
    before = sentence[max(0, quantity.start - 80) : quantity.start]
    housing_before = [
        m
        for m in language.housing_nouns.finditer(before)
        if m.group().lower().endswith(("s", "x", "housing"))
    ]
    if housing_before and any(p.search(sentence) for p, _ in language.housing_triggers):
        return _Unit("household", True, quantity.end, True)  # "houses: 36 destroyed, 50 damaged"
    return _Unit("person", False, quantity.end, False)


def _is_part_of_other_figure(sentence: str, quantity: Quantity) -> bool:
    """ "about 700 people – including 400 women and 300 fighters": 400 and 300 are parts of 700."""
    head = sentence[: quantity.start]
    breaks = list(_SEGMENT_BREAK.finditer(head))
    segment = head[breaks[-1].end() :] if breaks else head[-60:]
    return bool(_BREAKDOWN.search(head[max(0, len(head) - 40) :]) or _INCLUDING.search(segment))


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _anaphoric_unit(sentence: str, quantity: Quantity, language: LanguageData, end: int) -> _Unit:
    """ "destroyed 20 others": the unit of the nearest noun before the figure."""
    before = sentence[: quantity.start]
    nouns = [(m.end(), "housing") for m in language.housing_nouns.finditer(before)]
    nouns += [(m.end(), "household") for m in language.household_nouns.finditer(before)]
    nouns += [(m.end(), "person") for m in language.person_nouns.finditer(before)]
    kind = max(nouns)[1] if nouns else "person"
    return _Unit("person" if kind == "person" else "household", kind == "housing", end, True)


def _stem_hits(text: str, code: str) -> int:
    data = get_language_data(code)
    return sum(text.count(stem) for stem in data.stems) if data else 0


def _guess_language(text: str) -> LanguageData:
    """For short or unidentified text: the supported language whose vocabulary it uses most."""
    lowered = text.lower()
    best = max(SUPPORTED_LANGUAGES, key=lambda code: _stem_hits(lowered, code))
    data = get_language_data(best)
    assert data is not None
    return data


def _is_cue_word(word: str, language: LanguageData) -> bool:
    return any(
        p.fullmatch(word)
        for p, _ in (*language.person_triggers, *language.weak_triggers, *language.housing_triggers)
    )


def _pos_at(doc: Doc | None, char: int) -> str | None:
    if doc is None:
        return None
    token = doc.char_span(char, char + 1, alignment_mode="expand")
    if token is None or not len(token):
        return None
    return token[0].pos_ or None


def _distance(
    sentence: str, quantity: Quantity, unit: _Unit, start: int, end: int, others: Sequence[Quantity]
) -> int:
    """Words between a cue and the figure's noun phrase, plus a penalty per figure crossed."""
    if end <= quantity.start:
        gap = _words_between(sentence, end, quantity.start)
        gap += _CLAUSE_PENALTY * bool(_CLAUSE_BREAK.search(sentence, end, quantity.start))
        crossed = sum(1 for q in others if end <= q.start and q.end <= quantity.start)
    elif start >= unit.end:
        gap = _words_between(sentence, unit.end, start)
        crossed = sum(1 for q in others if unit.end <= q.start and q.end <= start)
    else:
        return 0
    return gap + _CROSS_PENALTY * crossed


def _nearest(
    sentence: str,
    quantity: Quantity,
    unit: _Unit,
    cues: Sequence[_Cue],
    others: Sequence[Quantity],
    counted: Sequence[Quantity] = (),
) -> tuple[_Cue, int] | None:
    best: tuple[_Cue, int] | None = None
    for cue in cues:
        if cue.start >= unit.end and any(
            q.start >= cue.end and _words_between(sentence, cue.end, q.start) == 0 for q in counted
        ):
            continue  # "affected 200,000 and displaced 45,000": the cue has its own figure
        raw = _distance(sentence, quantity, unit, cue.start, cue.end, others)
        # a subject with an explicit noun may be far from its verb ("3,000 families who live …, were moved")
        reach = (
            _MAX_SUBJECT_WORDS
            if unit.explicit and not cue.weak and cue.start >= unit.end
            else _MAX_LINK_WORDS
        )
        if raw > reach:
            continue
        score = raw + (_WEAK_PENALTY if cue.weak else 0)
        if best is None or score < best[1] or (score == best[1] and not cue.weak and best[0].weak):
            best = (cue, score)
    if best is not None and best[0].term == "sheltered":
        # "sheltering in relief camps": the camp is the more specific status
        camp = next(
            (
                c
                for c in cues
                if c.term == "in_relief_camp"
                and _distance(sentence, quantity, unit, c.start, c.end, others) <= best[1] + 3
            ),
            None,
        )
        if camp is not None:
            return camp, best[1]
    if best is not None and best[0].weak:
        return best[0], best[1] - _WEAK_PENALTY
    return best


def _places_for(
    places: DocumentPlaces, start: int, end: int, anchor: int, language: LanguageData, text: str
) -> tuple[Location | None, Location | None]:
    """Origin and destination of a fact from the places in its sentence.

    "from X" makes X the origin; a destination word shortly before a place ("to", "for … in",
    "hacia", "vers") makes it the destination; otherwise the place nearest the figure is the origin.
    """
    inside = [
        p
        for p in places.places
        if p.start is not None and start <= p.start < end and not _doubtful_abroad(p, places.country_iso3)
    ]
    origin: Location | None = None
    destination: Location | None = None
    for place in sorted(inside, key=lambda p: abs((p.start or 0) - anchor)):
        place_start = place.start or 0
        window = text[max(start, place_start - 40) : place_start]
        window = re.split(r"[,;.]", window)[-1]
        if language.origin_preps.search(window):
            origin = place if origin is None or not _after_from(origin, text, language) else origin
        elif destination is None and place_start > anchor and language.destination_preps.search(window):
            destination = place
        elif origin is None:
            origin = place
    if origin is None:
        origin = _context_place(places, start)
    return origin, destination


#: How far back (characters) a fact whose sentence names no place looks for the place it is about.
_CONTEXT_WINDOW = 600


def _context_place(places: DocumentPlaces, start: int) -> Location | None:
    """Where a fact is when its sentence names no place.

    The last place named shortly before it (finer than a country if there is one), else the
    document's most-named place, if either is in the document's country. Its confidence is
    lowered: the text implies the place, it does not state it.
    """
    country = places.country_iso3
    if country is None:
        return None
    in_country = [p for p in places.places if p.start is not None and p.country_iso3 == country]
    before = [p for p in in_country if start - _CONTEXT_WINDOW <= (p.start or 0) < start]
    finer = [p for p in before if p.precision != "country"]  # "Sylhet in Bangladesh": Sylhet
    if before:
        chosen = max(finer or before, key=lambda p: p.start or 0)
    else:
        counts = Counter(p.name.casefold() for p in in_country)
        if not counts:
            return None
        name, _count = max(counts.items(), key=lambda kv: kv[1])
        chosen = next(p for p in in_country if p.name.casefold() == name)
    return dataclasses.replace(chosen, confidence=round(min(chosen.confidence or 0.5, 0.9) * 0.6, 2))


def _doubtful_abroad(place: Location, country: str | None) -> bool:
    """A small place in another country than the document's, resolved without confidence: an
    Albany or a San Roque elsewhere is likelier a namesake than news from abroad, so it is left out."""
    return (
        country is not None
        and place.country_iso3 not in {None, country}
        and (place.confidence or 0.0) <= 0.7
        and place.precision in {"city", "neighbourhood", "point", "admin2"}
    )


def _after_from(place: Location, text: str, language: LanguageData) -> bool:
    start = place.start or 0
    return bool(language.origin_preps.search(text[max(0, start - 40) : start]))


def _one_fact_per_claim(facts: list[Fact]) -> list[Fact]:
    """A figure repeated (headline, duplicated paragraph, a later recap) is one claim: keep the best."""
    kept: dict[tuple[object, ...], Fact] = {}
    for fact in facts:
        key = (
            fact.unit,
            fact.figure,
            fact.figure_min if fact.figure is None else None,
            fact.figure_max if fact.figure is None else None,
        )
        current = kept.get(key)
        if current is None or fact.confidence > current.confidence:
            kept[key] = fact
    return sorted(kept.values(), key=lambda f: f.start)


def _totals(facts: Sequence[Fact], passage_of: dict[int, int], text: str) -> list[Fact]:
    """A paragraph that lists the same kind of figure place by place ("709,841 displaced in Jajpur and
    363,832 in Puri") also gets their total, marked with ``total_of``; it never replaces the parts."""
    groups: dict[tuple[object, ...], list[Fact]] = {}
    stated = {f.figure for f in facts}
    for fact in facts:
        if fact.modality == "reported" and fact.figure is not None and fact.qualifier != "vague":
            groups.setdefault((passage_of.get(id(fact)), fact.unit, fact.term), []).append(fact)
    totals = []
    for parts in groups.values():
        figures = [f.figure or 0 for f in parts]
        if len(parts) < 2 or 2 * max(figures) == sum(figures) or len(set(figures)) < 2:
            continue  # one part, a figure that is already the total, or the same figure repeated
        places = [f.location.name.casefold() for f in parts if f.location is not None]
        if len(places) < 2 or len(set(places)) < len(places) or sum(figures) in stated:
            continue  # a total is for figures given place by place, and never one the text states
        qualifiers = {f.qualifier for f in parts}
        qualifier = (
            "exact"
            if qualifiers == {"exact"}
            else "more_than"
            if "more_than" in qualifiers
            else "approximately"
        )
        total = sum(figures)
        start, end = parts[0].start, parts[-1].end
        countries = {f.country_iso3 for f in parts}
        totals.append(
            Fact(
                figure=total,
                figure_min=total,
                figure_max=None if qualifier == "more_than" else total,
                qualifier=qualifier,  # type: ignore[arg-type]
                unit=parts[0].unit,
                term=parts[0].term,
                modality="reported",
                quote=text[start:end],
                start=start,
                end=end,
                country_iso3=countries.pop() if len(countries) == 1 else None,
                date=parts[0].date,
                cause=parts[0].cause,
                hazard=parts[0].hazard,
                confidence=round(min(f.confidence for f in parts) * 0.8, 2),
                figure_text=" + ".join(f.figure_text or str(f.figure) for f in parts),
                total_of=[f.figure_text or str(f.figure) for f in parts],
            )
        )
    return totals


def _blocked_document(article: Article, language: LanguageData) -> bool:
    """A drill, a medical or market story: its 'evacuations' and 'displacements' are not ours."""
    return bool(article.title and language.blockers.search(article.title))
