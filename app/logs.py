"""Where the program's log goes: a rotating file in the profile's ``logs`` folder, not the terminal.

The terminal shows warnings and errors only; INFO lines (migrations, received forms,
refused saves) go to ``<profile>/logs/homevisit.log`` (1 MB, five old files kept).
The file never holds personal data, so an encrypted profile's log leaks nothing its
database keeps secret: every line passes ``redact`` — runs of six or more digits (ID,
phone and certificate numbers) and quoted Chinese text (names, addresses) are masked,
tracebacks included.
"""

from __future__ import annotations

import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "homevisit.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9]{6,}[0-9Xx]*")
_QUOTED = re.compile(
    r"(“[^”]*[\u3400-\u9fff][^”]*”|\"[^\"]*[\u3400-\u9fff][^\"]*\"|'[^']*[\u3400-\u9fff][^']*')"
)
_MARK = "_homevisit_handler"


def redact(text: str) -> str:
    """``text`` with number runs and quoted Chinese text masked."""
    text = _DIGITS.sub(lambda m: m[0][:2] + "…", text)
    return _QUOTED.sub(lambda m: m[0][0] + "…" + m[0][-1], text)


class RedactingFormatter(logging.Formatter):
    """The usual line format, passed through ``redact`` (message and traceback alike)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _replace(handler: logging.Handler, kind: str) -> None:
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, None) == kind]:
        root.removeHandler(old)
        old.close()
    setattr(handler, _MARK, kind)
    root.addHandler(handler)


def configure_console(level: int = logging.WARNING) -> None:
    """Warnings and errors on stderr; INFO is kept for the log file (``configure_file``)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(RedactingFormatter(FORMAT))
    _replace(handler, "console")
    # The embedded demo server's per-request lines would drown the app's own log.
    logging.getLogger("homevisit.server").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def log_path(home: Path) -> Path:
    return home / LOG_DIR / LOG_FILE


def configure_file(home: Path) -> Path:
    """Send INFO and above to the profile's rotating log file; returns its path."""
    path = log_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(RedactingFormatter(FORMAT))
    _replace(handler, "file")
    logging.getLogger().setLevel(logging.INFO)
    return path
