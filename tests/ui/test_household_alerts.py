"""Issue 15 finding 3: the household page shows the alerts of the person on screen, and fresh ones.

Open 李哲 (一级, no care subsidy), go back, open 张卫国 (三级): the alert box
must not keep 李哲's "一、二级残疾人未享受护理补贴". After a saved change the
box shows the new state without a restart.
"""

from __future__ import annotations

from app.domain.ids import id_check_char
from app.services.registry import RegistryService
from tests.helpers.profiles import household_data, person_data
from tests.ui.helpers import open_household

CARE_ALERT = "一、二级残疾人未享受护理补贴"


def an_id(serial: int) -> str:
    first17 = f"33080219800101{serial:03d}"
    return first17 + id_check_char(first17)


def _family(ctx, head: str, level: str, serial: int) -> tuple[str, str]:
    registry = RegistryService(ctx.store)
    h = registry.save_household("zhangli", household_data(head_name=head, economic_status="general"))
    number = an_id(serial)
    p = registry.save_person(
        "zhangli",
        h.id,
        person_data(name=head, id_number=number, cert_number=number + "4" + level, level=level),
    )
    return h.id, p.id


def _alerts_text(qtbot, main_window) -> str:
    main_window.ctx.tasks.wait()
    qtbot.wait(30)
    box = main_window.visits_feature.alerts_box
    return box.text.text() if box.isVisibleTo(main_window) else ""


def test_alert_box_follows_the_person_on_screen(qtbot, ctx, main_window):
    li = _family(ctx, "李哲", "1", 11)
    zhang = _family(ctx, "张卫国", "3", 13)

    open_household(qtbot, main_window, *li)
    qtbot.waitUntil(lambda: CARE_ALERT in _alerts_text(qtbot, main_window))
    main_window.household_page.back.emit()
    open_household(qtbot, main_window, *zhang)
    assert CARE_ALERT not in _alerts_text(qtbot, main_window)


def test_alert_box_is_refreshed_after_a_saved_change(qtbot, ctx, main_window):
    household_id, person_id = _family(ctx, "李哲", "1", 11)
    open_household(qtbot, main_window, household_id, person_id)
    qtbot.waitUntil(lambda: CARE_ALERT in _alerts_text(qtbot, main_window))

    registry = RegistryService(ctx.store)
    person = registry.get_person("zhangli", person_id)
    data = person_data(
        name=person.name, id_number=person.id_number, cert_number=person.cert_number, level="1"
    )
    registry.save_person("zhangli", household_id, {**data, "has_care_subsidy": True}, person_id)
    ctx.events.visits_changed.emit()  # what a completed visit (or a pull) announces
    qtbot.waitUntil(lambda: CARE_ALERT not in _alerts_text(qtbot, main_window))


def test_visit_history_names_the_worker_not_the_login(qtbot, ctx, main_window):
    """Issue 15 finding 9: 专职委员 shows 张丽, not zhangli."""
    from app.services.visits import VisitService

    household_id, person_id = _family(ctx, "李哲", "1", 11)
    VisitService(ctx.store).start_visit("zhangli", household_id, person_id, ["needs_assessment"])
    open_household(qtbot, main_window, household_id, person_id)
    visits = main_window.household_page.visits
    assert visits.rowCount() == 1 and visits.item(0, 2).text() == "张丽"
