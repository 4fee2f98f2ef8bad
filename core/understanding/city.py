"""The city slot: served cities by any name or locality, other Indian cities from the gazetteer, fuzzily."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from core.policy import Policy
from core.understanding.gazetteer import MAX_NAME_WORDS, Entry, city_index, is_common_word
from core.understanding.reading import Reading
from core.understanding.text import Segment
from core.understanding.types import CityAnswer, Question, Slot

_PLACE_BEFORE = frozenset({"in", "from", "at", "near", "live", "living", "lives", "stay", "staying", "stays",
                           "based", "reside", "residing", "located", "city", "hometown", "rehta", "rehti",
                           "rahta", "rahti", "rehte"})
_PLACE_AFTER = frozenset({"mein", "me", "mai", "se", "city", "based", "rehta", "rehti", "rahta", "rahti"})
"""Away from the city question a city counts only next to one of these ('in Delhi', 'Delhi mein')."""
_RESIDENCE = frozenset({"live", "living", "lives", "stay", "staying", "stays", "reside", "residing", "resident",
                        "rehta", "rehti", "rehte", "rahta", "rahti", "rahte", "ghar", "home", "settled", "house",
                        "flat", "residence", "address"})
_MOVED_TO = frozenset({"moved", "shifted", "relocated", "transferred"})
"""'moved to Pune' says where the caller lives now, unless it is the office that moved."""
_COMMUTE = frozenset({"commute", "commuting", "travel", "travelling", "traveling", "daily", "roz", "updown"})
"""'I commute from Faridabad to Delhi': the place left each morning is home, the other is work."""
_WORKPLACE = frozenset({"work", "working", "works", "office", "job", "posted", "posting", "company", "kaam",
                        "naukri", "duty", "workplace"})
"""'my office is in Delhi': where the caller works, weaker than where they live or a place said plainly."""
_RESIDENCE_AFTER = frozenset({"rehta", "rehti", "rehte", "rahta", "rahti", "rahte", "ghar"})
"""Hinglish says it after the place: 'Mumbai mein rehta hoon'."""
_NEGATORS = frozenset({"not", "dont", "never", "neither", "nor"})
_MOVED = frozenset({"moved", "shifted", "relocated", "transferred", "came", "shift", "aaya", "aayi", "aaye", "aa"})
_POST_NEGATORS = frozenset({"nahi", "nahin", "nai", "not"})
_NEAR_BEFORE = ("near", "outside", "close to", "nearby", "around", "outskirts of")
_NEAR_AFTER = ("ke paas", "ke pass", "ke pas", "ke bahar", "ke nazdeek", "side", "ke side", "outskirts")
_NEARBY_CONFIDENCE = 0.6
_BIG_CITY = 300_000
_WELL_KNOWN = 400_000
"""A town named like a word ('Gaya', 'Kota') is a city on its own only this big; smaller ones ('Bali') need 'in'."""
_SERVED_CUTOFF = 80
_GAZETTEER_CUTOFF = 88
_MIN_FUZZY_LENGTH = 5
_MIN_FUZZY_WORD = 3
"""'a lot' is not 'Alot': every word of a fuzzy query must be a real word, not an article."""
_NOT_PLACES = frozenset({
    "sorry", "hello", "salary", "salaried", "business", "thousand", "rupees", "maybe", "please", "again",
    "pardon", "actually", "student", "working", "company", "private", "service", "banglo", "bungalow",
})  # fmt: skip
"""Words a caller often says that sit a letter or two from a town's name."""
_SOUND_CONFIDENCE = 0.6
_SOUNDS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"([bdgkpt])h", r"\1"), (r"ph", "f"), (r"ck", "k"), (r"[sc]h|j", "c"), (r"[bp]", "P"), (r"[dt]", "T"),
        (r"[gkq]|c(?=[aou])", "K"), (r"[fv]|w(?=[aeiou])", "F"), (r"[szx]|c(?=[eiy])", "S"), (r"c", "C"),
        (r"[aeiouhwy]", ""), (r"(.)\1+", r"\1"),
    )
)  # fmt: skip
"""A consonant skeleton with voicing and aspiration dropped: how a recogniser's 'Boona' sounds like 'Pune'."""


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    entry: Entry
    confidence: float


def _exact(tokens: tuple[str, ...], names: dict[str, Entry]) -> list[_Match]:
    """Longest-first exact name matches ('navi mumbai' before 'mumbai'), not overlapping."""
    found = []
    i = 0
    while i < len(tokens):
        for size in range(min(MAX_NAME_WORDS, len(tokens) - i), 0, -1):
            entry = names.get(" ".join(tokens[i : i + size]))
            if entry is not None:
                found.append(_Match(i, i + size, entry, entry.confidence))
                i += size
                break
        else:
            i += 1
    return found


def _fuzzy(tokens: tuple[str, ...], policy: Policy) -> list[_Match]:
    """Recogniser spellings ('Bangler', 'Punet'): close to a served name, or very close to a gazetteer name."""
    index = city_index(policy)
    found = []
    for i, token in enumerate(tokens):
        for size in (2, 1):
            words = tokens[i : i + size]
            if len(words) < size or any(
                len(word) < _MIN_FUZZY_WORD or word in _NOT_PLACES or is_common_word(word) for word in words
            ):
                continue
            query = " ".join(words)
            if len(query) < _MIN_FUZZY_LENGTH:
                continue
            served = process.extractOne(query, index.served_names, scorer=fuzz.ratio, score_cutoff=_SERVED_CUTOFF)
            if served is not None:
                entry = index.names[served[0]]
                found.append(_Match(i, i + size, entry, round(0.85 * served[1] / 100, 2)))
                break
            if not (len(tokens) == size or _PLACE_BEFORE.intersection(tokens[max(0, i - 2) : i])):
                continue  # "behind the market" is not Bhind: other towns only where a place is said
            near = process.extractOne(
                query, index.by_initial.get(token[0], ()), scorer=fuzz.ratio, score_cutoff=_GAZETTEER_CUTOFF
            )
            if near is not None:
                entry = index.names[near[0]]
                found.append(_Match(i, i + size, entry, round(0.8 * near[1] / 100, 2)))
                break
    return found


def sound_key(word: str) -> str:
    """'pune', 'boona' and 'bhuna' all sound like 'PN'; a leading vowel is kept so 'agra' is not 'gra'."""
    key = word.lower()
    for pattern, replacement in _SOUNDS:
        key = pattern.sub(replacement, key)
    return ("A" if word[:1] in "aeiou" else "") + key.upper()


@lru_cache(maxsize=8)
def _sounds(policy: Policy) -> dict[str, Entry]:
    """One-word primary names of served and big cities by sound; a sound two cities share is left out."""
    found: dict[str, Entry | None] = {}
    for name, entry in city_index(policy).names.items():
        if " " in name or entry.confidence < 0.9 or not (entry.answer.serviceable or entry.population >= _BIG_CITY):
            continue
        key = sound_key(name)
        known = found.get(key, entry)
        found[key] = entry if known is not None and known.answer == entry.answer else None
    return {key: entry for key, entry in found.items() if entry is not None and len(key) >= 2}


def _sounds_like(tokens: tuple[str, ...], policy: Policy) -> list[_Match]:
    """'I stay in Boona': a one-word name said where a place goes that sounds like a city; a guess."""
    sounds = _sounds(policy)
    found = []
    for i, token in enumerate(tokens):
        if len(token) < _MIN_FUZZY_LENGTH - 1 or token in _NOT_PLACES or is_common_word(token):
            continue
        if not (len(tokens) == 1 or _PLACE_BEFORE.intersection(tokens[max(0, i - 2) : i])):
            continue
        entry = sounds.get(sound_key(token))
        if entry is not None:
            found.append(_Match(i, i + 1, entry, _SOUND_CONFIDENCE))
    return found


def _placed(tokens: tuple[str, ...], match: _Match) -> bool:
    before = tokens[max(0, match.start - 2) : match.start]
    after = tokens[match.end : match.end + 2]
    return any(word in _PLACE_BEFORE for word in before) or any(word in _PLACE_AFTER for word in after)


def _negated(tokens: tuple[str, ...], match: _Match, floor: int = 0) -> bool:
    """'Not Mumbai, I'm in Nagpur', 'Delhi mein nahi, Pune mein': a city the caller does not live in; a 'not'
    before an earlier city ('Not Mumbai, Nagpur') is that city's, not this one's."""
    before = tokens[max(floor, match.start - 3) : match.start]
    after = tokens[match.end : match.end + 2]
    return any(word in _NEGATORS for word in before) or any(word in _POST_NEGATORS for word in after)


def _lives_there(tokens: tuple[str, ...], match: _Match) -> bool:
    """'I work in Mumbai but live in Thane': where the caller lives beats other places named."""
    return any(word in _RESIDENCE for word in tokens[max(0, match.start - 3) : match.start]) or any(
        word in _RESIDENCE_AFTER for word in tokens[match.end : match.end + 2]
    )


def _home(tokens: tuple[str, ...], match: _Match) -> bool:
    """Said as where the caller lives: 'live in', 'moved to' (not 'office shifted to'), 'commute from'."""
    before = tokens[max(0, match.start - 4) : match.start]
    moved_there = bool(_MOVED_TO.intersection(before)) and not _WORKPLACE.intersection(before)
    return _lives_there(tokens, match) or moved_there or (bool(_COMMUTE & set(tokens)) and before[-1:] == ("from",))


def _left_behind(tokens: tuple[str, ...], match: _Match) -> bool:
    """'moved from Delhi to Pune', 'Delhi se Pune shift hua': the place the caller moved away from."""
    before = tokens[max(0, match.start - 1) : match.start]
    after = tokens[match.end : match.end + 1]
    moved = _MOVED.intersection(tokens)
    return bool(moved) and (before == ("from",) or after == ("se",))


def _nearby(tokens: tuple[str, ...], match: _Match) -> bool:
    """'near Delhi', 'Delhi ke paas': the caller lives somewhere else, close to this city."""
    before = " ".join(tokens[max(0, match.start - 2) : match.start])
    after = " ".join(tokens[match.end : match.end + 2])
    return before.endswith(_NEAR_BEFORE) or after.startswith(_NEAR_AFTER)


def _unmistakable(entry: Entry) -> bool:
    """A served city, or a big city by its own name: a city even in a list ('yes, 20k, Hyderabad')."""
    return entry.confidence >= 0.9 and (entry.answer.serviceable or entry.population >= _BIG_CITY)


_TORN_CONFIDENCE = 0.7
"""A city picked from two named alike is no surer than a contradicted slot."""


def read_city(segment: Segment, question: Question, policy: Policy) -> Reading[CityAnswer] | None:
    """The city this statement names: where the caller lives, a served city over others, the surest, the last;
    weighing 1 when said as where the caller lives, -1 as where they work."""
    tokens = segment.tokens
    index = city_index(policy)
    matches = _exact(tokens, index.names) + [  # "Gaya." or "I live in Gaya", never "chala gaya"
        match
        for match in _exact(tokens, index.placed_only)
        if _placed(tokens, match) or (match.end - match.start == len(tokens) and match.entry.population >= _WELL_KNOWN)
    ]
    if question is not Question.CITY:
        matches = [match for match in matches if _placed(tokens, match) or _unmistakable(match.entry)]
    elif not matches:
        matches = _fuzzy(tokens, policy) or _sounds_like(tokens, policy)
    matches = [
        match for match in matches
        if not _negated(tokens, match, max((m.end for m in matches if m.end <= match.start), default=0))
    ]  # fmt: skip
    matches = [match for match in matches if not _left_behind(tokens, match)] or matches
    if not matches:
        return None
    named = [match for match in matches if not _nearby(tokens, match)] or matches
    named = [match for match in named if _home(tokens, match)] or named
    served = [match for match in named if match.entry.answer.serviceable]
    best = max(reversed(served or named), key=lambda match: match.confidence)  # the surest, then the last
    confidence = min(best.confidence, _NEARBY_CONFIDENCE) if _nearby(tokens, best) else best.confidence
    lives = _home(tokens, best)
    at_work = _WORKPLACE.intersection(tokens[max(0, best.start - 4) : best.start]) or _COMMUTE.intersection(tokens)
    works = not lives and bool(at_work)
    # two places named alike ("Lucknow, Mumbai"): nothing says which is home, so the dialogue reads it back
    torn = len({match.entry.answer.name for match in named}) > 1
    slot = Slot(best.entry.answer, min(confidence, _TORN_CONFIDENCE) if torn else confidence, contradicted=torn)
    return Reading(slot, weight=1 if lives else -1 if works else 0)
