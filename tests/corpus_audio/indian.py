"""Hindi, Hinglish and Indian-accented English callers, spoken by espeak-ng's Hindi voice, as by-question lines.

Hindi is Devanagari read by espeak-ng `hi`; Hinglish is the same answers in Latin letters; Indian English is
the English corpus's templates (scripts.py). All three are read by the `hi` voice, which gives English
and Latin-letter text its Indian accent. Callers are sampled with a fixed seed, answer by question, and
answer read-backs with their own "yes"/"no" ("हाँ जी"/"नहीं", "haan ji"/"nahi", "yes"/"no").

`python -m tests.corpus_audio.indian [--per-kind N] [--conditions clean phone]` writes (gitignored)
`generated/indian-<key>/by_question_<condition>.jsonl` and `by_question_text.jsonl` (the same callers as
typed text, to tell understanding from recognition) and prints the paths.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.policy import Policy, load_policy
from tests.corpus_audio import by_question, channels, scripts, voices
from tests.corpus_audio.make_corpus import GENERATED

KINDS = ("hindi", "hinglish", "indian_english")
PREFIX = {"hindi": "hi", "hinglish": "hx", "indian_english": "ie"}
VOICES = (
    voices.Voice("espeak-hi", "espeak", "hi", 150, 50),
    voices.Voice("espeak-hi-f", "espeak", "hi+f3", 140, 60),
)
THOUSANDS = (15, 18, 20, 22, 25, 30, 35, 40, 45, 50, 60, 70, 75, 80, 90)
NUMBERS = {
    "hindi": dict(zip(THOUSANDS, (
        "पंद्रह", "अठारह", "बीस", "बाईस", "पच्चीस", "तीस", "पैंतीस", "चालीस", "पैंतालीस", "पचास", "साठ", "सत्तर",
        "पचहत्तर", "अस्सी", "नब्बे"), strict=True)),
    "hinglish": dict(zip(THOUSANDS, (
        "pandrah", "atharah", "bees", "baais", "pachchees", "tees", "paintees", "chaalees", "paintaalees", "pachaas",
        "saath", "sattar", "pachhattar", "assi", "nabbe"), strict=True)),
}  # fmt: skip
PHRASES: dict[str, dict[str, Any]] = {
    "hindi": {
        "salaried": ("हाँ", "हाँ जी", "जी हाँ, मैं नौकरी करता हूँ", "हाँ, मैं एक कंपनी में काम करता हूँ"),
        "not_salaried": ("नहीं", "नहीं जी", "नहीं, मेरा अपना बिज़नेस है", "मैं अपनी दुकान चलाता हूँ"),
        "amount": ("{n} हज़ार", "{n} हज़ार रुपये", "मेरी सैलरी {n} हज़ार है", "हर महीने {n} हज़ार रुपये मिलते हैं"),
        "lakh": "एक लाख रुपये",
        "yes_no": {True: ("हाँ, उससे ज़्यादा है", "हाँ जी"), False: ("नहीं, उससे कम है", "नहीं")},
        "city": ("{c}", "मैं {c} में रहता हूँ", "{c} से हूँ"),
        "cities": {"Mumbai": "मुंबई", "Delhi": "दिल्ली", "Bangalore": "बेंगलुरु", "Pune": "पुणे", "Chennai": "चेन्नई",
                   "Jaipur": "जयपुर", "Lucknow": "लखनऊ"},
        "confirm": {"yes": "हाँ जी", "no": "नहीं"},
    },
    "hinglish": {
        "salaried": ("haan", "haan ji", "haan ji, main naukri karta hoon", "main ek company mein kaam karta hoon"),
        "not_salaried": ("nahi", "nahi ji", "nahi, mera apna business hai", "main apni dukaan chalata hoon"),
        "amount": ("{n} hazaar", "{n} hazaar rupaye", "meri salary {n} hazaar hai", "har mahine {n} hazaar milte hain"),
        "lakh": "ek lakh rupaye",
        "yes_no": {True: ("haan, usse zyada hai", "haan ji"), False: ("nahi, usse kam hai", "nahi")},
        "city": ("{c}", "main {c} mein rehta hoon", "{c} se hoon"),
        "cities": {"Mumbai": "Mumbai", "Delhi": "Dilli", "Bangalore": "Bangalore", "Pune": "Pune", "Chennai": "Chennai",
                   "Jaipur": "Jaipur", "Lucknow": "Lucknow"},
        "confirm": {"yes": "haan ji", "no": "nahi"},
    },
}  # fmt: skip
SERVED = ("Mumbai", "Delhi", "Bangalore")
OTHERS = ("Pune", "Chennai", "Jaipur", "Lucknow")


@dataclass(frozen=True, slots=True)
class Caller:
    """One caller: its kind, the scripted answers and what the bot must conclude."""

    kind: str
    script: scripts.Script
    truth: dict[str, Any]
    confirm: dict[str, str]


def _sample_local(rng: random.Random, kind: str, policy: Policy, caller_id: str) -> Caller:
    """A Hindi or Hinglish caller, answering in question order until the policy has decided."""
    words = PHRASES[kind]
    if rng.random() >= 0.75:
        script = scripts.Script(
            caller_id,
            (rng.choice(words["not_salaried"]),),
            "not_eligible",
            ("not_salaried",),
            "not_salaried",
            None,
            None,
        )
        return Caller(kind, script, {"employment": "not_salaried"}, words["confirm"])
    turns = [rng.choice(words["salaried"])]
    thousands = rng.choice((*THOUSANDS, 100))
    rupees = thousands * 1000
    meets = rupees >= policy.min_monthly_salary
    amount: int | None = rupees
    if rng.random() < 0.2:
        turns.append(rng.choice(words["yes_no"][meets]))
        amount = None
    elif thousands == 100:
        turns.append(words["lakh"])
    else:
        turns.append(rng.choice(words["amount"]).format(n=NUMBERS[kind][thousands]))
    truth: dict[str, Any] = {"employment": "salaried", "monthly_salary": amount, "meets_minimum": meets}
    if not meets:
        script = scripts.Script(
            caller_id, tuple(turns), "not_eligible", ("salary_below_minimum",), "salaried", amount, None
        )
        return Caller(kind, script, truth, words["confirm"])
    city = rng.choice(SERVED) if rng.random() < 0.7 else rng.choice(OTHERS)
    turns.append(rng.choice(words["city"]).format(c=words["cities"][city]))
    truth["city"] = city
    served = city in SERVED
    script = scripts.Script(
        caller_id,
        tuple(turns),
        "eligible" if served else "not_eligible",
        () if served else ("city_not_serviceable",),
        "salaried",
        amount,
        city if served else None,
    )
    return Caller(kind, script, truth, words["confirm"])


def sample_callers(seed: int, per_kind: int, policy: Policy) -> list[Caller]:
    """`per_kind` callers of each kind from one seed: the same seed always gives the same callers."""
    rng = random.Random(seed)
    callers = []
    for kind in KINDS:
        for index in range(per_kind):
            caller_id = f"{PREFIX[kind]}{index:03d}"
            if kind == "indian_english":
                script = scripts.sample_script(rng, policy, caller_id)
                truth = by_question.truth_of(script.turns, script.expected(), policy)
                callers.append(Caller(kind, script, truth, {"yes": "yes", "no": "no"}))
            else:
                callers.append(_sample_local(rng, kind, policy, caller_id))
    return callers


def _key(seed: int, per_kind: int, conditions: tuple[str, ...], policy: Policy) -> str:
    digest = hashlib.sha256(json.dumps([seed, per_kind, conditions]).encode())
    digest.update(policy.model_dump_json().encode())
    for module in (scripts, voices, channels, by_question, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(
        subprocess.run(["espeak-ng", "--version"], check=True, capture_output=True, text=True).stdout.encode()
    )
    return digest.hexdigest()[:16]


def ensure_indian_corpus(
    seed: int = 2026, per_kind: int = 10, conditions: tuple[str, ...] = ("clean", "phone"), out: Path = GENERATED
) -> Path:
    """The corpus folder for these parameters, generated only when no complete copy exists."""
    policy = load_policy()
    root = out / f"indian-{_key(seed, per_kind, conditions, policy)}"
    out.mkdir(parents=True, exist_ok=True)
    with (out / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "corpus.json").exists():
            _generate(root, seed, per_kind, conditions, policy)
            (root / "corpus.json").write_text(json.dumps({"seed": seed, "per_kind": per_kind}))
    return root


def _generate(root: Path, seed: int, per_kind: int, conditions: tuple[str, ...], policy: Policy) -> None:
    callers = sample_callers(seed, per_kind, policy)
    lines: dict[str, list[str]] = {condition: [] for condition in conditions}
    text_lines = []
    for index, caller in enumerate(callers):
        voice = VOICES[index % len(VOICES)]
        script = caller.script
        meta = {"voice": voice.name, "kind": caller.kind, "texts": list(script.turns), "expected": script.expected()}
        text_lines.append(
            json.dumps(
                by_question.line_for(script.id, script.turns, caller.confirm, caller.truth, meta) | {"audio": False},
                ensure_ascii=False,
            )
        )
        spoken = [voices.speak(voice, text) for text in script.turns]
        answers = {answer: voices.speak(voice, text) for answer, text in caller.confirm.items()}
        for condition_index, condition in enumerate(conditions):
            folder, seeds = root / "wav" / condition, [seed, index, condition_index]
            clips = [
                _write(speech, folder / f"{script.id}_{turn}.wav", condition, [*seeds, turn])
                for turn, speech in enumerate(spoken)
            ]
            confirm = {
                answer: _write(speech, folder / f"{script.id}_{answer}.wav", condition, [*seeds, 10 + n])
                for n, (answer, speech) in enumerate(answers.items())
            }
            line = by_question.line_for(script.id, clips, confirm, caller.truth, {**meta, "condition": condition})
            lines[condition].append(json.dumps(line, ensure_ascii=False))
    root.mkdir(parents=True, exist_ok=True)
    for condition, batch in lines.items():
        (root / f"by_question_{condition}.jsonl").write_text("\n".join(batch) + "\n", encoding="utf-8")
    (root / "by_question_text.jsonl").write_text("\n".join(text_lines) + "\n", encoding="utf-8")


def _write(speech: np.ndarray, path: Path, condition: str, seeds: list[int]) -> str:
    """One clip in one condition, seeded, written as WAV; returns its path."""
    rng = np.random.default_rng(seeds)
    channels.write_wav(path, channels.render(speech, voices.SAMPLE_RATE, condition, rng, lambda: speech))
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus_audio.indian", description=__doc__)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-kind", type=int, default=10)
    parser.add_argument("--conditions", nargs="+", choices=("clean", "phone"), default=["clean", "phone"])
    args = parser.parse_args(argv)
    root = ensure_indian_corpus(args.seed, args.per_kind, tuple(args.conditions))
    batches = {condition: str(root / f"by_question_{condition}.jsonl") for condition in (*args.conditions, "text")}
    print(json.dumps({"root": str(root), "by_question": batches}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
