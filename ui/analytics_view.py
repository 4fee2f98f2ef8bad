"""The kiosk's Analytics view: the screening funnel, outcomes by day, and recent calls with transcripts."""

from __future__ import annotations

import html
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.contact import masked
from core.records import RecordStore, StoreError
from core.records.money import rupees
from ui.strings import Strings

INK = QColor("#14233B")
MUTED = QColor("#5B6B82")
GRID = QColor("#DCE2EB")
BLUE = QColor("#0B4FD6")
OUTCOME_COLOURS = {"eligible": QColor("#0A7D32"), "not_eligible": QColor("#B42318"), "incomplete": QColor("#B7791F")}
FUNNEL_STEPS = ("started", "employment_answered", "salary_answered", "city_answered", "eligible")
PERIODS = (
    (7, "an.period.7"),
    (14, "an.period.14"),
    (30, "an.period.30"),
    (90, "an.period.90"),
    (None, "an.period.all"),
)
RECENT_CALLS = 200


class _Delivery(QObject):
    """Carries a store result from the worker thread back to the GUI thread (a queued signal)."""

    arrived = Signal(object, object)


class AnalyticsView(QWidget):
    """Reads the records store off the GUI thread; `loaded` fires after each refresh lands."""

    loaded = Signal()
    transcript_loaded = Signal()

    def __init__(
        self,
        store: RecordStore,
        parent: QWidget | None = None,
        *,
        days: int | None = 14,
        tz: tzinfo | None = None,
        strings: Strings | None = None,
    ) -> None:
        super().__init__(parent)
        self.tr_ = strings or Strings()
        self.tz = tz or datetime.now().astimezone().tzinfo or UTC  # times and days in the kiosk's own zone
        self.setObjectName("analyticsView")
        self._store = store
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analytics")
        self._delivery = _Delivery(self)
        self._delivery.arrived.connect(lambda callback, result: callback(result))

        self.period = QComboBox()
        for period_days, key in PERIODS:
            self.period.addItem(self.tr_(key), period_days)
        self.period.setCurrentIndex(next(i for i, (d, _) in enumerate(PERIODS) if d == days))
        self.period.currentIndexChanged.connect(self.refresh)
        self.refresh_button = QPushButton(self.tr_("an.refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel()
        self.status.setObjectName("analyticsStatus")
        title = QLabel(self.tr_("an.title"))
        title.setObjectName("analyticsTitle")
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.period)
        bar.addWidget(self.refresh_button)

        self.tiles = {key: _Tile(self.tr_(f"an.tile.{key}")) for key in ("calls", "rate", "incomplete", "latency")}
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)

        self.funnel = FunnelChart(self.tr_)
        self.outcomes = OutcomesChart(self.tr_)
        charts = QHBoxLayout()
        charts.addWidget(self.funnel, 2)
        charts.addWidget(self.outcomes, 3)

        self.calls = QTableWidget(0, 6)
        zone = datetime.now(self.tz).tzname()
        self.calls.setHorizontalHeaderLabels(
            [self.tr_("an.col.started", zone=zone)]
            + [self.tr_(f"an.col.{name}") for name in ("channel", "outcome", "salary", "city", "lead")]
        )
        self.calls.verticalHeader().hide()
        self.calls.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.calls.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.calls.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.calls.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the outcome wraps before the city clips
        self.calls.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.calls.setWordWrap(False)
        self.calls.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.calls.itemSelectionChanged.connect(self._show_selected)
        self.transcript = QTextBrowser()
        self.transcript.setObjectName("analyticsTranscript")
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.calls)
        lower.addWidget(self.transcript)
        lower.setSizes([520, 480])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addLayout(tiles)
        layout.addLayout(charts, 3)
        layout.addWidget(lower, 4)
        self.setStyleSheet(STYLE)

    def showEvent(self, event: QShowEvent) -> None:
        """Fresh numbers every time the view is opened."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Reload stats and recent calls for the chosen period."""
        days = self.period.currentData()
        since = datetime.now(UTC) - timedelta(days=days) if days else None
        self.status.setText(self.tr_("an.loading"))

        def load() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            return self._store.stats(since, tz=self.tz), self._store.list(RECENT_CALLS, since)

        self._submit(load, self._show)

    def shutdown(self) -> None:
        """Let a pending load finish; call before the store is closed."""
        self._worker.shutdown(wait=True)

    def _submit(self, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        def run() -> None:
            try:
                result = job()
            except StoreError as exc:
                self._delivery.arrived.emit(self._failed, exc)
            else:
                self._delivery.arrived.emit(then, result)

        self._worker.submit(run)

    def _failed(self, error: StoreError) -> None:
        self.status.setText(self.tr_("an.unavailable", error=error))
        self.status.setToolTip(str(error))

    def _show(self, result: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        stats, recent = result
        by_outcome = stats["by_outcome"]
        rate = stats["eligibility_rate"]
        latency = stats["median_turn_latency_ms"]
        self.tiles["calls"].set_value(f"{stats['calls']:,}")
        self.tiles["rate"].set_value("–" if rate is None else f"{rate:.0%}")
        self.tiles["incomplete"].set_value(f"{by_outcome.get('incomplete', 0):,}")
        self.tiles["latency"].set_value("–" if latency is None else f"{latency:.0f} ms")
        self.funnel.set_data(stats["funnel"], stats["drop_off"])
        self.outcomes.set_data(stats["by_day"])
        self.calls.setRowCount(len(recent))
        for row, call in enumerate(recent):
            answers = call["answers"]
            salary = answers.get("monthly_salary")
            cells = (
                datetime.fromisoformat(call["started_at"]).astimezone(self.tz).strftime("%d %b %H:%M"),
                call["channel"],
                _verdict(call, self.tr_),
                "" if salary is None else rupees(salary),
                answers.get("city") or "",
                masked(call.get("contact")),  # the full number only in `records show`
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, call["call_id"])
                if column == 2 and call["outcome"] in OUTCOME_COLOURS:
                    item.setForeground(OUTCOME_COLOURS[call["outcome"]])
                self.calls.setItem(row, column, item)
        self.status.setText(self.tr_("an.updated", time=datetime.now().strftime("%H:%M")))
        if recent:
            self.calls.selectRow(0)
        else:
            self.transcript.setHtml(f"<p>{html.escape(self.tr_('an.no_calls'))}.</p>")
        self.loaded.emit()

    def _show_selected(self) -> None:
        items = self.calls.selectedItems()
        if not items:
            return
        call_id = items[0].data(Qt.ItemDataRole.UserRole)
        self._submit(lambda: self._store.get(call_id), self._show_transcript)

    def _show_transcript(self, record: dict[str, Any] | None) -> None:
        gone = f"<p>{html.escape(self.tr_('an.gone'))}</p>"
        self.transcript.setHtml(transcript_html(record, self.tz, self.tr_) if record else gone)
        self.transcript_loaded.emit()


class _Tile(QFrame):
    """One headline number with its label."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.setObjectName("analyticsTile")
        self.value = QLabel("–")
        self.value.setObjectName("tileValue")
        caption = QLabel(label)
        caption.setObjectName("tileLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(caption)

    def set_value(self, text: str) -> None:
        self.value.setText(text)


class _Chart(QWidget):
    """A white card with a title; subclasses paint inside `plot_area`."""

    title = ""

    def __init__(self, strings: Strings) -> None:
        super().__init__()
        self.tr_ = strings
        self.setMinimumSize(360, 250)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(GRID, 1))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)
        painter.setPen(INK)
        painter.setFont(_font(15, bold=True))
        painter.drawText(QRectF(16, 10, self.width() - 32, 24), Qt.AlignmentFlag.AlignLeft, self.tr_(self.title))
        self.paint_plot(painter, QRectF(16, 42, self.width() - 32, self.height() - 54))
        painter.end()

    def paint_plot(self, painter: QPainter, area: QRectF) -> None:
        raise NotImplementedError


class FunnelChart(_Chart):
    """How many calls got past each question: started -> each answer -> eligible."""

    title = "an.funnel"

    def __init__(self, strings: Strings) -> None:
        super().__init__(strings)
        self._funnel: dict[str, int] = {}
        self._drop_off: dict[str, int] = {}

    def set_data(self, funnel: dict[str, int], drop_off: dict[str, int]) -> None:
        self._funnel, self._drop_off = funnel, drop_off
        self.update()

    def paint_plot(self, painter: QPainter, area: QRectF) -> None:
        started = self._funnel.get("started", 0)
        if not started:
            _empty(painter, area, self.tr_)
            return
        steps = FUNNEL_STEPS
        label_width = min(190.0, area.width() * 0.4)
        value_width = 96.0
        row = area.height() / len(steps)
        bar_height = min(30.0, row * 0.62)
        for index, step in enumerate(steps):
            count = self._funnel.get(step, 0)
            top = area.top() + index * row + (row - bar_height) / 2
            painter.setPen(INK)
            painter.setFont(_font(13))
            left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            painter.drawText(QRectF(area.left(), top, label_width - 8, bar_height), left, self.tr_(f"an.step.{step}"))
            span = area.width() - label_width - value_width
            bar = QRectF(area.left() + label_width, top, max(2.0, span * count / started), bar_height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(OUTCOME_COLOURS["eligible"] if step == "eligible" else BLUE.lighter(100 + 12 * index))
            painter.drawRoundedRect(bar, 4, 4)
            painter.setPen(INK)
            painter.setFont(_font(13, bold=True))
            painter.drawText(QRectF(bar.right() + 8, top, value_width, bar_height),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             f"{count:,}" if step == "eligible" else f"{count:,}  {count / started:.0%}")  # fmt: skip
        lost = ", ".join(self.tr_("an.lost_at", count=n, question=q) for q, n in self._drop_off.items() if n)
        if lost:
            painter.setPen(MUTED)
            painter.setFont(_font(11))
            painter.drawText(QRectF(area.left(), area.bottom() - 4, area.width(), 16),
                             Qt.AlignmentFlag.AlignLeft, self.tr_("an.lost", lost=lost))  # fmt: skip


class OutcomesChart(_Chart):
    """Calls per day stacked by outcome."""

    title = "an.outcomes"

    def __init__(self, strings: Strings) -> None:
        super().__init__(strings)
        self._days: list[dict[str, Any]] = []

    def set_data(self, by_day: list[dict[str, Any]]) -> None:
        self._days = by_day
        self.update()

    def paint_plot(self, painter: QPainter, area: QRectF) -> None:
        if not self._days:
            _empty(painter, area, self.tr_)
            return
        legend_height, axis_width, label_height = 22.0, 36.0, 20.0
        _legend(painter, self.tr_, QRectF(area.left() + axis_width, area.top(), area.width(), legend_height))
        plot = QRectF(area.left() + axis_width, area.top() + legend_height + 8,
                      area.width() - axis_width, area.height() - legend_height - label_height - 8)  # fmt: skip
        peak = max(day["calls"] for day in self._days)
        step = _nice_step(peak)
        top_value = max(step, -(-peak // step) * step)
        painter.setFont(_font(11))
        for tick in range(0, top_value + 1, step):
            y = plot.bottom() - plot.height() * tick / top_value
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(MUTED)
            painter.drawText(QRectF(area.left(), y - 8, axis_width - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(tick))  # fmt: skip
        slot = plot.width() / len(self._days)
        width = max(3.0, slot * 0.7)
        label_every = max(1, int(46 // slot) + 1)
        for index, day in enumerate(self._days):
            left = plot.left() + index * slot + (slot - width) / 2
            bottom = plot.bottom()
            painter.setPen(Qt.PenStyle.NoPen)
            for outcome in ("eligible", "not_eligible", "incomplete"):
                height = plot.height() * day.get(outcome, 0) / top_value
                painter.setBrush(OUTCOME_COLOURS[outcome])
                painter.drawRect(QRectF(left, bottom - height, width, height))
                bottom -= height
            if index % label_every == 0:
                painter.setPen(MUTED)
                label = datetime.fromisoformat(day["day"]).strftime("%d %b")
                painter.drawText(QRectF(left + width / 2 - 30, plot.bottom() + 3, 60, label_height),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)  # fmt: skip


def transcript_html(record: dict[str, Any], tz: tzinfo, strings: Strings | None = None) -> str:
    """One call as readable HTML: who said what, what was understood, how fast, and the outcome."""
    answers = record["answers"]
    colour = OUTCOME_COLOURS.get(record["outcome"] or "", MUTED).name()
    started = datetime.fromisoformat(record["started_at"]).astimezone(tz)
    salary = answers.get("monthly_salary")
    verdict = _verdict(record, strings or Strings())
    parts = [
        f"<h3 style='margin:0'>{html.escape(started.strftime('%d %b %Y %H:%M %Z'))}"
        f" · {html.escape(record['channel'])}</h3>",
        f"<p style='margin:4px 0'><b style='color:{colour}'>{html.escape(verdict)}</b><br>"
        f"<span style='color:#5B6B82'>employment: {html.escape(str(answers.get('employment') or '–'))} · "
        f"salary: {'–' if salary is None else rupees(salary)} · "
        f"city: {html.escape(str(answers.get('city') or '–'))} · policy {html.escape(record['policy_version'])}"
        f"</span></p>",
    ]
    if record.get("transcript_dropped"):
        parts.append("<p style='color:#5B6B82'><i>Transcript dropped by the privacy setting.</i></p>")
    for turn in record["turns"]:
        facts = [f"{turn['latency_ms']:.0f} ms" if turn["latency_ms"] is not None else "",
                 f"ASR {turn['asr_confidence']:.2f}" if turn["asr_confidence"] is not None else "",
                 "barge-in" if turn["barge_in"] else ""]  # fmt: skip
        parts.append(f"<p style='margin:8px 0 2px 0'><b>Bot</b> <span style='color:#5B6B82'>"
                     f"{html.escape(turn['state'])}</span><br>{html.escape(turn['bot'] or '…')}</p>")  # fmt: skip
        if turn["caller"] is None and not turn["intent"]:
            continue
        heard = "(silence)" if turn["caller"] == "" else (turn["caller"] or "…")
        parsed = ", ".join(f"{k}={v}" for k, v in (turn["parsed"] or {}).items()) or (turn["intent"] or "")
        parts.append(
            f"<p style='margin:2px 0 2px 24px'><b style='color:#0B4FD6'>Caller</b> {html.escape(heard)}<br>"
            f"<span style='color:#5B6B82'>→ {html.escape(parsed)}"
            f"{' · ' if any(facts) else ''}{html.escape(' · '.join(f for f in facts if f))}</span></p>"
        )
    return "".join(parts)


def _verdict(call: dict[str, Any], strings: Strings) -> str:
    name = strings.get(f"an.outcome.{call['outcome'] or 'none'}", call["outcome"] or "")
    reasons = ", ".join(strings.get(f"an.reason.{reason}", reason) for reason in call["reasons"])
    return f"{name}: {reasons}" if reasons else name


def _legend(painter: QPainter, strings: Strings, area: QRectF) -> None:
    x = area.left()
    painter.setFont(_font(12))
    for outcome, colour in OUTCOME_COLOURS.items():
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(x, area.top() + 5, 12, 12), 2, 2)
        painter.setPen(INK)
        label = strings(f"an.outcome.{outcome}")
        painter.drawText(QRectF(x + 18, area.top(), 140, area.height()), Qt.AlignmentFlag.AlignVCenter, label)
        x += 18 + painter.fontMetrics().horizontalAdvance(label) + 20


def _nice_step(peak: int) -> int:
    """A round tick step giving about four grid lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if peak / step <= 5:
            return step
    return 10 ** len(str(peak))


def _empty(painter: QPainter, area: QRectF, strings: Strings) -> None:
    painter.setPen(MUTED)
    painter.setFont(_font(13))
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter, strings("an.no_calls"))


def _font(pixels: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


STYLE = """
#analyticsView { background: #F2F5FA; }
#analyticsTitle { font-size: 24px; font-weight: bold; color: #0A2A66; }
#analyticsStatus { color: #5B6B82; font-size: 14px; }
#analyticsTile { background: #FFFFFF; border: 1px solid #DCE2EB; border-radius: 10px; }
#tileValue { font-size: 26px; font-weight: bold; color: #14233B; }
#tileLabel { font-size: 13px; color: #5B6B82; }
#analyticsView QTableWidget, #analyticsTranscript { background: #FFFFFF; border: 1px solid #DCE2EB;
    border-radius: 8px; font-size: 14px; }
#analyticsView QHeaderView::section { background: #E8EDF5; border: none; padding: 4px 6px; font-size: 13px; }
"""
