"""Readable terminal tables for the records CLI (rich)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from core.contact import masked
from core.records.codec import dropped_at
from core.records.money import rupees

SHORT_ID = 10
"""Listings show this much of the id; `records show` takes any unique prefix."""
REASON_LABEL = {
    "not_salaried": "not salaried",
    "salary_below_minimum": "low salary",
    "city_not_serviceable": "city not served",
}
OUTCOME_STYLE = {"eligible": "green", "not_eligible": "red", "incomplete": "yellow"}


def calls_table(records: list[dict[str, Any]], tz: tzinfo) -> Table:
    """One line per call, newest first, times in `tz`."""
    table = Table(title=f"{len(records)} calls", title_justify="left", box=box.SIMPLE_HEAD)
    for column in (f"started {_zone(tz)}", "id", "channel", "outcome", "salary", "city", "lead"):
        table.add_column(column, no_wrap=column != "outcome")
    for record in records:
        answers = record["answers"]
        table.add_row(
            _when(record["started_at"], tz)[:16],
            record["call_id"][:SHORT_ID],
            record["channel"],
            _verdict(record),
            _rupees(answers.get("monthly_salary")),
            answers.get("city") or "",
            masked(record.get("contact")),
        )
    return table


def call_view(record: dict[str, Any], tz: tzinfo) -> Group:
    """One call: a summary, then the transcript turn by turn with what was parsed and how fast."""
    answers = record["answers"]
    lines = [
        Text(f"call {record['call_id']}", style="bold"),
        Text(
            f"{_when(record['started_at'], tz)} {_zone(tz)}, {_duration(record)} s, {record['channel']} / "
            f"{record['engine']}, policy {record['policy_version']}"
        ),
        Text.assemble("outcome: ", _verdict(record)),
        Text(
            f"answers: employment={answers.get('employment')}, salary={_rupees(answers.get('monthly_salary'))}, "
            f"city={answers.get('city')}"
        ),
    ]
    contact = record.get("contact")
    if contact:
        given = "skipped" if contact.get("skipped") else f"{contact.get('phone')} (consent given)"
        lines.append(Text(f"lead: {given}, reference {contact.get('reference')}"))
    if record.get("transcript_dropped"):
        lines.append(Text("transcript dropped (privacy setting)", style="dim"))
    for number, turn in enumerate(record["turns"], 1):
        facts = [
            f"{_number(turn['latency_ms'], 0)} ms" if turn["latency_ms"] is not None else "",
            f"asr {_number(turn['asr_confidence'], 2)}" if turn["asr_confidence"] is not None else "",
            f"conf {_number(turn['confidence'], 2)}" if turn["confidence"] is not None else "",
            "barge-in" if turn["barge_in"] else "",
        ]
        lines.append(Text(""))
        lines.append(Text.assemble(
            (f"{number}. {turn['state']} -> {turn['state_after'] or '?'}", "bold"),
            ("   " + "  ".join(fact for fact in facts if fact), "dim"),
        ))  # fmt: skip
        lines.append(Text(f"   bot:    {turn['bot'] or '-'}"))
        if turn["caller"] is not None or turn["intent"]:
            heard = "(silence)" if turn["caller"] == "" else (turn["caller"] or "-")
            parsed = ", ".join(f"{k}={v}" for k, v in (turn["parsed"] or {}).items()) or turn["intent"] or ""
            lines.append(Text.assemble(f"   caller: {heard}", (f"   => {parsed}", "cyan")))
    lines += [Text(f"note: {note}") for note in record["notes"]]
    return Group(*lines)


def _verdict(record: dict[str, Any]) -> Text:
    """The outcome with why: the failed criteria, or the question an incomplete call stopped at."""
    outcome = record["outcome"]
    text = _outcome(outcome)
    if record["reasons"]:
        text.append(": " + ", ".join(REASON_LABEL.get(r, r) for r in record["reasons"]))
    elif outcome == "incomplete" and (stopped := dropped_at(record)):
        text.append(f": at {stopped}")
    return text


LANGUAGE_LABEL = {"en": "English", "hi": "Hindi"}


def stats_view(stats: dict[str, Any], tz: tzinfo) -> Group:
    """Outcomes, funnel, drop-off, reasons and latency, then the same by day (days in `tz`)."""
    since = f" since {_when(stats['since'], tz)[:16]} {_zone(tz)}" if stats["since"] else ""
    heading = Text(f"{stats['calls']} calls{since} (days in {stats['timezone']})", style="bold")
    head = Table(show_header=False)
    head.add_column()
    head.add_column(justify="right")
    for outcome, count in stats["by_outcome"].items():
        head.add_row(_outcome(outcome), str(count))
    rate = stats["eligibility_rate"]
    head.add_row("eligibility rate (of decided)", "-" if rate is None else f"{rate:.1%}")
    head.add_row("median turn latency", _ms(stats["median_turn_latency_ms"]))
    funnel = _pairs("funnel", "calls", stats["funnel"])
    drop = _pairs("drop-off (incomplete)", "calls", {f"at {q}": n for q, n in stats["drop_off"].items()})
    reasons = _pairs("rejection reasons", "calls", stats["rejection_reasons"])
    days = Table(title="by day", title_justify="left")
    for column in ("day", "calls", "eligible", "not eligible", "incomplete", "median latency"):
        days.add_column(column, justify="left" if column == "day" else "right")
    for day in stats["by_day"]:
        days.add_row(day["day"], str(day["calls"]), str(day["eligible"]), str(day["not_eligible"]),
                     str(day["incomplete"]), _ms(day["median_turn_latency_ms"]))  # fmt: skip
    languages = Table(title="by language", title_justify="left")
    for column in ("language", "calls", "eligible", "not eligible", "incomplete", "eligibility rate"):
        languages.add_column(column, justify="left" if column == "language" else "right")
    for code, row in stats.get("by_language", {}).items():
        rate = "-" if row["eligibility_rate"] is None else f"{row['eligibility_rate']:.1%}"
        counts = (str(row[key]) for key in ("calls", "eligible", "not_eligible", "incomplete"))
        languages.add_row(LANGUAGE_LABEL.get(code, code), *counts, rate)
    channels = _pairs("channels", "calls", stats["by_channel"])
    return Group(heading, head, funnel, drop, reasons, channels, languages, days)


def _pairs(title: str, unit: str, values: dict[str, int]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("")
    table.add_column(unit, justify="right")
    for key, value in values.items():
        table.add_row(key.replace("_", " "), str(value))
    return table


def _outcome(outcome: str | None) -> Text:
    return Text((outcome or "unfinished").replace("_", " "), style=OUTCOME_STYLE.get(outcome or "", "dim"))


def _when(iso: str, tz: tzinfo) -> str:
    return datetime.fromisoformat(iso).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def _zone(tz: tzinfo) -> str:
    return datetime.now(tz).tzname() or str(tz)


def _duration(record: dict[str, Any]) -> str:
    if not record["ended_at"]:
        return ""
    seconds = datetime.fromisoformat(record["ended_at"]) - datetime.fromisoformat(record["started_at"])
    return f"{seconds.total_seconds():.0f}"


def _rupees(amount: int | None) -> str:
    return rupees(amount) if amount is not None else ""


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"
