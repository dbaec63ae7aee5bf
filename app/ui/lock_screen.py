"""The session lock: every window's content and title covered until the user's password is typed.

Hiding the main window's centre is not enough: a visit window, a certificate
preview or a dialog shows a person's name just as well. So locking puts an
opaque cover over the whole of every visible top-level window, replaces every
window title (titles carry names, and taskbars show them), and opens one
application-modal, screen-filling unlock screen that takes the input (a
modal dialog still open below it would otherwise block a cover's password
field). Nothing is closed or hidden, so an open dialog is where it was after
the unlock.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.services.auth import AuthService
from app.ui.login_dialog import LoginDialog

LOCKED_TITLE = "HomeVisit"


class LockCover(QWidget):
    """An opaque child over the whole of one top-level window; follows its size."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lock_cover { background: #263238; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        label = QLabel(self.tr("已锁定"), self)
        label.setStyleSheet("color: white; font-size: 18px;")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded, QEvent.Type.Show):
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
                self.raise_()
        return False


class UnlockScreen(LoginDialog):
    """The screen-filling password prompt of a locked session."""

    def __init__(self, auth: AuthService, username: str) -> None:
        super().__init__(auth, None, locked_user=username)
        self.setObjectName("unlock_screen")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setStyleSheet("#unlock_screen { background: #eceff1; }")

    def fill(self, area: QRect) -> None:
        """Cover ``area`` (the whole screen), the prompt in its middle."""
        self.setGeometry(area)
        layout = self.layout()
        side = max(0, (area.width() - 420) // 2)
        top = max(0, (area.height() - 260) // 2)
        layout.setContentsMargins(side, top, side, top)

    def reject(self) -> None:
        """Escape does not unlock."""


class SessionLock(QObject):
    """Locks and unlocks the whole application for the logged-in user.

    ``auth`` and ``username`` are read at lock time (the user may have
    switched); ``on_unlocked`` runs after the right password, ``on_locked`` with the user name once locked.
    """

    def __init__(
        self,
        auth: Callable[[], AuthService],
        username: Callable[[], str | None],
        on_unlocked: Callable[[], None] | None = None,
        parent: QObject | None = None,
        on_locked: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self._username = username
        self._on_unlocked = on_unlocked
        self._on_locked = on_locked
        self.screen: UnlockScreen | None = None
        self._covered: list[tuple[QWidget, LockCover, str]] = []

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def lock(self) -> None:
        """Cover every window and show the unlock screen (returns at once; the screen is modal)."""
        username = self._username()
        if self.locked or not username:
            return
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and not isinstance(window, UnlockScreen):
                if window.windowType() in (Qt.WindowType.ToolTip, Qt.WindowType.Popup):
                    window.hide()  # menus and tooltips go; they reopen on demand
                    continue
                self._covered.append((window, LockCover(window), window.windowTitle()))
                window.setWindowTitle(LOCKED_TITLE)
        self.screen = UnlockScreen(self._auth(), username)
        self.screen.accepted.connect(self._unlocked)
        self.screen.fill(QApplication.primaryScreen().geometry())
        self.screen.showFullScreen()  # modal (set above) without a nested event loop
        self.screen.activateWindow()
        self.screen.password.setFocus()
        if self._on_locked is not None:
            self._on_locked(username)  # audited off the GUI thread (app/ui/main.py)

    def _unlocked(self) -> None:
        for window, cover, title in self._covered:
            cover.deleteLater()
            window.removeEventFilter(cover)
            window.setWindowTitle(title)
        self._covered.clear()
        if self.screen is not None:
            self.screen.deleteLater()
            self.screen = None
        if self._on_unlocked is not None:
            self._on_unlocked()

    def covered_windows(self) -> list[QWidget]:
        return [w for w, _, _ in self._covered]
