"""The Analytics view shows what the store says, loads transcripts on selection, and says when it cannot."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt loads: runs headless in CI
from pytestqt.qtbot import QtBot

from core.records import RecordStore
from core.records.demo import simulated_calls
from ui.analytics_view import RECENT_CALLS, AnalyticsView

IST = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[RecordStore]:
    store = RecordStore.open(f"sqlite:///{tmp_path / 'records.sqlite3'}", spool_dir=tmp_path)
    for record in simulated_calls(260, days=10, seed=4):
        store.save(record)
    yield store
    store.close()


def test_the_view_shows_the_store_stats_and_recent_calls(qtbot: QtBot, filled: RecordStore) -> None:
    view = AnalyticsView(filled, days=None, tz=IST)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000), qtbot.waitSignal(view.transcript_loaded, timeout=10_000):
        view.refresh()
    stats = filled.stats(tz=IST)
    assert view.tiles["calls"].value.text() == "260"
    assert view.tiles["rate"].value.text() == f"{stats['eligibility_rate']:.0%}"
    assert view.tiles["incomplete"].value.text() == str(stats["by_outcome"]["incomplete"])
    assert view.funnel._funnel == stats["funnel"] and view.outcomes._days == stats["by_day"]
    assert view.calls.rowCount() == min(RECENT_CALLS, 260)

    newest = filled.list(2)
    started = datetime.fromisoformat(newest[0]["started_at"]).astimezone(IST)
    assert view.calls.item(0, 0).text() == started.strftime("%d %b %H:%M")
    assert view.calls.horizontalHeaderItem(0).text() == "Started (IST)"
    assert filled.get(newest[0]["call_id"])["turns"][0]["bot"] in view.transcript.toPlainText()
    with qtbot.waitSignal(view.transcript_loaded, timeout=10_000):
        view.calls.selectRow(1)
    second = filled.get(newest[1]["call_id"])
    caller_said = [t["caller"] for t in second["turns"] if t["caller"]]
    assert all(text in view.transcript.toPlainText() for text in caller_said)
    view.shutdown()


def test_the_period_limits_what_is_shown(qtbot: QtBot, filled: RecordStore) -> None:
    view = AnalyticsView(filled, days=None)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()  # opening the view loads it
    assert view.tiles["calls"].value.text() == "260"
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.period.setCurrentIndex(0)  # last 7 days
    assert int(view.tiles["calls"].value.text()) == filled.stats(datetime.now(UTC) - timedelta(days=7))["calls"] < 260
    view.shutdown()


def test_an_unreachable_store_is_reported_in_the_view(qtbot: QtBot, tmp_path: Path) -> None:
    store = RecordStore.open("postgresql://bot@127.0.0.1:9/calls", spool_dir=tmp_path, timeout_s=1)
    view = AnalyticsView(store)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.status.text().startswith("Records unavailable"), timeout=10_000)
    assert "127.0.0.1:9" in view.status.text()
    view.shutdown()
    store.close()
