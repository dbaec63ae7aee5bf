"""Lock the app when the operating system locks the session or goes to sleep (issue 13, sessions).

The idle lock (``app.ui.idle_lock``) notices a sleep only when the laptop wakes
(the wall clock jumped). This module hears the system say so as it happens:

- **Windows**: a native event filter on the main window's messages.
  ``WTSRegisterSessionNotification`` (wtsapi32, through ctypes) asks Windows
  to send ``WM_WTSSESSION_CHANGE``; ``WTS_SESSION_LOCK`` (Win+L, the lid, a
  screen saver with password) locks the app, and so does ``WM_POWERBROADCAST``
  with ``PBT_APMSUSPEND`` (going to sleep or hibernating).
- **Linux**: logind on the system D-Bus, when the installed PySide6 has
  QtDBus (``pyside6-essentials`` 6.12 does): the manager's
  ``PrepareForSleep(true)`` and this session's ``Lock`` signal. Without a
  system bus (a container, a test machine) nothing is connected and the idle
  lock's wake-up check still applies.

``SystemLockWatcher.system_locked(reason)`` is the one handler both feed; it
calls the session lock. Which messages mean "lock" is decided by
``lock_reason``, plain code a test can call on any platform.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0

LOGIND = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
LOGIND_MANAGER = "org.freedesktop.login1.Manager"
LOGIND_SESSION = "org.freedesktop.login1.Session"


def _own_session_path(bus: object) -> str:
    """This process's logind session object (signals come from its real path, not ``session/auto``);
    ``""`` (any session) when logind does not say."""
    from PySide6.QtDBus import QDBusMessage, QDBusObjectPath

    call = QDBusMessage.createMethodCall(LOGIND, LOGIND_PATH, LOGIND_MANAGER, "GetSession")
    call.setArguments(["auto"])
    reply = bus.call(call, timeout=1000)  # type: ignore[attr-defined]
    if reply.type() == QDBusMessage.MessageType.ReplyMessage and reply.arguments():
        found = reply.arguments()[0]
        return found.path() if isinstance(found, QDBusObjectPath) else str(found)
    return ""


def lock_reason(message: int, wparam: int) -> str | None:
    """``"session_locked"`` or ``"sleep"`` for a Windows message that should lock the app, else ``None``."""
    if message == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK:
        return "session_locked"
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return "sleep"
    return None


class _Msg(ctypes.Structure):
    """The head of Windows' ``MSG`` (hwnd, message, wParam, lParam), enough to read what arrived."""

    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
    ]


class WindowsMessageFilter(QAbstractNativeEventFilter):
    """Reads each native Windows message; hands the ones that mean "lock" to ``on_lock``."""

    def __init__(self, on_lock: Callable[[str], None]) -> None:
        super().__init__()
        self._on_lock = on_lock

    def nativeEventFilter(self, eventType: object, message: object) -> tuple[bool, int]:
        if bytes(eventType) == b"windows_generic_MSG":  # type: ignore[call-overload]
            msg = _Msg.from_address(int(message))  # type: ignore[call-overload]
            reason = lock_reason(msg.message, msg.wParam)
            if reason is not None:
                self._on_lock(reason)
        return False, 0


class SystemLockWatcher(QObject):
    """Locks the session (``on_lock``) when the system locks or sleeps; see the module docstring."""

    locked_by_system = Signal(str)  # the reason, after ``on_lock`` ran

    def __init__(self, on_lock: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_lock = on_lock
        self._filter: WindowsMessageFilter | None = None
        self.listening: list[str] = []  # what is connected: "windows", "logind"

    def system_locked(self, reason: str) -> None:
        """The system locked the session or is going to sleep: lock now (before the lid closes)."""
        log.info("system %s: locking the session", reason)
        self._on_lock()
        self.locked_by_system.emit(reason)

    # --- logind (Linux) ---------------------------------------------------------

    @Slot(bool)
    def prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.system_locked("sleep")

    @Slot()
    def session_lock(self) -> None:
        self.system_locked("session_locked")

    def listen_logind(self, bus: object | None = None) -> bool:
        """Connect to logind's signals on the system bus (or ``bus``, a ``QDBusConnection``: tests);
        ``False`` when there is none (or no QtDBus)."""
        try:
            from PySide6.QtCore import SLOT
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return False
        bus = bus if bus is not None else QDBusConnection.systemBus()
        if not bus.isConnected():
            return False
        sleep = bus.connect(
            LOGIND, LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep", self, SLOT("prepare_for_sleep(bool)")
        )
        own = _own_session_path(bus)
        lock = bus.connect(LOGIND, own, LOGIND_SESSION, "Lock", self, SLOT("session_lock()"))
        if sleep or lock:
            self.listening.append("logind")
        return bool(sleep or lock)

    # --- Windows -------------------------------------------------------------------

    def listen_windows(self, window_id: int) -> bool:
        """Install the message filter and ask Windows for session notifications to ``window_id`` (an HWND)."""
        if sys.platform != "win32":
            return False
        app = QCoreApplication.instance()
        if app is None:
            return False
        self._filter = WindowsMessageFilter(self.system_locked)
        app.installNativeEventFilter(self._filter)
        try:
            wtsapi32 = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined]
            if not wtsapi32.WTSRegisterSessionNotification(
                ctypes.c_void_p(window_id), NOTIFY_FOR_THIS_SESSION
            ):
                log.warning("WTSRegisterSessionNotification failed; only sleep locks the session")
        except OSError as exc:
            log.warning("no session notifications: %s", exc)
        self.listening.append("windows")
        return True

    def listen(self, window: QWidget) -> list[str]:
        """Listen in whatever way this system offers (``window``: the main window); returns what is connected."""
        if sys.platform == "win32":
            self.listen_windows(int(window.winId()))
        else:
            self.listen_logind()
        return self.listening
