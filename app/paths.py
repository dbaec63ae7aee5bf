"""Where a profile's data lives: ``HOMEVISIT_HOME`` or the platform's user data folder.

Never next to the program, so reinstalling or upgrading keeps every record
(``%LOCALAPPDATA%\\HomeVisit`` on Windows).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs


def default_home() -> Path:
    if env := os.environ.get("HOMEVISIT_HOME"):
        return Path(env)
    return Path(platformdirs.user_data_dir("HomeVisit", appauthor=False, roaming=False))


def resources_dir() -> Path:
    """The bundled resources folder (inside a PyInstaller bundle, or the source tree)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
