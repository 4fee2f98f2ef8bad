"""Calls as CSV (one row per call, for spreadsheets) or JSON (every field and turn, for tools)."""

from __future__ import annotations

import csv
import io
import json
import statistics
from typing import Any

CSV_COLUMNS = (
    "call_id", "started_at", "ended_at", "channel", "engine", "policy_version", "outcome", "reasons",
    "employment", "monthly_salary", "city", "turns", "median_latency_ms", "barge_ins", "transcript_dropped",
)  # fmt: skip


def to_csv(records: list[dict[str, Any]]) -> str:
    """One row per call; reasons joined with ';'."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        turns = record.get("turns", [])
        latencies = [t["latency_ms"] for t in turns if t["latency_ms"] is not None]
        answers = record["answers"]
        writer.writerow(
            {
                **{key: record[key] for key in CSV_COLUMNS if key in record and key != "reasons"},
                "reasons": ";".join(record["reasons"]),
                "employment": answers.get("employment"),
                "monthly_salary": answers.get("monthly_salary"),
                "city": answers.get("city"),
                "turns": len(turns),
                "median_latency_ms": round(statistics.median(latencies), 1) if latencies else None,
                "barge_ins": sum(bool(t["barge_in"]) for t in turns),
            }
        )
    return out.getvalue()


def to_json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
