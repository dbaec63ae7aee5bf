"""``python -m bench scroll``: the registry list with ~50,000 persons, offscreen.

Measures the whole-list query in the worker (``list_query_ms``; the UI thread
does not wait for it), handing the rows to the model (``model_reset_ms``, on
the UI thread), and the longest single frame while scrolling from top to bottom
a page at a time (``scroll_max_frame_ms``; 16 ms is one frame at 60 Hz).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.store.search import search_persons
from app.store.store import Store
from app.ui.registry.person_table_model import PersonTableModel
from bench import percentile, report
from bench._profiles import seeded_copy
from bench.search import HOUSEHOLDS


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from PySide6.QtWidgets import QTableView

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(seeded_copy(HOUSEHOLDS, 42, Path(tmp)))
        t0 = time.perf_counter()
        rows = search_persons(store.engine, "", limit=None)
        query_ms = (time.perf_counter() - t0) * 1000
        model = PersonTableModel()
        view = QTableView()
        view.resize(1200, 700)
        view.setModel(model)
        view.show()
        app.processEvents()
        t0 = time.perf_counter()
        model.set_rows(rows)
        app.processEvents()
        reset_ms = (time.perf_counter() - t0) * 1000
        bar = view.verticalScrollBar()
        frames = []
        while bar.value() < bar.maximum():
            t = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            view.viewport().repaint()
            app.processEvents()
            frames.append((time.perf_counter() - t) * 1000)
        report("scroll", "list_query_ms", query_ms, n=len(rows))
        report("scroll", "model_reset_ms", reset_ms, n=len(rows))
        report("scroll", "scroll_p95_frame_ms", percentile(frames, 95), n=len(frames))
        report("scroll", "scroll_max_frame_ms", max(frames), n=len(frames))
        store.close()
