"""Devanagari replies spelt the way Hinglish callers type them, so one set of rules understands both scripts.

`हाँ जी` becomes `han ji`, `पचास हज़ार` becomes `pachaas hazar`, `४०,०००` becomes `40,000`. Characters are
mapped by `indic-transliteration` (OPTITRANS), variants folded by `hindi-normalize`; on top of that the
inherent vowel a Hindi speaker does not say is dropped (`naukarI` -> `naukri`) and long vowels are written
single, as in typed Hinglish. Number words are looked up whole in `hindi-normalize`'s table and written with
this project's own spelling of that number, never guessed letter by letter: पच्चीस (25) and पचास (50)
differ by one vowel and 25,000 is the threshold.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hindi_normalize import WORD_TO_NUM, normalize_devanagari
from indic_transliteration import sanscript

from core.understanding.numbers import HINDI_CANONICAL

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_WORD = re.compile(r"[\u0900-\u097F]+")
_DANDA = re.compile(r"[।॥]")


def _folded(text: str) -> str:
    """Spelling variants made one (nukta, explicit nasal clusters, chandrabindu); Devanagari digits to ASCII."""
    return normalize_devanagari(text, nasals=True, chandrabindu=True)


_NUMBER_WORDS = {_folded(word): HINDI_CANONICAL[value] for word, value in WORD_TO_NUM.items() if 0 < value < 100}
"""Devanagari number words 1..99 (hindi-normalize's table, several spellings each) in this project's spelling."""

_UNIT = re.compile(
    r"(?P<v>ai|au|oa|RRi|R\^i|R|A|I|U|a|i|u|e|o)"
    r"|(?P<n>\.N|M)"
    r"|(?P<c>\.Dh|\.D|\.kh|\.g|Ch|ch|kh|gh|jh|Th|Dh|th|dh|ph|bh|Sh|sh|~n|~N|GY|[kgjTDNtdnpbmyrlvwshxqzfHK])"
)
_CONSONANTS = {"Ch": "chh", "T": "t", "Th": "th", "D": "d", "Dh": "dh", ".D": "r", ".Dh": "rh", "N": "n",
               "Sh": "sh", "~n": "n", "~N": "n", "GY": "gy", "x": "ksh", ".kh": "kh", ".g": "g", "q": "k",
               "K": "kh", "H": "h", "ph": "f"}  # fmt: skip
"""फ as 'f': how callers type it ('fir se') and how English words written in Devanagari sound ('सेल्फ')."""
_VOWELS = {"A": "a", "I": "i", "U": "u", "oa": "o", "R": "ri", "RRi": "ri", "R^i": "ri"}
_LABIALS = ("p", "b", "m", "ph", "bh")


def _units(itrans: str) -> list[tuple[str, str]]:
    """An OPTITRANS word as (kind, letters) units: c consonant, v vowel, n nasalisation."""
    units = []
    i = 0
    while i < len(itrans):
        match = _UNIT.match(itrans, i)
        if match is None:
            i += 1
            continue
        kind = match.lastgroup or "c"
        units.append((kind, match.group()))
        i = match.end()
    return units


def _drop_schwas(units: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Hindi schwa deletion: a final 'a' after a consonant ('सेल्फ' -> 'self'), and an 'a' between VC and CV,
    go silent."""
    kinds = [kind for kind, _ in units]

    def vowel_like(i: int) -> bool:
        return i >= 0 and kinds[i] in ("v", "n")

    for i in range(len(units) - 1, 1, -1):
        if units[i] != ("v", "a") or kinds[i - 1] != "c":
            continue
        final = i == len(units) - 1 and ("v" in kinds[: i - 1] or "n" in kinds[: i - 1])
        medial = vowel_like(i - 2) and i + 2 < len(units) and kinds[i + 1] == "c" and kinds[i + 2] == "v"
        if final or medial:
            del units[i]
            del kinds[i]
    return units


def _spell(units: list[tuple[str, str]]) -> str:
    """Long ā is written 'a' as Hinglish typists do ('hazar', 'salana'), but 'aa' in a one-syllable word or
    at a word's start, where a single 'a' would be another word: काम 'kaam' (work), not कम 'kam' (less)."""
    letters = []
    one_syllable = sum(kind == "v" for kind, _ in units) == 1
    for i, (kind, text) in enumerate(units):
        if kind == "c":
            letters.append(_CONSONANTS.get(text, text))
        elif kind == "v" and text == "A" and (one_syllable or i == 0):
            letters.append("aa")
        elif kind == "v":
            letters.append(_VOWELS.get(text, text))
        else:  # anusvara or chandrabindu: 'm' before a lip sound, 'in' ending a word after e ('में'), else 'n'
            following = units[i + 1][1] if i + 1 < len(units) else ""
            ends_in_e = not following and i > 0 and units[i - 1][1] == "e"
            letters.append("m" if following in _LABIALS else "in" if ends_in_e else "n")
    return "".join(letters)


@lru_cache(maxsize=4096)
def romanise_word(word: str) -> str:
    """One Devanagari word in typed-Hinglish spelling ('नौकरी' -> 'naukri')."""
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    itrans = sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.OPTITRANS)
    return _spell(_drop_schwas(_units(itrans)))


def has_devanagari(text: str) -> bool:
    return bool(_DEVANAGARI.search(text))


def romanise(text: str) -> str:
    """Every Devanagari word of a reply in Hinglish spelling; Latin text and digits are left as they are."""
    if not has_devanagari(text):
        return text
    text = _folded(text)  # also ४०,००० -> 40,000
    text = _DANDA.sub(".", text)
    return _WORD.sub(lambda match: romanise_word(match.group()), text)
