"""`python -m app records list|show|export|stats|purge`: read and prune the call records from a terminal."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.console import Console

from core.records import export, render
from core.records.errors import StoreError
from core.records.store import RecordStore

PROG = "python -m app records"


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit 2, never a usage dump or a traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def main(argv: list[str]) -> int:
    """Run one records command; 0 on success, 1 on a store problem, 2 on bad arguments."""
    args = _parser().parse_args(argv)
    if getattr(args, "since", None) and args.since.tzinfo is None:
        args.since = args.since.replace(tzinfo=args.tz)  # a bare date means midnight where the reader is
    logging.getLogger("quickrupee.records").setLevel(logging.ERROR)  # the one-line error below says it all
    try:
        store = RecordStore.open(args.db, create=False)
        try:
            return args.run(store, args)
        finally:
            store.close()
    except StoreError as exc:
        print(f"records: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"records: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1


def _list(store: RecordStore, args: argparse.Namespace) -> int:
    records = store.list(args.limit, args.since, outcome=args.outcome)
    _show(args, records, lambda: render.calls_table(records, args.tz))
    return 0


def _show_call(store: RecordStore, args: argparse.Namespace) -> int:
    record = store.get(args.call_id)
    if record is None:
        matches = store.ids_starting(args.call_id) if len(args.call_id) >= 4 else []
        if len(matches) != 1:
            why = "more than one call has" if matches else "no call has"
            raise StoreError(f"{why} an id starting {args.call_id!r} in {store.url}")
        record = store.get(matches[0])
        assert record is not None
    _show(args, record, lambda: render.call_view(record, args.tz))
    return 0


def _export(store: RecordStore, args: argparse.Namespace) -> int:
    summaries = store.list(args.limit, args.since)
    records = [full for summary in summaries if (full := store.get(summary["call_id"])) is not None]
    text = export.to_csv(records) if args.format == "csv" else export.to_json(records)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(records)} calls to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _stats(store: RecordStore, args: argparse.Namespace) -> int:
    stats = store.stats(args.since, tz=args.tz)
    _show(args, stats, lambda: render.stats_view(stats, args.tz))
    return 0


def _purge(store: RecordStore, args: argparse.Namespace) -> int:
    count = store.purge(args.older_than, transcripts_only=args.transcripts_only)
    days = store.retention_days if args.older_than is None else args.older_than
    what = "dropped the transcripts of" if args.transcripts_only else "deleted"
    _show(args, {"purged": count, "older_than_days": days, "transcripts_only": args.transcripts_only},
          lambda: f"{what} {count} calls older than {days} days")  # fmt: skip
    return 0


def _show(args: argparse.Namespace, data: Any, readable: Any) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        Console(soft_wrap=False).print(readable())


def _date(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-11-01 or 2026-11-01T09:30: {value!r}") from None


def _zone(value: str) -> tzinfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"not a time zone like Asia/Kolkata or UTC: {value!r}") from None


def _days(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number of days: {value!r}")
    return int(value)


def _count(value: str) -> int:
    if not value.isdigit() or int(value) == 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {value!r}")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--db", metavar="URL", help="database URL or SQLite path (default: $QUICKRUPEE_DB_URL, "
                       "else records.sqlite3 in the user data folder)")  # fmt: skip
    where.add_argument("--tz", type=_zone, default=UTC, metavar="ZONE",
                       help="times, dates and days in this zone, e.g. Asia/Kolkata (default UTC)")  # fmt: skip
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--json", action="store_true", help="print JSON instead of tables")
    since = argparse.ArgumentParser(add_help=False)
    since.add_argument("--since", type=_date, metavar="DATE", help="only calls that started at or after DATE")

    parser = _Parser(prog=PROG, description="Read, export and prune the call records.")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND", parser_class=_Parser)
    listing = commands.add_parser("list", parents=[where, output, since], help="recent calls, newest first")
    listing.add_argument("--limit", type=_count, default=50, metavar="N")
    listing.add_argument("--outcome", choices=("eligible", "not_eligible", "incomplete"))
    listing.set_defaults(run=_list)
    show = commands.add_parser("show", parents=[where, output], help="one call with every turn")
    show.add_argument("call_id", metavar="ID")
    show.set_defaults(run=_show_call)
    exporting = commands.add_parser("export", parents=[where, since], help="calls as CSV or JSON (times in UTC)")
    exporting.add_argument("--format", choices=("csv", "json"), required=True)
    exporting.add_argument("--limit", type=_count, default=1_000_000, metavar="N")
    exporting.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout")
    exporting.set_defaults(run=_export)
    stats = commands.add_parser("stats", parents=[where, output, since], help="outcomes, funnel, drop-off, latency")
    stats.set_defaults(run=_stats)
    purge = commands.add_parser("purge", parents=[where, output], help="delete calls older than the retention period")
    purge.add_argument("--older-than", type=_days, metavar="DAYS",
                       help="default: $QUICKRUPEE_RETENTION_DAYS")  # fmt: skip
    purge.add_argument("--transcripts-only", action="store_true", help="keep outcomes, drop what was said")
    purge.set_defaults(run=_purge)
    return parser
