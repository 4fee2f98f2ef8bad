"""The live transcript: bot prompts and the caller's words, partial text shown lighter until it is final."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.strings import Strings


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the transcript as the visitor sees it."""

    speaker: str  # "bot" or "caller"
    text: str
    partial: bool


class _Bubble(QFrame):
    """One utterance: a speaker tag over word-wrapped text, aligned by who spoke."""

    def __init__(self, speaker: str, tag: str, text: str, *, partial: bool) -> None:
        super().__init__()
        self.speaker = speaker
        self.setObjectName("botBubble" if speaker == "bot" else "callerBubble")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(2)
        self.tag = QLabel(tag)
        self.tag.setObjectName("bubbleTag")
        self.body = QLabel(text)
        self.body.setObjectName("bubbleText")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.tag)
        layout.addWidget(self.body)
        self.set_text(text, partial=partial)

    @property
    def partial(self) -> bool:
        return bool(self.property("partial"))

    def set_text(self, text: str, *, partial: bool) -> None:
        self.body.setText(text)
        self.setProperty("partial", partial)
        self.body.setProperty("partial", partial)
        for widget in (self, self.tag, self.body):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class TranscriptView(QScrollArea):
    """Auto-scrolling list of bubbles; the newest line is always in view."""

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self.setObjectName("transcript")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        inner = QWidget()
        inner.setObjectName("transcriptInner")
        self._column = QVBoxLayout(inner)
        self._column.setContentsMargins(12, 12, 12, 12)
        self._column.setSpacing(12)
        self._column.addStretch(1)
        self.setWidget(inner)
        self._bubbles: list[_Bubble] = []
        self.verticalScrollBar().rangeChanged.connect(self._follow)

    def entries(self) -> list[Entry]:
        return [Entry(b.speaker, b.body.text(), b.partial) for b in self._bubbles]

    def add_bot(self, text: str) -> None:
        self._append("bot", text, partial=False)

    def show_partial(self, text: str) -> None:
        """Show what is being recognised now, replacing the previous partial guess."""
        last = self._open_caller_bubble()
        if last is None:
            self._append("caller", text, partial=True)
        else:
            last.set_text(text, partial=True)

    def show_final(self, text: str) -> None:
        """The recogniser's final text replaces the partial line (or starts a new one)."""
        last = self._open_caller_bubble()
        if last is None:
            self._append("caller", text, partial=False)
        else:
            last.set_text(text, partial=False)

    def drop_partial(self) -> None:
        """The recogniser could not use what it heard: a partial guess stays, marked not clear, so the visitor
        sees what was heard and why the question comes again; an empty guess (a cough) disappears."""
        last = self._open_caller_bubble()
        if last is None:
            return
        heard = last.body.text().strip()
        if not heard:
            self._remove(last)
            return
        last.set_text(f"{heard}  {self._strings('transcript.unclear')}", partial=False)
        last.setProperty("unclear", True)

    def clear(self) -> None:
        for bubble in list(self._bubbles):
            self._remove(bubble)

    def retranslate(self) -> None:
        for bubble in self._bubbles:
            bubble.tag.setText(self._tag(bubble.speaker))

    def is_scrolled_to_end(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() == bar.maximum()

    def _open_caller_bubble(self) -> _Bubble | None:
        if self._bubbles and self._bubbles[-1].speaker == "caller" and self._bubbles[-1].partial:
            return self._bubbles[-1]
        return None

    def _tag(self, speaker: str) -> str:
        return self._strings("transcript.bot" if speaker == "bot" else "transcript.caller")

    def _append(self, speaker: str, text: str, *, partial: bool) -> None:
        bubble = _Bubble(speaker, self._tag(speaker), text, partial=partial)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        if speaker == "caller":
            row.addStretch(1)
        row.addWidget(bubble, 5)
        if speaker == "bot":
            row.addStretch(1)
        holder = QWidget()
        holder.setLayout(row)
        self._column.addWidget(holder)
        holder.show()  # now, not on the next pass of the event loop: the line is there when the call says so
        self._bubbles.append(bubble)

    def _remove(self, bubble: _Bubble) -> None:
        self._bubbles.remove(bubble)
        holder = bubble.parentWidget()
        self._column.removeWidget(holder)
        holder.deleteLater()

    def _follow(self, _minimum: int, maximum: int) -> None:
        self.verticalScrollBar().setValue(maximum)
