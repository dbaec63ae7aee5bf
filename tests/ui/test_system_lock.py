"""The app locks when the system locks the session or goes to sleep (Windows messages, logind signals)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtDBus import QDBusConnection, QDBusMessage

from app.ui.lock_screen import LockCover, UnlockScreen
from app.ui.system_lock import (
    LOGIND,
    LOGIND_MANAGER,
    LOGIND_PATH,
    LOGIND_SESSION,
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    SystemLockWatcher,
    WindowsMessageFilter,
    _Msg,
    lock_reason,
)


@pytest.mark.parametrize(
    ("message", "wparam", "reason"),
    [
        (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, "session_locked"),
        (WM_WTSSESSION_CHANGE, 0x8, None),  # WTS_SESSION_UNLOCK
        (WM_POWERBROADCAST, PBT_APMSUSPEND, "sleep"),
        (WM_POWERBROADCAST, 0x12, None),  # PBT_APMRESUMEAUTOMATIC
        (0x0201, WTS_SESSION_LOCK, None),  # a mouse click that happens to carry 7
    ],
)
def test_which_windows_messages_lock(message, wparam, reason):
    assert lock_reason(message, wparam) == reason


def test_the_native_filter_reads_a_windows_msg():
    seen: list[str] = []
    native = WindowsMessageFilter(seen.append)
    msg = _Msg(None, WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, 0)
    assert native.nativeEventFilter(QByteArray(b"windows_generic_MSG"), ctypes.addressof(msg)) == (False, 0)
    other = _Msg(None, WM_POWERBROADCAST, 0x12, 0)
    native.nativeEventFilter(QByteArray(b"windows_generic_MSG"), ctypes.addressof(other))
    native.nativeEventFilter(QByteArray(b"xcb_generic_event_t"), 0)  # other platforms' events: ignored
    assert seen == ["session_locked"]


def test_logind_sleep_and_lock_signals_lock_the_session(qtbot, main_window):
    watcher: SystemLockWatcher = main_window.system_lock
    lock = main_window.session_lock
    watcher.prepare_for_sleep(False)  # waking up: nothing to do
    assert not lock.locked
    with qtbot.wait_signal(watcher.locked_by_system) as got:
        watcher.prepare_for_sleep(True)
    assert got.args == ["sleep"] and lock.locked and isinstance(lock.screen, UnlockScreen)
    assert main_window.findChild(LockCover) is not None
    lock._unlocked()
    with qtbot.wait_signal(watcher.locked_by_system) as got:
        watcher.session_lock()
    assert got.args == ["session_locked"] and lock.locked
    lock._unlocked()


def test_without_a_system_bus_nothing_is_connected(qtbot):
    watcher = SystemLockWatcher(lambda: None)
    assert watcher.listen_windows(0) is False  # not Windows
    assert isinstance(watcher.listen_logind(), bool)  # this machine has no system bus: False, no error


@pytest.fixture
def private_bus():
    """A D-Bus daemon of our own (no system bus here), and a connection that plays logind on it."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    proc = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        address = proc.stdout.readline().strip()
        listener = QDBusConnection.connectToBus(address, f"listener-{proc.pid}")
        logind = QDBusConnection.connectToBus(address, f"logind-{proc.pid}")
        assert logind.registerService(LOGIND)
        yield listener, logind
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _signal(bus, path: str, interface: str, name: str, *args) -> None:
    message = QDBusMessage.createSignal(path, interface, name)
    message.setArguments(list(args))
    assert bus.send(message)


def test_logind_signals_over_a_real_bus_lock_the_session(qtbot, private_bus):
    listener, logind = private_bus
    reasons: list[str] = []
    watcher = SystemLockWatcher(lambda: None)
    watcher.locked_by_system.connect(reasons.append)
    assert watcher.listen_logind(listener) and watcher.listening == ["logind"]
    _signal(logind, LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep", False)  # waking: nothing
    _signal(logind, LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep", True)
    qtbot.waitUntil(lambda: reasons == ["sleep"], timeout=5000)
    _signal(logind, "/org/freedesktop/login1/session/_32", LOGIND_SESSION, "Lock")
    qtbot.waitUntil(lambda: reasons == ["sleep", "session_locked"], timeout=5000)
