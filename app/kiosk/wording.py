"""The kiosk's own sentences: the visitor stands in the branch, so some phone wording does not fit."""

from __future__ import annotations

from dataclasses import replace

from core.prompts import PromptBook, PromptKey

KIOSK_WORDS = {
    "en": {
        PromptKey.INCOMPLETE: (
            "I am sorry, I could not get your answers. Please press Start to try again, "
            "or ask a member of staff here for help. Goodbye."
        ),
    },
    "hi": {
        PromptKey.INCOMPLETE: (
            "माफ़ कीजिए, हमें आपके जवाब नहीं मिल पाए। कृपया फिर से शुरू करें दबाएँ, "
            "या यहाँ किसी स्टाफ़ सदस्य से मदद लें। नमस्ते।"
        ),
    },
}
"""Sentences that must differ at a kiosk: the visitor is standing in the branch, not on the phone."""


def for_the_kiosk(prompts: PromptBook) -> PromptBook:
    """The prompt book with the kiosk's own sentences (a language without them keeps the phone's)."""
    words = KIOSK_WORDS.get(prompts.language.split("-")[0].lower(), {})  # "en-IN" -> "en"
    return replace(prompts, texts={**prompts.texts, **words})
