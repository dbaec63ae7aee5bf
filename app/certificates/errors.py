"""Exceptions of the certificate stack that callers catch without loading it (reportlab loads on first render)."""

from __future__ import annotations


class ExportCancelled(Exception):
    """The user cancelled a batch export; no output file was written."""
