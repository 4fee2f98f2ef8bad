"""What a Hindi caller is likely to say at each question: the recogniser's Hindi context and the few
answers the question admits (for constrained recognition, `answer_scorer`).

Whisper needs context in the script it should write: a Devanagari exchange keeps a Hindi reading in
Devanagari (without it the small model mostly writes romanised Hindi or English look-alikes). As in
English, the context must not end in one specific answer, or silence and noise get that answer.
"""

from __future__ import annotations

from core.hindi_numbers import hindi_words
from core.policy import Policy
from core.speech.answer_scorer import Candidate
from core.understanding.types import Question

CITY_NAMES = {
    "Delhi": ("दिल्ली", "नई दिल्ली"),
    "Mumbai": ("मुंबई", "बंबई"),
    "Bangalore": ("बैंगलोर", "बेंगलुरु"),
    "Pune": ("पुणे",),
    "Chennai": ("चेन्नई",),
    "Hyderabad": ("हैदराबाद",),
    "Kolkata": ("कोलकाता",),
    "Ahmedabad": ("अहमदाबाद",),
    "Jaipur": ("जयपुर",),
    "Lucknow": ("लखनऊ",),
}
"""Cities callers name, in Devanagari, keyed by the name the gazetteer knows; served or not."""

YES = ("हाँ", "जी हाँ", "हाँ जी", "हाँ, मैं नौकरी करता हूँ", "जी, मैं नौकरीपेशा हूँ")
NO = ("नहीं", "जी नहीं", "नहीं, मेरा अपना बिज़नेस है", "नहीं, मैं नौकरी नहीं करता")
LAKHS = {100_000: "एक लाख", 150_000: "डेढ़ लाख", 200_000: "दो लाख", 250_000: "ढाई लाख", 300_000: "तीन लाख"}



def prompt(question: Question, policy: Policy) -> str:
    """The Whisper initial prompt for a Hindi call: a short made-up Devanagari exchange that ends on the
    question: one ending in "हाँ। नहीं।" made more readings "नहीं" (bench/hindi_asr.py). Without the bare
    "हाँ। नहीं।" the model recited "अपना बिज़नेस है" for every yes/no instead, so they stay, and a
    recited "नहीं। नहीं।" is caught by `echoes_prompt`."""
    if question is Question.EMPLOYMENT:
        return "हाँ। नहीं। जी हाँ, मैं नौकरी करता हूँ। नहीं, मेरा अपना बिज़नेस है। क्या आप नौकरीपेशा हैं?"
    if question is Question.SALARY:
        minimum = hindi_words(policy.min_monthly_salary)
        return f"मेरी सैलरी चालीस हज़ार रुपये महीना है। एक लाख। हाँ। नहीं। क्या आपकी सैलरी कम से कम {minimum} रुपये है?"
    names = [name for names in CITY_NAMES.values() for name in names]
    return ", ".join(names) + "। आप किस शहर में रहते हैं?"


def candidates(question: Question, policy: Policy) -> list[Candidate]:
    """Every answer this question admits, in Devanagari, with the text understanding reads and its value."""
    yes_no = [Candidate(text, "yes", True) for text in YES] + [Candidate(text, "no", False) for text in NO]
    if question is Question.EMPLOYMENT:
        return yes_no
    if question is Question.SALARY:
        amounts = [Candidate(f"{hindi_words(n)} हज़ार", f"{n * 1000} rupees", n * 1000) for n in range(5, 100)]
        amounts += [Candidate(words, f"{amount} rupees", amount) for amount, words in LAKHS.items()]
        return [*yes_no[:3], *yes_no[5:7], *amounts]
    cities = [Candidate(name, city, city) for city, names in CITY_NAMES.items() for name in names]
    cities += [Candidate(f"मैं {c.spoken} में रहता हूँ", c.text, c.value) for c in cities]
    return cities
