"""The call's language: which one was asked for, and whether a caller's words are Hindi.

One small module so every front end (simulator, kiosk, bridge) resolves `--language` and
$QUICKRUPEE_LANGUAGE the same way, and the phone's "press 2 / say Hindi" offer is judged in one place.
"""

from __future__ import annotations

import os
import re

LANGUAGE_ENV = "QUICKRUPEE_LANGUAGE"
LANGUAGES = ("en", "hi")
"""Languages with a prompt file, a voice and a recogniser; the first is the default."""
DEFAULT_LANGUAGE = LANGUAGES[0]

HINDI_KEY = "2"
"""The keypad key the phone greeting offers for Hindi."""
_HINDI_NAMES = frozenset({"hindi", "hindee", "indi", "हिंदी", "हिन्दी", "हिंदि"})
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[a-z\u0900-\u097f]+")

HINDI_SHARE = 0.5
"""Share of a reply's letters that must be Devanagari for the reply to count as Hindi."""


class LanguageError(ValueError):
    """An unknown language code; the message names the ones we have."""


def resolve_language(explicit: str | None = None) -> str:
    """The explicit choice, else $QUICKRUPEE_LANGUAGE, else English; unknown codes are an error."""
    chosen = (explicit or os.environ.get(LANGUAGE_ENV) or DEFAULT_LANGUAGE).strip().lower()
    return check_language(chosen)


def check_language(code: str) -> str:
    """`code` ("hi", "hi-IN", "en") as one of LANGUAGES, or LanguageError naming the choices."""
    short = code.strip().lower().replace("_", "-").split("-")[0]
    if short not in LANGUAGES:
        raise LanguageError(f"unknown language {code!r} (available: {', '.join(LANGUAGES)})")
    return short


def devanagari_share(text: str) -> float:
    """Share of the letters in `text` written in Devanagari (0.0 for text without letters)."""
    devanagari = len(_DEVANAGARI.findall(text))
    total = devanagari + len(_LATIN.findall(text))
    return devanagari / total if total else 0.0


def is_hindi(text: str) -> bool:
    """A reply written mostly in Devanagari: a Hindi recogniser's reading of Hindi speech."""
    return devanagari_share(text) >= HINDI_SHARE


def asks_for_hindi(text: str) -> bool:
    """The caller pressed 2 or said "Hindi" (in either script) as the whole reply."""
    stripped = text.strip().rstrip("#")
    if stripped == HINDI_KEY:
        return True
    words = _WORD.findall(stripped.lower())
    return bool(words) and len(words) <= 3 and any(word in _HINDI_NAMES for word in words)
