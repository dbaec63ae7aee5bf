"""Errors of a sync, each with the server's code and a message a caseworker can act on."""

from __future__ import annotations


class SyncError(ValueError):
    """A sync that could not finish; ``code`` is the server's error code (or a local one)."""

    def __init__(self, message: str, code: str = "sync_failed") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NetworkError(SyncError):
    """The server could not be reached (after retries)."""


class AuthRequired(SyncError):
    """No token, or the server refused it (expired, revoked): log in again."""


class ProtocolMismatch(SyncError):
    """The app and the server speak different protocol versions: upgrade the app."""


class ClockSkew(SyncError):
    """The server refused our clock; ``server_time`` is its time in milliseconds."""

    def __init__(self, message: str, server_time: int) -> None:
        super().__init__(message, "clock_skew")
        self.server_time = server_time


DEVICE_REVOKED = "device_revoked"


class DeviceRevoked(AuthRequired):
    """The server revoked this device (lost or stolen): the laptop must wipe its local data.

    Raised by the transport for the server's ``device_revoked`` code (login or any request);
    ``code`` is ``device_revoked``. It is an ``AuthRequired``, so code that only knows "log in
    again" still stops; the crypto layer catches this one to destroy the keys.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, DEVICE_REVOKED)
