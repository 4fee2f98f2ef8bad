"""Per-turn cost of answer understanding plus the dialogue transition, over the conversation corpus.

Run: .venv/bin/python bench/dialogue_turn.py [--repeat N]. Prints one JSON object. Each sample is one
`Conversation.reply()` (understand + respond + record keeping), timed with perf_counter_ns, so the number
is what a speech front end adds after the recogniser has produced text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.dialogue.conversation import Conversation  # noqa: E402
from core.policy import Policy, load_policy  # noqa: E402
from core.prompts import PromptBook, load_prompts  # noqa: E402
from core.understanding import understand  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "conversations.jsonl"
TARGET_MEDIAN_US = 1000


def load_scripts(path: Path) -> list[list[str]]:
    return [json.loads(line)["turns"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def time_turns(scripts: list[list[str]], policy: Policy, prompts: PromptBook) -> list[int]:
    """Nanoseconds per caller reply, for every reply the corpus conversations actually hear."""
    samples = []
    for turns in scripts:
        talk = Conversation(policy, prompts, understand)
        talk.start()
        for text in turns:
            if not talk.awaiting_reply:
                break
            began = time.perf_counter_ns()
            talk.reply(text)
            samples.append(time.perf_counter_ns() - began)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="passes over the corpus (default 30)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="conversation corpus (JSON lines)")
    args = parser.parse_args(argv)
    policy = load_policy()
    prompts = load_prompts(policy)
    scripts = load_scripts(args.corpus)
    time_turns(scripts, policy, prompts)  # warm-up: first-use loading (gazetteer, regexes) is not per turn
    samples = [ns for _ in range(max(1, args.repeat)) for ns in time_turns(scripts, policy, prompts)]
    median_us = statistics.median(samples) / 1000
    p95_us = statistics.quantiles(samples, n=20)[-1] / 1000
    print(
        json.dumps(
            {
                "median_us": round(median_us, 1),
                "p95_us": round(p95_us, 1),
                "turns": len(samples),
                "target_median_us": TARGET_MEDIAN_US,
                "meets_target": median_us <= TARGET_MEDIAN_US,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
