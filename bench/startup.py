"""``python -m bench startup``: process start to the main window shown (offscreen).

Each run is a fresh Python process that imports the app, opens a seeded
profile, builds the main window and shows it; the child reports the moment
the window is exposed and the parent measures from just before it spawned it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.services.auth import AuthService
from app.services.seed import seed_store
from app.store.store import Store
from bench import report

RUNS = 7
CHILD = """
import sys, time
from PySide6.QtCore import QTimer
from app.ui.main import make_application, open_context, build_main_window
from app.services.auth import AuthService
app = make_application('zh_CN')
ctx = open_context(__import__('pathlib').Path(sys.argv[1]))
ctx.user = AuthService(ctx.store).get_user('bench')
window = build_main_window(ctx)
window.show()
def shown():
    print(time.time(), flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        store = Store(home)
        seed_store(store, 5000, seed=1)
        AuthService(store).create_user("bench", "bench123")
        store.close()
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        samples = []
        for _ in range(RUNS):
            start = time.time()
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(home)], capture_output=True, text=True, env=env, check=True
            )
            samples.append((float(out.stdout.strip().splitlines()[-1]) - start) * 1000)
        print("runs (ms):", ", ".join(f"{s:.0f}" for s in samples), file=sys.stderr)
        report("startup", "startup_ms", statistics.median(samples), n=RUNS, max_ms=round(max(samples), 1))
