"""The window a kiosk shows when it cannot start: what is wrong and what to do, instead of a black screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class StartupErrorWindow(QWidget):
    """Plain words for staff; Quit ends the app (exit status 2, as the command line reports)."""

    def __init__(self, problem: str, remedy: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startupError")
        self.setWindowTitle("QuickRupee Voice could not start")
        title = QLabel("QuickRupee Voice could not start")
        title.setObjectName("dialogTitle")
        self.problem = QLabel(problem)
        self.problem.setObjectName("startupProblem")
        self.remedy = QLabel(remedy)
        self.remedy.setObjectName("startupRemedy")
        for label in (self.problem, self.remedy):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quit = QPushButton("Quit")
        self.quit.setObjectName("primaryButton")
        self.quit.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(18)
        layout.addStretch(1)
        for widget in (title, self.problem, self.remedy):
            layout.addWidget(widget)
        layout.addWidget(self.quit, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
