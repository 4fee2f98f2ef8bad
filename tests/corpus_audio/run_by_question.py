"""Run a by-question batch through `python -m app simulate` and print its figures as JSON.

`python -m tests.corpus_audio.run_by_question FILE.jsonl [--out REPORT.txt]`: right, incomplete, WRONG
decisions and read-backs (tests/corpus_audio/by_question.py); the report lists every call that was
not right with what was said, heard and read back.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.corpus_audio.by_question import summary, wrong_decision
from tests.corpus_audio.scoring import heard, mismatches, simulate


def report(lines: list[dict], results: dict[str, dict]) -> str:
    """Every call that was not right: what was expected, said, heard and read back."""
    out = []
    for line in lines:
        result = results.get(str(line["id"]))
        wrong = mismatches(line["expected"], result)
        if not wrong:
            continue
        tag = "WRONG DECISION" if wrong_decision(line["expected"], result) else (result or {}).get("outcome")
        out.append(f"- {line['id']} {line.get('voice')}: {tag}: {'; '.join(wrong)}")
        out.append(f"    said {line.get('texts')}")
        out.extend(f"    heard {entry}" for entry in heard(result or {}))
        out.extend(f"    read back {entry}" for entry in (result or {}).get("confirmations", []))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus_audio.run_by_question", description=__doc__)
    parser.add_argument("batch", type=Path)
    parser.add_argument("--out", type=Path, help="write the failure report here")
    parser.add_argument("--results", type=Path, help="write every simulator result here (JSON lines)")
    args = parser.parse_args(argv)
    lines = [json.loads(line) for line in args.batch.read_text().splitlines() if line.strip()]
    results = simulate(args.batch, "--no-record", timeout=7200)
    figures = summary(lines, results)
    text = report(lines, results)
    if args.results is not None:
        args.results.write_text("".join(json.dumps(result, ensure_ascii=False) + "\n" for result in results.values()))
    if args.out is not None:
        args.out.write_text(json.dumps(figures) + "\n" + text + "\n")
    print(json.dumps({"batch": str(args.batch), **figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
