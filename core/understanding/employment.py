"""The employment slot: yes/no at the employment question, and what callers say about their work anywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.understanding.intents import REFUSAL, UNSURE
from core.understanding.reading import Reading
from core.understanding.text import Segment
from core.understanding.types import Employment, Question, Slot
from core.understanding.yesno import MISHEARD, yes_or_no

SALARIED, NOT_SALARIED = Employment.SALARIED, Employment.NOT_SALARIED

_EMPLOYER_NAMES = (
    r"infosys|tcs|tata consultancy|wipro|hcl|accenture|cognizant|tech mahindra|ibm|amazon|google|microsoft|"
    r"flipkart|reliance|hdfc|icici|sbi|axis bank|kotak|capgemini|deloitte|genpact|mnc|psu|multinational"
)
"""Employers whose name alone says 'I work there'."""
_EMPLOYERS = (
    rf"{_EMPLOYER_NAMES}|tata|railways?|army|navy|air force|police|government|govt|sarkari|bank|hospital|"
    r"school|call centre|call center|bpo|company|kampni|kampani|corporate|firm|office|factory|startup|start up"
)
"""Any workplace: says 'I work there' only with a verb ('work in a bank') or Hinglish 'bank mein'."""
_CUES: tuple[tuple[str, Employment, float, float], ...] = (
    # pattern, what it says, confidence, confidence when negated ("not salaried", "I'm not self-employed")
    (r"salaried|(?:salary|sailri|salari) (?:person|employee|job|wala|wali)|vetanbhogi|karmachari|naukripesha|"
     r"(?:get|getting|receive|draw|have) "
     r"(?:a |my |some |the |monthly |fixed |regular |any )*salary|"
     r"(?:salary|sailri|salari|tankhvah|tanakhvah|vetan) (?:milti|milta|aati|aata|hai)|on (?:the )?payroll|payroll",
     SALARIED, 0.9, 0.9),
    (r"(?<!self )employed|employee|(?:permanent|full time|fulltime|regular) (?:job|employee|staff|position)|"
     r"(?:private|praivet|pvt|government|govt|sarkari|corporate|it|office|bank|company|mnc|software|desk|permanent|"
     r"full time) (?:job|naukri|service|sector)", SALARIED, 0.9, 0.85),
    (r"(?:private|praivet|pvt|it|software|mnc|government|govt|sarkari|multinational|big|small) "
     r"(?:company|kampni|kampani|firm|bank|office)",
     SALARIED, 0.75, 0.65),
    (r"\bjob\b|naukri|naukari|nokri|noukri|(?:am|im|in) service", SALARIED, 0.8, 0.85),
    (r"naukri kar\w*|job kar\w*|(?:work|working|works|worked|employed|job|placed|posted|engineer|developer|"
     r"consultant|manager|analyst|executive|officer|teacher|clerk|associate|accountant|nurse|designer|tester|"
     r"architect|lead|intern|staff|employee) (?:at|for|in|with) (?:(?:a|an|the|any|some|one) )?"
     r"(?!myself|my own|own|home|shop|my shop|my family|family|self|contract|clients|(?:january|february|march|"
     r"april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|"
     r"nov|dec|last|between|the past)\b)[a-z]\w*", SALARIED, 0.85, 0.65),
    (r"joined (?!(?:in|on|last|this|from|back|recently)\b)(?:a |an |the )?(?:new )?[a-z]\w*|"
     r"(?:got|have|found|mili|mil gayi) (?:a |an )?new (?:one|job|naukri)|new job|nayi naukri|"
     r"(?:company|job|naukri|office) join (?:kiya|ki|kar li|kar liya|kiya hai)", SALARIED, 0.85, 0.65),
    (rf"(?:{_EMPLOYERS})(?: \w+)? (?:me|mein|mai|main) (?:kaam|job|naukri)|(?:{_EMPLOYERS}) (?:me|mein|mai|main)",
     SALARIED, 0.8, 0.65),
    (r"kaam kar(?:ta|ti|te) (?:hoon|hun|hu|hai)", SALARIED, 0.7, 0.65),
    (rf"\b(?:{_EMPLOYER_NAMES})\b", SALARIED, 0.7, 0.6),
    (r"(?:i am|im) (?:celery|salary|salaried person)|salaried employee|"  # Whisper hears "salaried" as "celery"
     r"(?:i am|im|am|yes|currently|presently|abhi) working|working (?:professional|full time)|"
     r"(?:i am|im|i work) in (?:it|software|sales|marketing|hr|finance|banking|operations|accounts|support)|"
     r"(?:business|delivery|sales|project|product) (?:analyst|development|executive|manager|associate|"
     r"intelligence|head|lead)",
     SALARIED, 0.75, 0.7),
    (r"software engineer|engineer|developer|programmer|teacher|professor|lecturer|manager|clerk|analyst|"
     r"accountant|executive|officer|banker|nurse|injiniyar|tichar|peon|receptionist|sales (?:executive|person|man)|"
     r"team lead",
     SALARIED, 0.65, 0.6),
    (r"(?:apna|apni|khud ka|khud ki) (?:\w+ )?kaam kar\w*(?: (?:hoon|hun|hu|hai))?|"
     r"(?:own|apna|apni|apne|khud ka|khud ki|family|ghar ka|ghar ki) (?:\w+ )?(?:business|biznes|shop|dukaan|dukan|"
     r"firm|company|startup|clinic|practice|kaam|dhanda|dhandha|vyapar|store|agency|restaurant|cafe|farm|taxi)|"
     r"my (?:\w+ )?(?:business|biznes|shop|dukaan|dukan|clinic|practice|dhanda|dhandha|store|restaurant|cafe|farm)",
     NOT_SALARIED, 0.9, 0.65),
    (r"(?:business|biznes) ?(?:man|woman|owner|person)?(?! (?:analyst|development|executive|manager|associate|head))|"
     r"vyapar\w*|dhand?ha|trader|trading|shop ?keeper|dukaan ?dar|"
     r"dukandar|dukaan|dukan|kirana|proprietor|entrepreneur|founder|(?:run|have|own|running) (?:a |my )?(?:\w+ )?"
     r"(?:shop|store|restaurant|dhaba|stall|clinic|practice|firm|agency|factory|startup|company)",
     NOT_SALARIED, 0.85, 0.65),
    (r"self ?employed|self ?employad|self ?imployed|self employment|frilans\w*|"
     r"on my own|for myself|work for me|khud ka kaam|apna kaam|own boss|"
     r"free ?lanc\w*|consult(?:ant|ing|ancy)|contract(?:ual|or)?|gig|daily wages?|dihadi|majdoor|mazdoor|"
     r"labou?r(?:er)?|mazdur|farmer|farming|kisan|kheti|khet|agricultur\w*|uber|ola|rapido|swiggy|zomato|delivery|"
     r"auto (?:driver|chala\w*)|rickshaw|(?:taxi|cab) (?:chala\w*)|own (?:auto|taxi|cab|truck)|"
     r"tuitions?|commission|part time|parttime|youtuber|influencer", NOT_SALARIED, 0.85, 0.65),
    (r"student|chhatra|chhatr|chhaatra|chhaatr|vidyarthi|studying|study|padhai|padh (?:raha|rahi)|"
     r"college (?:me|mein|student)|graduat(?:ing|e student)|"
     r"retired|ritayard|ritayar|retirement|pension\w*|penshan|housewife|house wife|hausvaif|homemaker|home maker|"
     r"hommekar|grihini|grihani|"
     r"ghar sambhal\w*|ghar ka kaam(?: kar\w*(?: hoon| hu| hai)?)?|"
     r"(?:khet|farm|dukaan|dukan|shop|apne) (?:me|mein|pe|par) (?:hi )?kaam kar\w*(?: hoon| hu| hai)?",
     NOT_SALARIED, 0.9, 0.6),
    (r"unemployed|jobless|no (?:job|work|naukri|employment|employer|income|salary)|between jobs|lost (?:my )?job|"
     r"looking for (?:a |some )?(?:job|work|naukri)|searching for (?:a )?(?:job|work)|not working|"
     r"(?:dont|do not|doesnt) (?:work|have (?:a |any )?(?:job|employer))|berozgar|berozgaar|kaam nahi|"
     r"naukri nahi|job nahi|(?:naukri|job) chali gay?i|laid off|job (?:chhod|chod) \w*|quit|resigned|"
     rf"left (?:my |the |a )?(?:job|company|naukri|office|{_EMPLOYER_NAMES})|job ended|"
     r"job (?:khatam|gone|chali gayi)|company (?:closed|shut down|band ho gayi)|"
     r"naukri (?:khatam|chhoot gay?i|chut gay?i)|"
     r"(?:job|naukri) (?:chhod|chod) (?:di|diya|dia)|fired|retrenched",
     NOT_SALARIED, 0.9, 0.65),
)  # fmt: skip

_NEGATORS = frozenset({"not", "dont", "doesnt", "didnt", "never", "longer", "isnt", "arent", "wasnt", "cannot",
                       "cant", "nor", "neither", "havent", "hasnt", "without"})
_POST_NEGATORS = frozenset({"nahi", "nahin", "nai"})
"""Hinglish negates after the word: 'salaried nahi hoon', 'job nahi hai'."""
_CLAUSE_BREAKS = frozenset({"but", "and", "however", "par", "lekin", "though", "now", "ab"})
_NEGATION_WINDOW = 4
STRONG = 0.75
"""Two statements disagree only when both are at least this sure; a job title (0.65) yields to 'own practice'."""
_OTHER_PEOPLE = frozenset({"father", "mother", "dad", "mom", "papa", "mummy", "parents", "husband", "wife",
                           "brother", "sister", "son", "daughter", "friend", "he", "she", "they", "who", "pati",
                           "patni", "pitaji", "bhai", "behen", "family", "uncle"})
_COMPILED = tuple((re.compile(rf"\b(?:{pattern})\b"), meaning, confidence, negated)
                  for pattern, meaning, confidence, negated in _CUES)


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    meaning: Employment
    confidence: float
    negated_confidence: float
    negated: bool = False


def _flip(meaning: Employment) -> Employment:
    return NOT_SALARIED if meaning is SALARIED else SALARIED


def _someone_else(words_before: list[str]) -> bool:
    """'my father has a business', 'parents are retired': about another person, not the caller."""
    for word in reversed(words_before[-_NEGATION_WINDOW:]):
        if word in _CLAUSE_BREAKS:
            return False
        if word in _OTHER_PEOPLE:
            return True
    return False


def _negated(words_before: list[str], words_after: list[str]) -> bool:
    """A negator shortly before the cue in the same clause, or a Hinglish one just after it."""
    before = False
    for word in reversed(words_before[-_NEGATION_WINDOW:]):
        if word in _CLAUSE_BREAKS:
            break
        if word in _NEGATORS:
            before = True
            break
    after = any(word in _POST_NEGATORS for word in words_after[:2])
    return before != after


def _cues(text: str) -> list[_Cue]:
    """Every work statement, the longer one kept where two overlap, in the order they were said."""
    found = []
    for regex, meaning, confidence, negated_confidence in _COMPILED:
        found.extend(_Cue(m.start(), m.end(), meaning, confidence, negated_confidence) for m in regex.finditer(text))
    found = [  # "delivery" inside "delivery manager" says nothing of its own
        cue for cue in found
        if not any(o.start <= cue.start and cue.end <= o.end and o.end - o.start > cue.end - cue.start for o in found)
    ]  # fmt: skip
    kept: list[_Cue] = []
    for cue in sorted(found, key=lambda c: (c.start - c.end, c.start)):
        if all(cue.end <= other.start or cue.start >= other.end for other in kept):
            kept.append(cue)
    kept.sort(key=lambda c: c.start)
    resolved = []
    for i, cue in enumerate(kept):
        previous_end = kept[i - 1].end if i else 0
        next_start = kept[i + 1].start if i + 1 < len(kept) else len(text)
        before = text[previous_end : cue.start].split()
        if _someone_else(before):
            continue
        if _negated(before, text[cue.end : next_start].split()):
            cue = _Cue(cue.start, cue.end, _flip(cue.meaning), cue.negated_confidence, cue.negated_confidence, True)
        resolved.append(cue)
    return resolved


def read_employment(segment: Segment, question: Question) -> Reading[Employment] | None:
    """Employment from one statement, as a reading (work statements weigh nothing special)."""
    slot = _employment(segment, question)
    return None if slot is None else Reading(slot)


def _employment(segment: Segment, question: Question) -> Slot[Employment] | None:
    """Employment from what the caller says about their work (any question), or yes/no at its own question."""
    cues = _cues(UNSURE.sub(" ~ ", REFUSAL.sub(" ~ ", segment.text)))  # "none of your business" is no cue
    said = yes_or_no(segment.text) if question is Question.EMPLOYMENT else None
    particle = None if said is None else (SALARIED if said.yes else NOT_SALARIED)
    if not cues:
        if said is None:
            return None
        hedged = UNSURE.search(segment.text)  # "yes, I'm not sure"
        confidence = min(said.confidence, MISHEARD) if hedged else said.confidence
        return Slot(SALARIED if said.yes else NOT_SALARIED, confidence)
    last = cues[-1]
    if particle is not None and particle is not last.meaning and last.negated:
        return None  # "Yes, I can't have a job in a bank": as often a misheard "I have" as a real "no"
    disagreeing = any(cue.meaning is not last.meaning for cue in cues)  # "salaried, and my own business"
    contradicted = disagreeing and min(cue.confidence for cue in cues) >= STRONG  # not "an accountant, own practice"
    if disagreeing or (particle and particle is not last.meaning):
        confidence = min(last.confidence, 0.7)
    elif particle is last.meaning:
        confidence = 0.95
    else:
        confidence = max(cue.confidence for cue in cues)  # they all agree: the plainest one counts
    return Slot(last.meaning, confidence, contradicted=contradicted)
