"""Form engine timings: load+start the largest form with prefill, and one set_answer (p95)."""

from __future__ import annotations

import time

from app.forms import definition
from app.forms.engine import FormSession
from bench import percentile, report

CONTEXT = {
    "name": "王芳",
    "gender": "F",
    "age": 40,
    "category": "4",
    "level": "1",
    "economic_status": "dibao",
    "household_head": "王建国",
    "worker_name": "李专委",
    "visit_date": "2026-10-30",
    "address": "柯城区",
}


def main() -> None:
    opens = []
    for _ in range(20):
        definition._cache.clear()
        t0 = time.perf_counter()
        forms = definition.load_all_forms()
        largest = max(forms.values(), key=lambda f: len(f.questions))
        session = FormSession.start(largest, CONTEXT)
        session.errors()
        opens.append((time.perf_counter() - t0) * 1000)
    report("forms_engine", "open_cold_p95_ms", percentile(opens, 95), len(opens), form=largest.id)

    # A housing survey with 7 rooms, the biggest realistic response.
    session = FormSession.start(largest, CONTEXT)
    rooms = ["entrance", "living", "toilet", "kitchen", "bedroom", "balcony", "electrical"]
    keys = []
    for room in rooms:
        entry = session.add_repeat_entry("rooms")
        session.set_answer(f"rooms[{entry}].room_type", room)
        if room != "electrical":
            keys.append(f"rooms[{entry}].door_width_mm")
    t0 = time.perf_counter()
    FormSession(largest, session.answers, CONTEXT)
    report("forms_engine", "reopen_7_rooms_ms", (time.perf_counter() - t0) * 1000, 1)
    sets, validations = [], []
    for i in range(500):
        t0 = time.perf_counter()
        session.set_answer(keys[i % len(keys)], 700 + i)
        sets.append((time.perf_counter() - t0) * 1000)
        if i % 10 == 0:
            t0 = time.perf_counter()
            session.errors()
            session.warnings()
            validations.append((time.perf_counter() - t0) * 1000)
    report("forms_engine", "set_answer_p95_ms", percentile(sets, 95), len(sets))
    report("forms_engine", "errors_and_warnings_p95_ms", percentile(validations, 95), len(validations))


if __name__ == "__main__":
    main()
