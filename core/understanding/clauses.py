"""A reply split into statements, each marked by when it holds and whose it is, so the current one decides.

"My salary was 20k last year, now it's 30k", "I used to live in Delhi but I moved to Pune", "yes, but I also
do some freelancing on the side", "my wife earns 50k, I get 20": several values, one of them about the
caller now. A statement is a stretch between sentence ends, conjunctions ('but', 'lekin') and commas that
open a new subject ('..., I', '..., now'); a stretch that switches from past to now ('20k last year now 30k')
is cut where the time changes. A lone yes/no joins the statement after it ("yes, I'm salaried").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from core.understanding.numbers import NUMBER_WORDS, SCALES
from core.understanding.text import Segment, tokens_of


class Time(StrEnum):
    NOW = "now"
    """Said with 'now', 'currently', 'abhi': beats every other statement."""
    PRESENT = "present"
    """No time said."""
    CHANGED = "changed"
    """A past change whose result holds now ('I moved to Pune', 'I lost my job'): counts when nothing is said
    of the present, and the last change wins."""
    PAST = "past"
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a reply and what kind it is."""

    segment: Segment
    time: Time
    hypothetical: bool = False
    """'if I get the hike', 'agar'."""
    someone_else: bool = False
    """About another person: 'my wife earns…', 'papa ki dukaan hai'."""
    side_note: bool = False
    """Next to the main fact: 'also', 'on the side', 'bhi'."""
    origin: bool = False
    """Where the caller comes from, not where they live: 'native is Patna', 'originally from Delhi'."""
    also: bool = False
    """Says 'also' / 'bhi': a side note when the reply has a main statement too."""

    @property
    def current(self) -> bool:
        """Holds now, for the caller, as the main fact: the statements a slot is filled from."""
        return (
            self.time in (Time.NOW, Time.PRESENT, Time.CHANGED)
            and not (self.hypothetical or self.someone_else or self.side_note or self.origin or self.also)
        )


_SENTENCE_END = re.compile(r"(?<!\d)[.!?;:]+|[.!?;:]+(?!\d)")
_OPENERS = (
    r"right now|i|im|ive|id|my|mine|main|mera|meri|mere|mujhe|hum|we|our|he|she|they|his|her|their|it|its|thats|that|"
    r"this|there|now|currently|presently|abhi|ab|aajkal|nowadays|earlier|previously|pehle|pahle|also|"
    r"last|but|then|recently|still|salary|wife|husband|father|mother|papa|mummy|brother|sister|native|"
    r"originally|before|retired|moved|shifted|lost|left|quit|resigned|started|pichle|pichhle|pichla|pichhla|pichli|pichhli|previous|old|current|side|upar|extra|alag|joined|staying|living|residing|working|rehta|rehti|rahta|rahti"
)
_CONJUNCTION = re.compile(
    rf"\b(?:but|however|although|though|whereas|lekin|magar|kintu|parantu)\b|,\s*par\b"
    rf"|(?:,\s*|\b)(?:and|aur|plus)\s+(?=(?:{_OPENERS})\b)|,\s*(?=(?:{_OPENERS})\b)"
)
_NOW = re.compile(
    r"\b(?:now|right now|currently|current|presently|at present|abhi|ab|aajkal|aaj kal|nowadays|these days|today|"
    r"at the moment|as of now|as of today|filhaal|filhal|still|this month|is mahine|this year|is saal|iss saal|"
    r"present)\b"
)
_PAST = re.compile(
    r"\b(?:was|were|used to|use to|earlier|previously|previous|formerly|last drawn|before that|before this|ago|"
    r"last (?:year|month|week|job|company|time)|pichle|pichhle|pichla|pichhla|pichli|pichhli|pehle|pahle|pehele|"
    r"tha|thi|thaa|had been|ex|former|(?:milte|karte|rehte|rahte|kamate|lete|hote) the)\b"
)
_RESULT = re.compile(
    r"\b(?:moved|shifted|relocated|transferred|settled|lost|left|quit|resigned|laid off|fired|retired|"
    r"retrenched|joined|started|switched|ended|closed|shut down|"
    r"got (?:a |an |the |my )?(?:new )?(?:job|offer|transfer|posting)|"
    r"khatam|band ho gay[aie]|chhoot gay[aie]|"
    r"aa gay[aie]|aagay[aie]|shift ho gay[aie]|chali gay?i|chhod di|chod di|chhoot gay?i|chut gay?i)\b"
)
"""A past change whose result holds now: 'I moved to Pune last year' says where the caller lives."""
_FUTURE = re.compile(
    r"\b(?:next (?:month|year|week)|from next|going to|gonna|about to|soon|will (?:join|start|get|be joining|"
    r"move|shift|be moving|be shifting|be getting)|ill (?:join|start|get|move|shift)|joining|upcoming|"
    r"agle|aane wal[aei]|kal se|milega|milegi|join karunga|join karungi|karunga|karungi|jaunga|jaungi|"
    r"will (?:become|increase|go up|be revised)|badhega|badh jayega|"
    r"after (?:the |my )?(?:appraisal|increment|hike|promotion|joining|confirmation)\b(?=.*\b(?:will|ll|hoga|hogi|"
    r"milega|milegi|jayega|jayegi)\b))\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if(?! i (?:am not|m not|remember|recall)| im not)|agar|would(?! say| think| guess)|could|might|"
    r"hopefully|expecting|expected|supposed to|in case)\b"
)
_SOMEONE_ELSE = re.compile(
    r"^(?:(?:yes|no|and|but|ok|okay|sir|maam|ji|han|haan|so|well|also) )*"
    r"(?:(?:my|mera|meri|mere|our|hamara|hamari|hamare|his|her|their) (?:\w+ )?"
    r"(?:wife|wifes|husband|husbands|father|fathers|mother|mothers|dad|dads|mom|moms|papa|papas|mummy|parents|"
    r"brother|brothers|sister|sisters|son|sons|daughter|daughters|friend|friends|uncle|bhai|behen|pati|patni|"
    r"family(?! business| ka| ki| shop| dukaan| firm)|"
    r"pitaji|spouse|household)|(?:he|she|they|woh|wo|vo|papa|pitaji|bhai|wife|husband|pati|patni) |"
    r"(?:our |my |total |combined |joint )?(?:family|household|ghar ki|combined|joint) (?:income|earning|kamai)|"
    r"(?:ghar|family|household) (?:mein |me |ka |ki )?(?:total|milake|mila ke|combined))"
)
_SIDE = re.compile(
    r"\b(?:on the side|upar se|alag se|extra|side (?:income|business|kaam|job|hustle|work|me|mein)|"
    r"additional income|additionally|apart from|besides|saath (?:mein|me|saath)|weekends?)\b"
)
_ALSO = re.compile(r"\b(?:also|too|as well|bhi)\b")
"""'also' marks a side note only next to a main statement: alone it is Indian English emphasis ('I am also
salaried', 'Mumbai also')."""
_ORIGIN = re.compile(
    r"\b(?:native|originally|hometown|home town|born|grew up|pushtaini|paida)\b"
)
_PARTICLE_ONLY = re.compile(
    r"^(?:(?:yes|yeah|yep|yup|ya|no|nope|nah|haan|han|haa|ji|nahi|nahin|ok|okay|sir|maam|madam|sure|right|"
    r"correct|of course|bilkul|so|well|hmm|umm|uh|acha|achha)\s*)+$"
)


def _time(text: str) -> Time:
    if _FUTURE.search(text):
        return Time.FUTURE
    if _NOW.search(text):
        return Time.NOW
    if _RESULT.search(text):
        return Time.CHANGED
    if _PAST.search(text):
        return Time.PAST
    return Time.PRESENT


def _cut_at_time_switch(piece: str) -> list[str]:
    """'20k last year now 30k': one stretch that says two times is two statements, cut where the time changes."""
    now = _NOW.search(piece)
    other = _PAST.search(piece) or _FUTURE.search(piece) or _HYPOTHETICAL.search(piece)
    if now is None or other is None:
        return [piece]
    cut = max(now.start(), other.start())
    return [piece[:cut], piece[cut:]]


def _numeric(token: str) -> bool:
    return token in NUMBER_WORDS or token[0].isdigit()


def _sentences(text: str) -> list[str]:
    """Sentences, except that a full stop after a number word that is not a multiplier is a recogniser's
    pause mid-number ('Thirty. Five thousand')."""
    sentences: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = tokens_of(sentence)
        previous = tokens_of(sentences[-1]) if sentences else ()
        if words and previous and _numeric(words[0]) and previous[-1] in NUMBER_WORDS and previous[-1] not in SCALES:
            sentences[-1] = f"{sentences[-1]} {sentence}"
        else:
            sentences.append(sentence)
    return sentences


def _pieces(text: str) -> list[str]:
    pieces = []
    for sentence in _sentences(text):
        for piece in _CONJUNCTION.split(sentence):
            pieces.extend(_cut_at_time_switch(piece))
    return pieces


def statements(segment: Segment) -> list[Statement]:
    """The statements of one stretch of a reply, in the order said."""
    found: list[Statement] = []
    carried = ""
    for piece in _pieces(segment.raw or segment.text):
        tokens = tokens_of(piece)
        if not tokens:
            continue
        text = " ".join(tokens)
        if _PARTICLE_ONLY.match(text):  # "yes," belongs with what follows: "yes, I'm salaried"
            carried = f"{carried} {text}".strip()
            continue
        statement = _statement(Segment(tokens=tokens, text=text))
        if carried and statement.current:
            tokens, text = tuple(tokens_of(carried)) + tokens, f"{carried} {text}"
            statement = _statement(Segment(tokens=tokens, text=text))
        elif carried:  # "yes, but I also freelance": the yes answers the question on its own
            found.append(_statement(Segment(tokens=tokens_of(carried), text=carried)))
        carried = ""
        found.append(statement)
    if carried:
        found.append(_statement(Segment(tokens=tokens_of(carried), text=carried)))
    if not any(statement.current for statement in found):  # "I am also salaried": emphasis, not a side note
        found = [replace(statement, also=False) for statement in found]
    return found


def _statement(segment: Segment) -> Statement:
    text = segment.text
    return Statement(
        segment=segment,
        time=_time(text),
        hypothetical=bool(_HYPOTHETICAL.search(text)),
        someone_else=bool(_SOMEONE_ELSE.search(text)),
        side_note=bool(_SIDE.search(text)),
        also=bool(_ALSO.search(text)),
        origin=bool(_ORIGIN.search(text)) and not _NOW.search(text),  # "now back in my hometown Nashik"
    )
