"""The result of a screening in plain words: eligible or not (and why), what happens next, and a reference."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from core.contact import reference
from core.dialogue.decide import Outcome
from core.record import CallRecord
from ui.strings import Strings


class OutcomeCard(QFrame):
    """Coloured by outcome through the `outcome` property; reasons come from the record, not the prompt."""

    def __init__(self, strings: Strings, policy_values: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._values = policy_values
        self._record: CallRecord | None = None
        self.setObjectName("outcomeCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("outcomeTitle")
        self.reasons = QLabel()
        self.reasons.setObjectName("outcomeReasons")
        self.reasons.setWordWrap(True)
        self.next_step = QLabel()
        self.next_step.setObjectName("outcomeNext")
        self.next_step.setWordWrap(True)
        self.reference = QLabel()
        self.reference.setObjectName("outcomeReference")
        self.countdown = QLabel()
        self.countdown.setObjectName("outcomeCountdown")
        for label in (self.title, self.reasons, self.next_step, self.reference, self.countdown):
            layout.addWidget(label)
        self.countdown.hide()

    @property
    def outcome(self) -> Outcome | None:
        if self._record is None or self._record.outcome is None:
            return None
        return Outcome(self._record.outcome)

    def show_record(self, record: CallRecord) -> None:
        self._record = record
        self._render()
        self.show()

    def set_countdown(self, seconds: int | None) -> None:
        """Seconds until the kiosk clears the screen, or None in a normal window."""
        if seconds is None:
            self.countdown.hide()
            return
        self.countdown.setText(self._strings("reset.countdown", seconds=seconds))
        self.countdown.show()

    def retranslate(self) -> None:
        if self._record is not None:
            self._render()

    def _render(self) -> None:
        outcome = self.outcome or Outcome.INCOMPLETE
        self.setProperty("outcome", outcome.value)
        for widget in (self, self.title, self.reasons, self.next_step, self.reference, self.countdown):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.title.setText(self._strings(f"outcome.{outcome.value}"))
        self.reasons.setText("\n".join(f"•  {line}" for line in self._reason_lines(outcome)))
        self.next_step.setText(self._strings(f"outcome.next.{outcome.value}"))
        self.reference.setText(self._strings("outcome.reference", reference=reference(self._record.call_id)))

    def _reason_lines(self, outcome: Outcome) -> list[str]:
        assert self._record is not None
        if outcome is Outcome.ELIGIBLE:
            return [self._strings("reason.all_met")]
        if outcome is Outcome.INCOMPLETE:
            return [self._strings("reason.no_answers")]
        return [self._strings(f"reason.{reason}", **self._values) for reason in self._record.reasons]
