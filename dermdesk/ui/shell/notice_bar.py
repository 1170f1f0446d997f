"""A bar across the top of the main window for problems found at start (a damaged settings file).

Why a bar and not a message box: a box is a window of its own, and at start it opened over the sign-in
dialog. The bar is part of the main window, so it never covers a dialog and never blocks the live view;
it stays until dismissed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QToolBar, QWidget

NOTICE_STYLE = "background: #fff4ce; color: #5c4400; padding: 4px;"


class NoticeBar(QToolBar):
    """Hidden until there is something to say; "Dismiss" hides it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Notices"), parent)
        self.setObjectName("notice-bar")
        self.setMovable(False)
        self.setFloatable(False)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setStyleSheet(NOTICE_STYLE)
        self.dismiss_button = QPushButton(self.tr("Dismiss"), self)
        self.addWidget(self.label)
        self.addWidget(self.dismiss_button)
        self.dismiss_button.clicked.connect(self.hide)
        self.toggleViewAction().setVisible(False)
        self.hide()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt override)
        # A window layout restored from an earlier start must not bring back an empty bar.
        super().setVisible(visible and bool(self.label.text()))

    def show_notices(self, notices: list[str]) -> None:
        self.label.setText("\n".join(notices))
        self.show()
