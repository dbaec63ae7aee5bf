"""Visit forms through VisitService: open the largest form with prefill, and save one answer.

Figures: ``open_ms`` (p95: start a visit with the largest form on a seeded store
and open its response — service only), ``open_ui_ms`` (p95: the same plus
building the visit window and its first page offscreen), ``save_p95_ms`` (one
answer of the housing survey through ``VisitService.save_answer``: one transaction with the change
log, 200 saves) and ``save_with_calcs_p95_ms`` (answers inside a 7-room housing
survey, whose calculations are recomputed and written too).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench import percentile, report

HOUSEHOLDS = 2000
SURVEY = "housing_survey"


def main() -> None:
    from sqlmodel import select

    from app.forms.definition import load_all_forms
    from app.services.seed import seed_store
    from app.services.visits import VisitService
    from app.store.models import Person
    from app.store.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "profile")
        seed_store(store, HOUSEHOLDS, seed=7)
        service = VisitService(store)
        forms = load_all_forms()
        largest = max(forms.values(), key=lambda f: len(f.questions)).id
        with store.session() as s:
            persons = list(s.exec(select(Person).limit(40)))

        opens = []
        response_ids = []
        for person in persons[:20]:
            t0 = time.perf_counter()
            visit = service.start_visit("bench", person.household_id, person.id, [largest])
            response = service.responses(visit.id)[0]
            service.open_response(response.id)
            opens.append((time.perf_counter() - t0) * 1000)
            response_ids.append(response.id)
        report("forms", "open_ms", percentile(opens, 95), len(opens), form=largest, households=HOUSEHOLDS)

        ui_opens = _open_with_ui(store, service, persons[20:30], largest)
        if ui_opens:
            report("forms", "open_ui_ms", percentile(ui_opens, 95), len(ui_opens), form=largest)

        # Saves go to the room-by-room survey (its rooms repeat carries the ramp calculations).
        survey_ids = []
        for person in persons[30:32]:
            visit = service.start_visit("bench", person.household_id, person.id, [SURVEY])
            survey_ids.append(service.responses(visit.id)[0].id)
        rid = survey_ids[0]
        saves = []
        for i in range(200):
            t0 = time.perf_counter()
            service.save_answer("bench", rid, "living_floor", 1 + i % 30)
            saves.append((time.perf_counter() - t0) * 1000)
        report("forms", "save_p95_ms", percentile(saves, 95), len(saves))

        rid = survey_ids[1]
        keys = []
        for room in ("entrance", "living", "toilet", "kitchen", "bedroom", "balcony", "electrical"):
            entry = service.add_repeat_entry("bench", rid, "rooms").entry_id
            service.save_answer("bench", rid, f"rooms[{entry}].room_type", room)
            if room == "entrance":
                service.save_answer("bench", rid, f"rooms[{entry}].has_ramp", True)
                service.save_answer("bench", rid, f"rooms[{entry}].ramp_rise_mm", 300)
                keys.append(f"rooms[{entry}].ramp_length_mm")
        calc_saves = []
        for i in range(200):
            t0 = time.perf_counter()
            service.save_answer("bench", rid, keys[0], 2000 + i * 10)
            calc_saves.append((time.perf_counter() - t0) * 1000)
        report("forms", "save_with_calcs_p95_ms", percentile(calc_saves, 95), len(calc_saves))
        store.close()


def _open_with_ui(store: object, service: object, persons: list, form_id: str) -> list[float]:
    """Start + open + build the visit window offscreen; empty when Qt is unavailable."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication

        from app.services.settings import Settings
        from app.ui.context import AppContext
        from app.ui.tasks import TaskRunner
        from app.ui.visits.visit_window import VisitWindow, load_visit
    except ImportError:
        return []
    app = QApplication.instance() or QApplication([])
    TaskRunner.set_immediate(True)
    ctx = AppContext(store=store, settings=Settings.load(store.home), tasks=TaskRunner())  # type: ignore[attr-defined]
    out = []
    for person in persons:
        t0 = time.perf_counter()
        visit = service.start_visit("bench", person.household_id, person.id, [form_id])  # type: ignore[attr-defined]
        window = VisitWindow(ctx, service, load_visit(service, visit.id))  # type: ignore[arg-type]
        window.grab()  # layout and paint the first page
        out.append((time.perf_counter() - t0) * 1000)
        window.close()
        window.deleteLater()
        app.processEvents()
    return out


if __name__ == "__main__":
    main()
