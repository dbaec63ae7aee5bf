"""``python -m bench startup``: process start to the main window shown (offscreen).

Each run is a fresh Python process that imports the app, opens a seeded
profile, builds the main window and shows it; the child reports the moment
the window is exposed and the parent measures from just before it spawned it.
The child also reports its CPU time (user + system) at that moment:
``startup_cpu_ms``, the figure to compare when the machine is loaded.
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
import resource, sys, time
from PySide6.QtCore import QTimer
from app.ui.main import make_application, open_context, build_main_window
from app.services.auth import AuthService
app = make_application('zh_CN')
ctx = open_context(__import__('pathlib').Path(sys.argv[1]))
ctx.user = AuthService(ctx.store).get_user('bench')
window = build_main_window(ctx)
window.show()
def shown():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(time.time(), ru.ru_utime + ru.ru_stime, flush=True)
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
        samples, cpu = [], []
        for _ in range(RUNS):
            start = time.time()
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(home)], capture_output=True, text=True, env=env, check=True
            )
            shown_at, cpu_s = out.stdout.strip().splitlines()[-1].split()
            samples.append((float(shown_at) - start) * 1000)
            cpu.append(float(cpu_s) * 1000)
        print("runs (ms):", ", ".join(f"{s:.0f}" for s in samples), file=sys.stderr)
        report("startup", "startup_ms", statistics.median(samples), n=RUNS, max_ms=round(max(samples), 1))
        # The child's own CPU time (user + system) to the window shown: what to compare on a loaded machine.
        report("startup", "startup_cpu_ms", statistics.median(cpu), n=RUNS)
