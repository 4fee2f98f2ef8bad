"""Spoken and written numbers in Indian English and Hinglish: '1 lakh 20 thousand', 'sava lakh', '60k'."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_ENGLISH = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_ENGLISH_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "ninty": 90,
}  # fmt: skip

_HINDI_SPELLINGS = {
    1: "ek", 2: "do", 3: "teen tin", 4: "char chaar", 5: "paanch panch paach panc",
    6: "chhe che chhah chah chhey chheh chhai", 7: "saat sat", 8: "aath ath aat", 9: "nau",
    10: "das dus", 11: "gyarah gyaarah gyara gyaara igyarah", 12: "barah baarah bara baara",
    13: "terah tera", 14: "chaudah chaudha chauda chodah", 15: "pandrah pandra pundrah pandraah",
    16: "solah sola", 17: "satrah satra sattrah", 18: "atharah athara attharah atthara",
    19: "unnis unees unnees unis", 20: "bees bis", 21: "ikkees ikkis ekkis", 22: "baees bais baais baaees",
    23: "teis teees tais teyis", 24: "chaubees chaubis chobis chaubbis", 25: "pachees pachchees pachis pacchis "
    "pachchis paccis pachhis", 26: "chhabbees chhabbis chabbis chhabis", 27: "sattaees sattais sataees satais",
    28: "atthaees atthais athais athaees", 29: "untees unatees untis unatis unattis unnatis", 30: "tees tis",
    31: "ikattees iktees iktis ikattis ikatis", 32: "battees battis batis", 33: "taintees tentis taintis taitis",
    34: "chauntees chautis chountis chauntis", 35: "paintees paintis pentis paitis",
    36: "chhattees chhattis chattis chhatis", 37: "saintees saintis sentis", 38: "adtees artees adtis artis",
    39: "untaalees untalis unchalis untalees", 40: "chaalees chalis chaalis chalees",
    41: "iktaalees iktalis iktalees", 42: "bayaalees bayalis byalis bayalees", 43: "taintaalees taintalis tentalis",
    44: "chauvaalees chavalis chawalis chauwalis chauvalis", 45: "paintaalees paintalis pentalis",
    46: "chhiyaalees chhiyalis chiyalis chhiyalees", 47: "saintaalees saintalis sentalis",
    48: "adtaalees artalis adtalis artalees", 49: "unchaas unchas", 50: "pachaas pachas pachchas",
    51: "ikyaavan ikyavan ekyavan", 52: "baavan bavan", 53: "tirepan tirpan trepan", 54: "chauvan chauwan chavvan",
    55: "pachpan", 56: "chhappan chappan", 57: "sattaavan sattavan", 58: "atthaavan atthavan athavan",
    59: "unsath unsaath", 60: "saath sath", 61: "iksath iksaath", 62: "baasath basath", 63: "tirsath tresath",
    64: "chausath chausaath", 65: "painsath painsaath", 66: "chhiyaasath chhiyasath", 67: "sadsath sarsath",
    68: "adsath arsath", 69: "unhattar unattar", 70: "sattar", 71: "ikhattar ikattar", 72: "bahattar",
    73: "tihattar", 74: "chauhattar", 75: "pachhattar pachattar", 76: "chhihattar chihattar",
    77: "sathattar satattar", 78: "athattar atthattar", 79: "unyaasi unasi unnasi", 80: "assi assee asi",
    81: "ikyaasi ikyasi", 82: "bayaasi byasi", 83: "tiraasi tirasi", 84: "chauraasi chaurasi",
    85: "pachaasi pachasi", 86: "chhiyaasi chhiyasi", 87: "sattaasi sattasi", 88: "atthaasi athasi",
    89: "navaasi nawasi navasi", 90: "nabbe nabbay nawwe", 91: "ikyaanave ikyanve", 92: "baanave banve",
    93: "tiraanave tiranve", 94: "chauraanave chauranve", 95: "pachaanave pachanve",
    96: "chhiyaanave chhiyanve", 97: "sattaanave sattanve", 98: "atthaanave athanve",
    99: "ninyaanave ninyanve ninyanave",
}  # fmt: skip
HINDI = {spelling: value for value, spellings in _HINDI_SPELLINGS.items() for spelling in spellings.split()}
"""Every romanised Hindi number word for 1..99."""
HINDI_CANONICAL = {value: spellings.split()[0] for value, spellings in _HINDI_SPELLINGS.items()}
"""How this project writes each Hindi number 1..99 (the first spelling)."""

_HINDI_AMBIGUOUS = frozenset({"do", "tin", "teen", "sat", "das", "bees", "tees", "sath", "saath", "tera", "bara",
                              "sola", "asi", "ek", "char", "che", "bis", "tis", "ath", "aat", "nau", "bais"})
"""Hindi number words that are also everyday English or Hindi words: numbers only before 'hazaar', 'lakh'."""

SCALES = {
    "hundred": 100, "sau": 100,
    "thousand": 1000, "thousands": 1000, "k": 1000, "hazaar": 1000, "hazar": 1000, "hajar": 1000,
    "hajaar": 1000, "hazzar": 1000, "hazer": 1000,
    "lakh": 100_000, "lakhs": 100_000, "lac": 100_000, "lacs": 100_000, "laakh": 100_000,
    "lpa": 100_000, "lack": 100_000, "lacks": 100_000, "lak": 100_000,
    "crore": 10_000_000, "crores": 10_000_000, "cr": 10_000_000, "karod": 10_000_000, "karor": 10_000_000,
}  # fmt: skip
"""Multipliers; 'lpa' (lakh per annum) is a lakh that also says the figure is yearly; 'lack' is how a
recogniser may spell lakh, so it counts only after a number ('2 lack', never 'a lack of')."""
_MISSPELT_SCALES = frozenset({"lack", "lacks", "lak"})

_WHOLE_FRACTIONS = {"dedh": Decimal("1.5"), "derh": Decimal("1.5"), "dhai": Decimal("2.5"),
                    "dhaai": Decimal("2.5"), "adhai": Decimal("2.5"), "adhaai": Decimal("2.5")}
_OFFSETS = {"sava": Decimal("0.25"), "savva": Decimal("0.25"), "sawa": Decimal("0.25"),
            "saade": Decimal("0.5"), "sade": Decimal("0.5"), "saadhe": Decimal("0.5"), "sadhe": Decimal("0.5"),
            "sarhe": Decimal("0.5"), "saarhe": Decimal("0.5"),
            "paune": Decimal("-0.25"), "pone": Decimal("-0.25")}
"""'sava do lakh' = 2.25 lakh, 'saade teen' = 3.5, 'paune do' = 1.75; alone before a scale they apply to 1."""

_REPEATS = {"double": 2, "triple": 3}
_MIN_DIGIT_RUN = 3

NUMBER_WORDS = frozenset(
    {*_ENGLISH, *_ENGLISH_TENS, *HINDI, *SCALES, *_WHOLE_FRACTIONS, *_OFFSETS, "half", "point"}
)


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in a reply: its value and where it sits among the tokens."""

    value: Decimal
    start: int
    end: int
    """One past the last token used."""
    scale: int
    """The largest multiplier said with it (1000 for '35 thousand'), or 1 for a bare number."""
    yearly_unit: bool = False
    """Said with 'LPA'."""


def _digits(token: str) -> Decimal | None:
    if not token[0].isdigit():
        return None
    try:
        return Decimal(token)
    except InvalidOperation:
        return None


def _hindi_context(tokens: Sequence[str], i: int) -> bool:
    """Followed by a scale ('bees hazaar') or by a range into one ('bees se pachees hazaar', 'bees pachees')."""
    if i < len(tokens) and (tokens[i] in SCALES or tokens[i] in HINDI):
        return True
    linked = tuple(tokens[i : i + 1]) in {("se",), ("ya",), ("to",), ("aur",)}
    return linked and i + 1 < len(tokens) and tokens[i + 1] in HINDI


def _small(tokens: Sequence[str], i: int) -> tuple[Decimal, bool] | None:
    """The value of a number word or numeral at i, and whether it is a tens word that a unit may follow."""
    token = tokens[i]
    digits = _digits(token)
    if digits is not None:  # "40, one thousand" is how a recogniser writes "forty one thousand"
        unit_next = i + 1 < len(tokens) and 0 < _ENGLISH.get(tokens[i + 1], 10) < 10
        return digits, unit_next and len(token) == 2 and token.endswith("0") and token >= "20"
    if token in _ENGLISH:
        return Decimal(_ENGLISH[token]), False
    if token in _ENGLISH_TENS:
        return Decimal(_ENGLISH_TENS[token]), True
    if token in HINDI:
        if token in _HINDI_AMBIGUOUS and not _hindi_context(tokens, i + 1):
            return None
        return Decimal(HINDI[token]), False
    return None


def _followed_by_scale(tokens: Sequence[str], i: int) -> bool:
    return i < len(tokens) and tokens[i] in SCALES


def _parse_at(tokens: Sequence[str], start: int) -> Number | None:
    """The longest number phrase starting at `start`, if one does."""
    total = Decimal(0)
    current: Decimal | None = None
    current_start = start
    addable = 0  # a following word below this may be added ("twenty" + "two", "two hundred" + "fifty")
    offset = Decimal(0)
    scale = last_scale = 1
    yearly = literal_tail = False
    used = start
    i = start
    while i < len(tokens):
        token = tokens[i]
        small = _small(tokens, i)
        if small is not None:
            value, is_tens = small
            if current is None:
                current, addable, current_start = value + offset, (10 if is_tens else 0), i
                offset = Decimal(0)
            elif value < addable and value == value.to_integral_value():
                current, addable = current + value, (10 if is_tens and addable == 100 else 0)
            else:
                break
        elif token in SCALES:
            multiplier = SCALES[token]
            if current is None:
                if (offset == 0 and not (i > start and tokens[i - 1] == "a")) or token in _MISSPELT_SCALES:
                    break
                current, offset = 1 + offset, Decimal(0)
            if multiplier == 100 and current < 100:
                current, addable = current * 100, 100
            elif last_scale > 1 and multiplier >= last_scale:
                current, used = None, current_start  # "25 thousand 30 thousand" is two numbers
                break
            else:
                total += current * multiplier
                current, addable, last_scale = None, 0, multiplier
            scale = max(scale, multiplier)
            yearly = yearly or token == "lpa"
        elif token in _WHOLE_FRACTIONS and current is None:
            current, addable, current_start = _WHOLE_FRACTIONS[token] + offset, 0, i
            offset = Decimal(0)
        elif token in _OFFSETS and current is None:
            offset += _OFFSETS[token]
        elif token == "half" and current is None:
            current, current_start = Decimal("0.5"), i
        elif token == "a" and (_followed_by_scale(tokens, i + 1) or tuple(tokens[i + 1 : i + 2]) == ("half",)) \
                and tokens[i + 1] not in _MISSPELT_SCALES:
            pass
        elif token == "and" and current is not None and tuple(tokens[i + 1 : i + 3]) == ("a", "half"):
            current += Decimal("0.5")
            i += 2
        elif token == "and" and (addable == 100 or (current is None and total)) and i + 1 < len(tokens) \
                and _small(tokens, i + 1) is not None:  # "two hundred and fifty", "32 thousand and 500"
            literal_tail = current is None
        elif token == "point" and tokens[i + 1 : i + 2] and tokens[i + 1] in _ENGLISH:  # "one point two lakh"
            current = (current or Decimal(0)) + Decimal(_ENGLISH[tokens[i + 1]]) / 10
            i += 1
        else:
            break
        i += 1
        if current is not None or total:
            used = i
    if used == start or (current is None and not total):
        return None
    tail = current or Decimal(0)
    if last_scale == 100_000 and 0 < tail < 100 and addable != 100 and not literal_tail:
        tail *= 1000  # "one lakh twenty" is 1.2 lakh; "one lakh and twenty" is what it says
    return Number(value=total + tail, start=start, end=used, scale=scale, yearly_unit=yearly)


def _single_digit(token: str) -> int | None:
    if token in _ENGLISH and _ENGLISH[token] < 10:
        return _ENGLISH[token]
    return int(token) if len(token) == 1 and token.isdigit() else None


def _digit_run(tokens: Sequence[str], start: int) -> Number | None:
    """Digits said one by one ('two five zero zero zero', 'two five double zero zero'): three or more."""
    digits: list[int] = []
    i = start
    while i < len(tokens):
        repeat = _REPEATS.get(tokens[i], 1)
        digit = _single_digit(tokens[i + 1]) if repeat > 1 and i + 1 < len(tokens) else _single_digit(tokens[i])
        if digit is None:
            break
        digits.extend([digit] * repeat)
        i += 2 if repeat > 1 else 1
    if len(digits) < _MIN_DIGIT_RUN:
        return None
    return Number(value=Decimal("".join(map(str, digits))), start=start, end=i, scale=1)


def find_numbers(tokens: Sequence[str]) -> list[Number]:
    """Every number phrase in the tokens, left to right, none overlapping."""
    found = []
    i = 0
    while i < len(tokens):
        number = _digit_run(tokens, i) or (
            _parse_at(tokens, i) if tokens[i] in NUMBER_WORDS or tokens[i][0].isdigit() or tokens[i] == "a" else None
        )
        if number is None:
            i += 1
        else:
            found.append(number)
            i = number.end
    return found
