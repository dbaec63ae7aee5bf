"""Ask for a reason that may not be empty (discarding a visit or refused changes is recorded with it)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget


def ask_required_reason(parent: QWidget, title: str, prompt: str, retry_prompt: str) -> str:
    """The stripped reason the user typed; "" when cancelled. An empty answer asks again with ``retry_prompt``.

    Callers pass translated texts, so each keeps its own wording and translation context.
    """
    while True:
        text, ok = QInputDialog.getMultiLineText(parent, title, prompt)
        if not ok:
            return ""
        if text.strip():
            return text.strip()
        prompt = retry_prompt
