"""`python -m app simulate`: run a screening conversation from typed replies and print the result."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from app.cli_errors import OneLineParser, UsageError, fail
from core.dialogue.conversation import Conversation
from core.policy import Policy, PolicyError, load_policy
from core.prompts import PromptBook, load_prompts
from core.record import CallRecord

SIMULATE_FIELDS = ("outcome", "reasons", "answers", "turns", "policy_version")


@dataclass(frozen=True)
class Script:
    """One conversation to simulate: an id and the caller's replies, one per bot prompt."""

    id: Any
    turns: list[str]


def build_parser() -> OneLineParser:
    parser = OneLineParser(prog="python -m app simulate", description="Run a screening conversation.")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a readable transcript")
    parser.add_argument("--batch", type=Path, metavar="FILE", help='JSON lines {"id": ..., "turns": [...]}')
    parser.add_argument("--policy", type=Path, metavar="FILE", help="policy file (default: resources/policy.json)")
    return parser


def run_text(script_turns: Sequence[str], policy: Policy, prompts: PromptBook) -> CallRecord:
    """Play typed replies against the dialogue; each reply answers whatever the bot says next."""
    from core.understanding import understand

    conversation = Conversation(policy, prompts, understand, channel="simulator", engine="text")
    conversation.start()
    for reply in script_turns:
        if not conversation.awaiting_reply:
            break
        conversation.reply(reply)
    if conversation.awaiting_reply:
        conversation.hang_up()
    return conversation.close()


def result_json(record: CallRecord, script_id: Any = None) -> dict[str, Any]:
    """The simulate result: the contract's fields first, then the rest of the record."""
    data = record.to_json()
    ordered: dict[str, Any] = {} if script_id is None else {"id": script_id}
    ordered.update({name: data.pop(name) for name in SIMULATE_FIELDS})
    ordered.update(data)
    return ordered


def read_batch(path: Path) -> list[Script]:
    """Parse every batch line up front, so a bad line fails the run before anything is printed."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read batch file {path}: {exc.strerror or exc}") from exc
    scripts = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not a JSON object ({exc.msg})") from exc
        turns = item.get("turns") if isinstance(item, dict) else None
        if not isinstance(turns, list) or not all(isinstance(turn, str) for turn in turns):
            raise UsageError(f'{path}:{number}: expected {{"id": ..., "turns": [strings]}}')
        scripts.append(Script(id=item.get("id", number), turns=turns))
    return scripts


def print_transcript(record: CallRecord, out: TextIO) -> None:
    """A readable transcript for people."""
    for turn in record.turns:
        print(f"[{turn.state}] BOT: {turn.bot}", file=out)
        if turn.caller is not None:
            print(f"{' ' * (len(turn.state) + 3)}CALLER: {turn.caller or '(silence)'}", file=out)
    reasons = f" ({', '.join(record.reasons)})" if record.reasons else ""
    print(f"OUTCOME: {record.outcome}{reasons}", file=out)
    print(f"ANSWERS: {json.dumps(record.answers)}  policy {record.policy_version}", file=out)


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        policy = load_policy(args.policy)
        prompts = load_prompts(policy)
        if args.batch is not None:
            scripts = read_batch(args.batch)
        else:
            scripts = [Script(id=None, turns=[line.rstrip("\r\n") for line in sys.stdin])]
    except (UsageError, PolicyError) as exc:
        return fail(str(exc))
    for index, script in enumerate(scripts):
        record = run_text(script.turns, policy, prompts)
        if args.json:
            print(json.dumps(result_json(record, script.id), ensure_ascii=False), flush=True)
        else:
            if index:
                print("-" * 40)
            print_transcript(record, sys.stdout)
    return 0
