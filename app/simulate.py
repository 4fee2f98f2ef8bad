"""`python -m app simulate`: run a screening conversation from typed or spoken replies and print the result.

Text replies go straight to the dialogue. A batch line may also give replies by question
(`"by_question"`, app/by_question.py): the caller then answers whatever the bot asks and confirms
read-backs against the line's `"truth"`. WAV replies (`--audio`, or `"audio"` in a batch line) go
through the whole speech path: 20 ms frames -> VAD -> recogniser -> understanding, on a simulated line
(core/speech/simulated_call.py); each turn then also records `caller` (what was heard) and
`latency_ms` (end of the caller's speech to the first sample of the next prompt being ready).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from app.by_question import ByQuestion, parse_by_question, same_place_for
from app.cli_errors import OneLineParser, UsageError, fail
from core.audio import AudioError, AudioFrame, read_wav, write_stereo_wav
from core.events import BotSaid, CallFinished
from core.policy import Policy, PolicyError, load_policy
from core.prompts import PromptBook, load_prompts
from core.record import CallRecord
from core.screening import Screening
from core.session import Session

if TYPE_CHECKING:
    from core.speech.simulated_call import Caller, SimulatedCall

R = TypeVar("R")

SIMULATE_FIELDS = ("outcome", "reasons", "answers", "turns", "policy_version")


@dataclass(frozen=True)
class ByQuestionScript:
    """A by-question caller's replies per question and read-back answers (text, or WAV paths)."""

    replies: dict[str, list[str]]
    confirm: dict[str, str]
    truth: dict[str, Any]
    audio: bool

    def wavs(self) -> list[Path]:
        return [Path(item) for items in [*self.replies.values(), list(self.confirm.values())] for item in items]


@dataclass(frozen=True)
class Script:
    """One conversation to simulate: an id and the caller's replies (typed, or WAV paths), one per prompt."""

    id: Any
    turns: list[str]
    audio: list[Path] | None = None
    language: str | None = None
    """This call's language ("language" in a batch line); None uses --language."""
    by_question: ByQuestionScript | None = None


def build_parser() -> OneLineParser:
    parser = OneLineParser(prog="python -m app simulate", description="Run a screening conversation.")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a readable transcript")
    parser.add_argument(
        "--batch",
        type=Path,
        metavar="FILE",
        help='JSON lines {"id": ..., "turns": [...] or "audio": [WAVs] or "by_question": {...}}',
    )
    parser.add_argument("--policy", type=Path, metavar="FILE", help="policy file (default: resources/policy.json)")
    parser.add_argument("--audio", type=Path, nargs="+", metavar="WAV", help="spoken replies, one WAV per prompt")
    parser.add_argument("--realtime", action="store_true", help="feed audio at real-time pace in 20 ms frames")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="WAV",
        help="write the call as stereo WAV (caller: left, bot: right); a folder with --batch",
    )
    parser.add_argument(
        "--engine", choices=("offline", "openai"), help="speech engine (default: $QUICKRUPEE_ENGINE or offline)"
    )
    parser.add_argument(
        "--language", help="en or hi: prompts, voice and recogniser (default: $QUICKRUPEE_LANGUAGE or en)"
    )
    parser.add_argument(
        "--no-record", action="store_true", help="do not save the calls to the records store ($QUICKRUPEE_DB_URL)"
    )
    return parser


def run_text_by_question(script: ByQuestionScript, policy: Policy, prompts: PromptBook) -> CallRecord:
    """A typed by-question caller: it answers whatever the bot asks, read-backs from the truth."""
    caller = by_question_caller(script, policy, "", {"yes": "yes", "no": "no"})
    return asyncio.run(run_typed(Screening(policy, prompts), caller.next_reply))


def by_question_caller(script: ByQuestionScript, policy: Policy, silence: R, confirm: dict[str, R]) -> ByQuestion[R]:
    """The caller for one by-question script; `confirm` fills read-back answers the script leaves out."""
    return ByQuestion(
        replies=script.replies,  # type: ignore[arg-type]
        confirm={**confirm, **script.confirm},  # type: ignore[dict-item]
        truth=script.truth,
        silence=silence,
        same_place=same_place_for(policy),
        minimum=policy.min_monthly_salary,
    )


def run_text(script_turns: Sequence[str], policy: Policy, prompts: PromptBook) -> CallRecord:
    """Play typed replies against the dialogue; each reply answers whatever the bot says next."""
    replies = iter(script_turns)
    return asyncio.run(run_typed(Screening(policy, prompts), lambda _session: next(replies, None)))


async def run_typed(screening: Screening, next_reply: Callable[[Session], str | None]) -> CallRecord:
    """A typed call: each prompt counts as played when it is said; `next_reply` answers the latest prompt
    (None: the caller hangs up)."""
    session = screening.open_typed_session(channel="simulator")

    async def consume() -> CallRecord:
        async for event in session.events():
            match event:
                case BotSaid(_, prompt_id, _):
                    session.playback_finished(prompt_id)
                case CallFinished(record):
                    return record
        raise RuntimeError("the session ended without a CallFinished event")

    consumer = asyncio.ensure_future(consume())
    try:
        await session.start()
        while True:
            await asyncio.sleep(0)  # the consumer shows the prompt first
            if not session.awaiting_reply:
                break
            reply = next_reply(session)
            if reply is None:
                break
            await session.push_text(reply)
        await asyncio.sleep(0)
        if session.awaiting_reply:
            await session.hang_up()
        return await consumer
    finally:
        consumer.cancel()
        await session.aclose()


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
        language = _line_language(item, path, number)
        audio = item.get("audio") if isinstance(item, dict) else None
        if isinstance(item, dict) and "by_question" in item:
            by_question = _by_question(item, path, number)
            scripts.append(Script(id=item.get("id", number), turns=[], by_question=by_question, language=language))
            continue
        if isinstance(audio, list) and audio and all(isinstance(wav, str) for wav in audio):
            wavs = [Path(wav) if Path(wav).is_absolute() or Path(wav).exists() else path.parent / wav for wav in audio]
            scripts.append(Script(id=item.get("id", number), turns=[], audio=wavs, language=language))
            continue
        turns = item.get("turns") if isinstance(item, dict) else None
        if not isinstance(turns, list) or not all(isinstance(turn, str) for turn in turns):
            raise UsageError(
                f'{path}:{number}: expected {{"id": ..., "turns": [strings]}} or {{"audio": [WAV paths]}}'
                ' or {"by_question": {...}}'
            )
        scripts.append(Script(id=item.get("id", number), turns=turns, language=language))
    return scripts


def _line_language(item: Any, path: Path, number: int) -> str | None:
    """A batch line's own "language", checked like --language."""
    if not isinstance(item, dict) or item.get("language") is None:
        return None
    from core.language import LanguageError, check_language

    try:
        return check_language(str(item["language"]))
    except LanguageError as exc:
        raise UsageError(f"{path}:{number}: {exc}") from exc


def _by_question(item: dict[str, Any], path: Path, number: int) -> ByQuestionScript:
    """A by-question line; WAV paths resolve like `"audio"` lists (as given, else next to the batch file)."""
    audio = item.get("audio", False)
    if not isinstance(audio, bool):
        raise UsageError(f'{path}:{number}: "audio" must be true or false with "by_question"')
    try:
        replies, confirm, truth = parse_by_question(item, f"{path}:{number}")
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if audio:
        resolve = lambda wav: str(wav if Path(wav).is_absolute() or Path(wav).exists() else path.parent / wav)  # noqa: E731
        replies = {question: [resolve(wav) for wav in wavs] for question, wavs in replies.items()}
        confirm = {answer: resolve(wav) for answer, wav in confirm.items()}
    return ByQuestionScript(replies, confirm, truth, audio)


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
    from core.language import LanguageError, resolve_language

    try:
        language = resolve_language(args.language)
        policy = load_policy(args.policy)
        books = {language: load_prompts(policy, language=language)}
        if args.batch is not None and args.audio:
            raise UsageError("use either --batch or --audio, not both")
        if args.batch is not None:
            scripts = read_batch(args.batch)
        elif args.audio:
            scripts = [Script(id=None, turns=[], audio=list(args.audio))]
        else:
            scripts = [Script(id=None, turns=[line.rstrip("\r\n") for line in sys.stdin])]
        spoken_any = any(script.audio or (script.by_question and script.by_question.audio) for script in scripts)
        if args.out is not None and not spoken_any:
            raise UsageError("--out needs spoken replies (--audio, or audio in the batch)")
        spoken = {index: read_replies(script.audio) for index, script in enumerate(scripts) if script.audio}
        for script in scripts:
            if script.language and script.language not in books:
                books[script.language] = load_prompts(policy, language=script.language)
        heard_by_question = {
            index: _read_by_question(script.by_question)
            for index, script in enumerate(scripts)
            if script.by_question is not None and script.by_question.audio
        }
    except (UsageError, PolicyError, AudioError, LanguageError, ValueError) as exc:
        return fail(str(exc))
    records = None if args.no_record else RecordSaver()
    engine = None
    if spoken or heard_by_question:
        from core.speech.engine import EngineUnavailable
        from core.speech.factory import create_engine
        from core.speech.settings import SpeechSettings

        try:
            engine = create_engine(args.engine, replace(SpeechSettings.from_env(), language=language))
        except EngineUnavailable as exc:
            return fail(str(exc), status=1)
    for index, script in enumerate(scripts):
        prompts = books[script.language or language]
        if index in spoken or index in heard_by_question:
            if index in spoken:
                replies: Any = spoken[index]
            else:
                clips = heard_by_question[index]
                assert script.by_question is not None
                spoken_script = ByQuestionScript(
                    {q: [clips[wav] for wav in wavs] for q, wavs in script.by_question.replies.items()},  # type: ignore[misc]
                    {answer: clips[wav] for answer, wav in script.by_question.confirm.items()},  # type: ignore[misc]
                    script.by_question.truth,
                    True,
                )
                replies = by_question_caller(spoken_script, policy, AudioFrame.silence(0, 16000), {}).next_reply
            try:
                call_engine = engine_for(engine, prompts.code)
            except EngineUnavailable as exc:
                return fail(str(exc), status=1)
            call = asyncio.run(run_audio(call_engine, replies, policy, prompts, realtime=args.realtime))
            record = call.record
            for error in call.errors:
                print(f"warning: {error}", file=sys.stderr)
            if args.out is not None:
                target = out_path(args.out, script.id, index, batch=args.batch is not None)
                write_stereo_wav(target, call.caller, call.bot)
        elif script.by_question is not None:
            record = run_text_by_question(script.by_question, policy, prompts)
        else:
            record = run_text(script.turns, policy, prompts)
        if args.json:
            print(json.dumps(result_json(record, script.id), ensure_ascii=False), flush=True)
        else:
            if index:
                print("-" * 40)
            print_transcript(record, sys.stdout)
        if records is not None:
            records.save(record)
    if records is not None:
        records.close()
    return 0


class RecordSaver:
    """Saves simulated calls like any other channel's; a store that fails is reported once, never fatal."""

    def __init__(self) -> None:
        self._store: Any = None
        self._failed = False

    def save(self, record: CallRecord) -> None:
        if self._failed:
            return
        from core.records import RecordStore, StoreError

        try:
            if self._store is None:
                self._store = RecordStore.open()
            self._store.save(record)
        except StoreError as exc:
            self._failed = True
            print(f"warning: calls are not being recorded: {exc}", file=sys.stderr)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def engine_for(engine: Any, language: str) -> Any:
    """The engine speaking `language`: itself, or its sibling for that language (a batch line's own)."""
    if getattr(engine, "language", language) == language:
        return engine
    for_language = getattr(engine, "for_language", None)
    if for_language is None:
        from core.speech.engine import EngineUnavailable

        raise EngineUnavailable(f"the {engine.name} engine cannot switch to language {language!r}")
    return for_language(language)


def _read_by_question(script: ByQuestionScript) -> dict[str, AudioFrame]:
    """Every WAV a spoken by-question script may play, read up front (a bad file fails the run at once)."""
    wavs = sorted({str(wav) for wav in script.wavs()})
    return dict(zip(wavs, read_replies([Path(wav) for wav in wavs]), strict=True))


def read_replies(paths: Sequence[Path]) -> list[AudioFrame]:
    """Every reply WAV, read up front so a bad file fails the run with one line before anything runs."""
    return [read_wav(path) for path in paths]


async def run_audio(
    engine: Any, replies: list[AudioFrame] | Caller, policy: Policy, prompts: PromptBook, *, realtime: bool
) -> SimulatedCall:
    """One spoken conversation through the full audio path on a simulated line."""
    from core.speech.simulated_call import simulate_call
    from core.understanding import understand

    return await simulate_call(engine, replies, policy, prompts, understand, realtime=realtime)


def out_path(out: Path, script_id: Any, index: int, *, batch: bool) -> Path:
    """Where a call's stereo WAV goes: `out` itself, or `out/<id>.wav` for a batch."""
    if not batch:
        return out
    out.mkdir(parents=True, exist_ok=True)
    name = str(script_id if script_id is not None else index + 1)
    return out / f"{''.join(ch if ch.isalnum() or ch in '-_.' else '_' for ch in name)}.wav"
