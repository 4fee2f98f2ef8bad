"""The diagram is drawn from TRANSITIONS, lights the current state, marks the path and animates."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from core.dialogue.table import TRANSITIONS, State, Trigger, follow
from ui.diagram_layout import compute_layout
from ui.state_diagram import CURRENT_FILL, StateDiagram
from ui.strings import Strings


def _diagram(qtbot: QtBot, width: int = 460, height: int = 560) -> StateDiagram:
    diagram = StateDiagram(Strings())
    qtbot.addWidget(diagram)
    diagram.resize(width, height)
    diagram.show()
    return diagram


def test_every_state_and_edge_of_the_table_is_drawn(qtbot: QtBot) -> None:
    diagram = _diagram(qtbot)
    assert diagram.drawn_states() == {e.source for e in TRANSITIONS} | {e.target for e in TRANSITIONS}
    assert diagram.drawn_edges() == set(TRANSITIONS)


def test_layout_puts_each_state_in_its_own_cell() -> None:
    layout = compute_layout(TRANSITIONS)
    assert len(set(layout.cells.values())) == len(layout.cells)
    assert layout.cells[State.INIT] == (0, 0)
    assert layout.cells[State.GREETING][1] < layout.cells[State.ASK_EMPLOYMENT][1]


def test_a_new_state_in_the_table_appears_without_ui_changes(qtbot: QtBot) -> None:
    extra = (*TRANSITIONS[:2], TRANSITIONS[2].__class__(State.GREETING, Trigger.HUNG_UP, State.INCOMPLETE, "left"))
    layout = compute_layout(extra)
    assert State.INCOMPLETE in layout.cells


def test_advance_lights_the_target_and_marks_the_path(qtbot: QtBot) -> None:
    diagram = _diagram(qtbot)
    start = (follow(State.INIT, Trigger.START), follow(State.GREETING, Trigger.GREETED))
    diagram.advance(start)
    diagram.advance((follow(State.ASK_EMPLOYMENT, Trigger.NEED_SALARY),))
    assert diagram.current_state is State.ASK_SALARY
    assert diagram.visited == {State.INIT, State.GREETING, State.ASK_EMPLOYMENT, State.ASK_SALARY}
    assert diagram.taken_edges[-1].trigger is Trigger.NEED_SALARY
    assert diagram.animating
    qtbot.waitUntil(lambda: not diagram.animating, timeout=2000)
    box = diagram._geometry().boxes[State.ASK_SALARY]
    pixel = diagram.grab().toImage().pixelColor(int(box.center().x()), int(box.top() + 6))
    assert _close(pixel, CURRENT_FILL)
    idle = diagram._geometry().boxes[State.ASK_CITY]
    assert not _close(diagram.grab().toImage().pixelColor(int(idle.center().x()), int(idle.top() + 6)), CURRENT_FILL)


def test_reset_clears_the_path(qtbot: QtBot) -> None:
    diagram = _diagram(qtbot)
    diagram.advance((follow(State.INIT, Trigger.START),))
    diagram.reset()
    assert diagram.current_state is State.INIT and diagram.taken_edges == () and not diagram.animating


def test_labels_fit_their_boxes_at_kiosk_sizes(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontMetricsF

    # the diagram's panel at 1024x768 and at 1920x1080 (below 900x600 the kiosk folds the diagram away)
    for width, height in ((440, 560), (900, 800)):
        diagram = _diagram(qtbot, width, height)
        geometry = diagram._geometry()
        metrics = QFontMetricsF(geometry.font)
        assert geometry.font.pixelSize() >= 12
        for state, box in geometry.boxes.items():
            assert metrics.horizontalAdvance(diagram._label(state)) <= box.width()
            assert diagram.rect().contains(box.toRect())


def _close(a: QColor, b: QColor, tolerance: int = 24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_edge_labels_never_cover_a_state_name(qtbot: QtBot) -> None:
    """Issue 13: 'serviceable city' sat on 'Not eligible', 'goodbye' on 'Incomplete'."""
    from PySide6.QtGui import QFontMetricsF

    from ui.strings import Lang, edge_label

    for lang in (Lang.EN, Lang.HI):
        diagram = StateDiagram(Strings(lang))
        qtbot.addWidget(diagram)
        diagram.resize(420, 520)
        geometry = diagram._geometry()
        metrics = QFontMetricsF(geometry.label_font)
        for edge in TRANSITIONS:
            if edge.source is edge.target:
                continue
            width = metrics.horizontalAdvance(edge_label(diagram._strings, edge.label)) + 16
            path = geometry.paths[(edge.source, edge.target)]
            spot = diagram._label_spot(path, width, metrics.height() + 6, geometry)
            covered = [s for s, box in geometry.boxes.items() if spot.intersects(box)]
            assert covered == [], (lang, edge.label, covered)
