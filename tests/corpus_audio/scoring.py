"""Run corpus batches through `python -m app simulate` and explain every wrong conversation."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def simulate(batch: Path, *extra: str, timeout: float = 1800) -> dict[str, dict[str, Any]]:
    """One simulator process for a whole batch file; results keyed by conversation id."""
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", "--json", "--batch", str(batch), *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"simulate --batch {batch.name} exited {done.returncode}:\n{done.stderr[-4000:]}")
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {str(result["id"]): result for result in results}


def mismatches(expected: dict[str, Any], result: dict[str, Any] | None) -> list[str]:
    """What the simulator got wrong: outcome, reasons, employment, salary, and the city when serviceable."""
    if result is None:
        return ["no result"]
    wrong = [
        f"{name} {result.get(name)!r} != {expected[name]!r}"
        for name in ("outcome", "reasons")
        if result.get(name) != expected[name]
    ]
    answers = result.get("answers") or {}
    for name, want in expected["answers"].items():
        if (name != "city" or want is not None) and answers.get(name) != want:
            wrong.append(f"{name} {answers.get(name)!r} != {want!r}")
    return wrong


def heard(result: dict[str, Any]) -> list[str]:
    """What the recogniser heard and which question it answered, one entry per caller turn, in order."""
    return [
        f"{turn['caller']!r} (answering {turn.get('state')})"
        for turn in result.get("turns", [])
        if turn.get("caller") is not None
    ]


def accuracy(lines: Sequence[dict[str, Any]], results: dict[str, dict[str, Any]]) -> float:
    right = sum(not mismatches(line["expected"], results.get(line["id"])) for line in lines)
    return right / len(lines)


def per_voice(lines: Sequence[dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, str]:
    """'right/total' per voice, so a weak voice stands out."""
    total, right = Counter[str](), Counter[str]()
    for line in lines:
        total[line["voice"]] += 1
        right[line["voice"]] += not mismatches(line["expected"], results.get(line["id"]))
    return {voice: f"{right[voice]}/{total[voice]}" for voice in sorted(total)}


def failure_report(
    condition: str,
    lines: Sequence[dict[str, Any]],
    results: dict[str, dict[str, Any]],
    text_results: dict[str, dict[str, Any]] | None,
) -> str:
    """Every wrong conversation with what was said and what was heard, and whether typed text also fails."""
    out = [f"{condition}: {accuracy(lines, results):.1%} right; per voice {json.dumps(per_voice(lines, results))}"]
    for line in lines:
        result = results.get(line["id"])
        wrong = mismatches(line["expected"], result)
        if not wrong:
            continue
        if text_results is None:
            cause = "text control not run"
        elif mismatches(line["expected"], text_results.get(line["id"])):
            cause = "ALSO WRONG AS TYPED TEXT (understanding)"
        else:
            cause = "right as typed text (recognition)"
        out.append(f"- {line['id']} {line['voice']}: {'; '.join(wrong)} [{cause}]")
        said_heard = heard(result or {})
        for index, said in enumerate(line["texts"]):
            got = said_heard[index] if index < len(said_heard) else "(not played: the call had ended)"
            out.append(f"    said {said!r} -> heard {got}")
        out.extend(f"    then heard {extra}" for extra in said_heard[len(line["texts"]) :])
    return "\n".join(out)
