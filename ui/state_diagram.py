"""The dialogue's state machine drawn live from the core's table: current state lit, path taken marked."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, QSize, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.dialogue.table import TRANSITIONS, Edge, State
from ui.diagram_layout import Layout, Link, compute_layout
from ui.strings import Strings, edge_label

INK = QColor("#14233B")
MUTED = QColor("#8593A8")
FAINT = QColor(133, 147, 168, 110)
IDLE_FILL = QColor("#FFFFFF")
VISITED_FILL = QColor("#DCE7FB")
CURRENT_FILL = QColor("#0B4FD6")
TAKEN = QColor("#0B4FD6")
GLOW = QColor(255, 153, 0)
ANIMATION_MS = 450


@dataclass(frozen=True, slots=True)
class _Geometry:
    boxes: dict[State, QRectF]
    paths: dict[tuple[State, State], QPainterPath]
    font: QFont
    label_font: QFont


class StateDiagram(QWidget):
    """Paints every state and edge of TRANSITIONS; `advance()` lights the edges a bot turn took."""

    def __init__(self, strings: Strings, edges: tuple[Edge, ...] = TRANSITIONS, parent: QWidget | None = None):
        super().__init__(parent)
        self._strings = strings
        self._layout: Layout = compute_layout(edges)
        self._current = State.INIT
        self._visited: set[State] = {State.INIT}
        self._taken: list[Edge] = []
        self._previous = State.INIT
        self._moving: Link | None = None
        self._progress = 1.0
        self._cached: tuple[tuple[int, int, str], _Geometry] | None = None
        self._spot: tuple[tuple[int, float, float, float], QRectF] | None = None
        self._animation = QVariantAnimation(self, duration=ANIMATION_MS, easingCurve=QEasingCurve.Type.InOutCubic)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.valueChanged.connect(self._on_progress)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 300)
        self.setAccessibleName("Conversation state diagram")

    # -- state -------------------------------------------------------------------------------------------
    @property
    def current_state(self) -> State:
        return self._current

    @property
    def visited(self) -> frozenset[State]:
        return frozenset(self._visited)

    @property
    def taken_edges(self) -> tuple[Edge, ...]:
        return tuple(self._taken)

    @property
    def animating(self) -> bool:
        return self._animation.state() is QVariantAnimation.State.Running

    def drawn_states(self) -> set[State]:
        """Every state the widget draws (tests compare this with the table)."""
        return set(self._layout.cells)

    def drawn_edges(self) -> set[Edge]:
        return {edge for link in self._layout.links for edge in link.edges}

    def advance(self, edges: tuple[Edge, ...]) -> None:
        """Mark the edges a turn took and glide the highlight to where they lead."""
        if not edges:
            return
        self._previous = self._current
        for edge in edges:
            self._taken.append(edge)
            self._visited.add(edge.target)
        self._current = edges[-1].target
        last = edges[-1]
        self._moving = next(link for link in self._layout.links if last in link.edges)
        self._animation.stop()
        self._progress = 0.0
        self._animation.start()
        self.update()

    def settle_on(self, state: State) -> None:
        """The call is over: the highlight rests on its outcome, not on the closing step after it."""
        if state in self._visited:
            self._animation.stop()
            self._previous = self._current = state
            self._progress = 1.0
            self._moving = None
            self.update()

    def reset(self) -> None:
        """Back to the start with no path (a new visitor)."""
        self._animation.stop()
        self._current = self._previous = State.INIT
        self._visited = {State.INIT}
        self._taken = []
        self._moving = None
        self._progress = 1.0
        self.update()

    def retranslate(self) -> None:
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(460, 560)

    def _on_progress(self, value: float) -> None:
        self._progress = float(value)
        self.update()

    # -- geometry ----------------------------------------------------------------------------------------
    def _geometry(self) -> _Geometry:
        """Boxes, routes and fonts for the current size and language; computed once, not every frame."""
        key = (self.width(), self.height(), self._strings.lang)
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, self._compute_geometry())
        return self._cached[1]

    def _compute_geometry(self) -> _Geometry:
        layout = self._layout
        margin_x, margin_y = 46.0, 14.0
        width = max(1.0, self.width() - 2 * margin_x)
        height = max(1.0, self.height() - 2 * margin_y)
        col_w = width / layout.columns
        row_h = height / layout.rows
        node_w = min(col_w * 0.74, 240.0)
        node_h = min(row_h * 0.6, 58.0)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(int(max(12.0, min(22.0, node_h * 0.4))))
        longest = max((self._label(s) for s in layout.cells), key=len)
        while font.pixelSize() > 11 and QFontMetricsF(font).horizontalAdvance(longest) > node_w - 16:
            font.setPixelSize(font.pixelSize() - 1)
        label_font = QFont(self.font())
        label_font.setPixelSize(max(13, int(font.pixelSize() * 0.75)))
        boxes = {}
        for state, (col, row) in layout.cells.items():
            cx = margin_x + col_w * (col + 0.5)
            cy = margin_y + row_h * (row + 0.5)
            boxes[state] = QRectF(cx - node_w / 2, cy - node_h / 2, node_w, node_h)
        paths = {(link.source, link.target): self._route(link, boxes) for link in layout.links}
        return _Geometry(boxes, paths, font, label_font)

    def _route(self, link: Link, boxes: dict[State, QRectF]) -> QPainterPath:
        src, dst = boxes[link.source], boxes[link.target]
        s_col, s_row = self._layout.cells[link.source]
        d_col, d_row = self._layout.cells[link.target]
        outward = -1.0 if s_col == 0 else 1.0
        path = QPainterPath()
        if link.is_loop:
            side = src.left() if s_col == 0 else src.right()
            start = QPointF(side, src.center().y() - src.height() * 0.25)
            end = QPointF(side, src.center().y() + src.height() * 0.25)
            path.moveTo(start)
            path.cubicTo(start + QPointF(34 * outward, -16), end + QPointF(34 * outward, 16), end)
            return path
        if s_col == d_col and d_row == s_row + 1:
            path.moveTo(QPointF(src.center().x(), src.bottom()))
            path.lineTo(QPointF(dst.center().x(), dst.top()))
            return path
        if s_col == d_col:
            side = src.left() if s_col == 0 else src.right()
            start, end = QPointF(side, src.center().y()), QPointF(side, dst.center().y())
            bulge = 24.0 + 6.0 * abs(d_row - s_row)
            path.moveTo(start)
            path.cubicTo(start + QPointF(bulge * outward, 0), end + QPointF(bulge * outward, 0), end)
            return path
        # Across columns: out to a lane between the columns (one lane per target), along it, and in. Lines share
        # lanes instead of crossing each other, so the way to each outcome reads as one track.
        fan_out = self._fan_index(link, by_source=True)
        fan_in = self._fan_index(link, by_source=False)
        start = QPointF(src.right(), src.center().y() + fan_out * 6.0)
        end = QPointF(dst.left(), dst.center().y() + fan_in * 6.0)
        lanes = sorted({cells[1] for state, cells in self._layout.cells.items() if cells[0] == d_col})
        gap = end.x() - start.x()
        lane_x = start.x() + gap * (0.3 + 0.4 * lanes.index(d_row) / max(1, len(lanes) - 1))
        corner = min(6.0, abs(end.y() - start.y()) / 2)
        down = 1.0 if end.y() >= start.y() else -1.0
        path.moveTo(start)
        path.lineTo(lane_x - corner, start.y())
        path.quadTo(QPointF(lane_x, start.y()), QPointF(lane_x, start.y() + corner * down))
        path.lineTo(lane_x, end.y() - corner * down)
        path.quadTo(QPointF(lane_x, end.y()), QPointF(lane_x + corner, end.y()))
        path.lineTo(end)
        return path

    def _fan_index(self, link: Link, *, by_source: bool) -> float:
        """Spread links leaving (or entering) one box so their ends do not sit on top of each other."""
        cells = self._layout.cells
        key = link.source if by_source else link.target
        siblings = [
            other
            for other in self._layout.links
            if (other.source if by_source else other.target) is key
            and not other.is_loop
            and cells[other.source][0] != cells[other.target][0]
        ]
        siblings.sort(key=lambda other: cells[other.target if by_source else other.source][1])
        return siblings.index(link) - (len(siblings) - 1) / 2

    def _label(self, state: State) -> str:
        return self._strings.get(f"state.{state.value}", state.value.replace("_", " ").title())

    # -- painting ----------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        geometry = self._geometry()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        taken_links = {(e.source, e.target) for e in self._taken}
        for link in self._layout.links:
            key = (link.source, link.target)
            self._paint_link(painter, geometry.paths[key], taken=key in taken_links)
        for state, box in geometry.boxes.items():
            self._paint_node(painter, state, box, geometry.font)
        self._paint_labels(painter, geometry)
        self._paint_traveller(painter, geometry)
        painter.end()

    def _paint_link(self, painter: QPainter, path: QPainterPath, *, taken: bool) -> None:
        color = TAKEN if taken else FAINT  # the way taken stands out; the other routes stay in the background
        pen = QPen(color, 4.0 if taken else 1.4)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        tip = path.pointAtPercent(1.0)
        angle = path.angleAtPercent(0.99)
        size = 11.0 if taken else 8.0
        head = QPolygonF([QPointF(0, 0), QPointF(-size, -size * 0.5), QPointF(-size, size * 0.5)])
        painter.save()
        painter.translate(tip)
        painter.rotate(-angle)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(head)
        painter.restore()

    def _paint_node(self, painter: QPainter, state: State, box: QRectF, font: QFont) -> None:
        radius = box.height() * 0.32
        if state is self._current:
            glow = QColor(GLOW)
            glow.setAlphaF(0.55 * self._progress)
            painter.setPen(QPen(glow, 8.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box.adjusted(-4, -4, 4, 4), radius + 4, radius + 4)
        lit = self._progress if state is self._current else 0.0
        fading = 1.0 - self._progress if state is self._previous and state is not self._current else 0.0
        base = VISITED_FILL if state in self._visited else IDLE_FILL
        fill = _mix(base, CURRENT_FILL, max(lit, fading))
        border = TAKEN if state in self._visited else MUTED
        painter.setPen(QPen(border, 2.4 if state in self._visited else 1.6))
        painter.setBrush(fill)
        painter.drawRoundedRect(box, radius, radius)
        painter.setFont(font)
        painter.setPen(_mix(INK, QColor("#FFFFFF"), max(lit, fading)))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self._label(state))

    def _paint_labels(self, painter: QPainter, geometry: _Geometry) -> None:
        """Name the newest step in the table's own words, and count the retries on each loop."""
        painter.setFont(geometry.label_font)
        metrics = QFontMetricsF(geometry.label_font)
        height = metrics.height() + 6
        loops = {e.source for e in self._taken if e.source is e.target}
        for state in loops:
            times = sum(1 for e in self._taken if e.source is e.target is state)
            anchor = geometry.paths[(state, state)].pointAtPercent(0.5)
            text = f"×{times}"
            width = metrics.horizontalAdvance(text) + 10
            col = self._layout.cells[state][0]
            x = anchor.x() - width - 2 if col == 0 else anchor.x() + 2
            self._pill(painter, QRectF(max(2.0, x), anchor.y() - height / 2, width, height), text)
        newest = next(
            (e for e in reversed(self._taken) if e.source is not e.target and e.target is self._current), None
        )
        if newest is None:
            return
        text = edge_label(self._strings, newest.label)
        width = metrics.horizontalAdvance(text) + 16
        path = geometry.paths[(newest.source, newest.target)]
        self._pill(painter, self._label_spot(path, width, height, geometry), text)

    def _label_spot(self, path: QPainterPath, width: float, height: float, geometry: _Geometry) -> QRectF:
        """The free place (covering no state's name) nearest the middle of the edge; cached per edge and size."""
        key = (id(geometry), path.pointAtPercent(0.5).x(), path.pointAtPercent(0.5).y(), width)
        if self._spot is not None and self._spot[0] == key:
            return self._spot[1]
        boxes = [box.adjusted(-3, -3, 3, 3) for box in geometry.boxes.values()]
        anchor = path.pointAtPercent(0.5)
        step = 6.0
        places = [
            (2 + col * step, row * step)
            for row in range(int(max(0.0, self.height() - height) // step) + 1)
            for col in range(int(max(0.0, self.width() - width - 4) // step) + 1)
        ]
        left, top = anchor.x() - width / 2, anchor.y() - height / 2
        places.sort(key=lambda p: (p[0] - left) ** 2 + (p[1] - top) ** 2)  # nearest first: the search stops early
        candidates = (QRectF(x, y, width, height) for x, y in places)
        free = (rect for rect in candidates if not any(rect.intersects(box) for box in boxes))
        spot = next(free, QRectF(anchor.x() + 8, top, width, height))
        self._spot = (key, spot)
        return spot

    def _pill(self, painter: QPainter, rect: QRectF, text: str) -> None:
        painter.setPen(QPen(TAKEN, 1.4))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(INK)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_traveller(self, painter: QPainter, geometry: _Geometry) -> None:
        if self._moving is None or self._progress >= 1.0:
            return
        point = geometry.paths[(self._moving.source, self._moving.target)].pointAtPercent(self._progress)
        painter.setPen(QPen(QColor("#FFFFFF"), 2.0))
        painter.setBrush(GLOW)
        painter.drawEllipse(point, 8.0, 8.0)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = max(0.0, min(1.0, t))
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )
