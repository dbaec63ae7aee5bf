"""The household page's need items: listed with their state, followed up and closed by hand with a reason."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.domain import needs as nd
from app.domain.localtime import china_today
from app.services.registry import RegistryService
from app.store.models import NeedItem
from app.ui.labels import ENUM_LABELS
from app.ui.registry.need_items_panel import NeedItemDialog
from tests.helpers.profiles import household_data, person_data
from tests.services.test_certificates_service import an_id
from tests.ui.helpers import open_household

SHOTS = os.environ.get("HOMEVISIT_SHOTS", "")  # a folder: write screenshots there (1366×768)


def _family(ctx) -> tuple[str, str]:
    registry = RegistryService(ctx.store)
    h = registry.save_household("zhangli", household_data(head_name="李需求", address="需求路8号"))
    number = an_id()
    p = registry.save_person(
        "zhangli", h.id, person_data(name="李需求", id_number=number, cert_number=number + "42")
    )
    today = china_today()
    with ctx.store.unit_of_work("zhangli") as uow:
        base = dict(household_id=h.id, person_id=p.id, region_code=h.region_code)
        uow.add(NeedItem(**base, need_type="device", detail="普通轮椅", opened_on=str(today - timedelta(days=90)),
                         due_on=str(today - timedelta(days=30))))  # fmt: skip
        uow.add(NeedItem(**base, need_type="rehabilitation", detail="肢体功能训练", status="referred",
                         referral_to="县残疾人康复中心", opened_on=str(today), due_on=str(today + timedelta(days=30))))  # fmt: skip
        uow.add(NeedItem(**base, need_type="lighting", status="closed", opened_on="2026-03-01", due_on="2026-06-01",
                         closed_on="2026-05-20", closed_kind="acceptance"))  # fmt: skip
    return h.id, p.id


def _panel(qtbot, main_window, household_id, person_id):
    open_household(qtbot, main_window, household_id, person_id)
    panel = main_window.household_page.need_items
    qtbot.waitUntil(lambda: panel.household_id == household_id and len(panel.items) == 3)
    return panel


def test_need_labels_are_translatable():
    for enum in (nd.NeedType, nd.NeedStatus, nd.NeedClosedKind):
        assert all(m.label in ENUM_LABELS for m in enum)


def test_the_household_page_lists_need_items_and_closes_one_by_hand_with_a_reason(qtbot, ctx, main_window):
    household_id, person_id = _family(ctx)
    panel = _panel(qtbot, main_window, household_id, person_id)
    table = panel.table
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    assert set(rows) == {"辅助器具", "康复服务", "照明线路改造"}
    device = rows["辅助器具"]
    assert table.item(device, 4).text() == "待办" and table.item(device, 6).text().endswith("（逾期）")
    assert table.item(rows["照明线路改造"], 7).text() == "2026-05-20 改造项目验收"
    assert panel.summary.text() == "共 3 项，未办结 2 项，逾期 1 项"
    if SHOTS:
        main_window.resize(1366, 768)
        qtbot.wait(50)
        main_window.grab().save(os.path.join(SHOTS, "need_items_zh.png"))

    table.selectRow(device)
    panel.follow_up()
    dialog = panel.dialog
    assert isinstance(dialog, NeedItemDialog)
    assert [dialog.status.itemData(i) for i in range(dialog.status.count())] == [
        "pending",
        "referred",
        "in_progress",
        "closed",
        "unable",
    ]
    dialog.status.setCurrentIndex(dialog.status.findData("closed"))
    dialog.referral.setText("市辅助器具服务中心")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible() and "必须填写原因" in dialog.error.text()  # refused, nothing saved
    if SHOTS:
        dialog.grab().save(os.path.join(SHOTS, "need_dialog_zh.png"))
    with ctx.store.session() as s:
        assert s.get(NeedItem, panel.items[device].id).status == "pending"
    dialog.reason.setPlainText("轮椅已于上门时交付")
    ok.click()
    qtbot.waitUntil(lambda: any(i.need_type == "device" and i.status == "closed" for i in panel.items))
    ctx.tasks.wait()
    (item,) = [i for i in panel.items if i.need_type == "device"]
    assert (item.closed_kind, item.close_reason, item.referral_to) == (
        "manual",
        "轮椅已于上门时交付",
        "市辅助器具服务中心",
    )
    assert item.closed_on == china_today().isoformat()
    assert panel.summary.text() == "共 3 项，未办结 1 项，逾期 0 项"


def test_a_closed_item_opens_read_only(qtbot, ctx, main_window):
    household_id, person_id = _family(ctx)
    panel = _panel(qtbot, main_window, household_id, person_id)
    closed = next(r for r, i in enumerate(panel.items) if i.status == "closed")
    panel.table.selectRow(closed)
    panel.follow_up()
    dialog = panel.dialog
    assert not dialog.status.isEnabled()
    assert not dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).isEnabled()


@pytest.fixture
def english(qapp):
    from app.ui.i18n import install_translators

    translators = install_translators(qapp, "en")
    yield translators
    for translator in translators:
        QApplication.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese))


def test_the_need_items_box_in_english(qtbot, ctx, english):
    from app.ui.main import build_main_window

    household_id, person_id = _family(ctx)
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    panel = _panel(qtbot, window, household_id, person_id)
    assert panel.title() == "Need items"
    types = {panel.table.item(r, 1).text() for r in range(panel.table.rowCount())}
    assert types == {"Assistive device", "Rehabilitation", "Lighting and wiring"}
    assert panel.summary.text() == "3 in all, 2 open, 1 overdue"
    if SHOTS:
        window.resize(1366, 768)
        qtbot.wait(50)
        window.grab().save(os.path.join(SHOTS, "need_items_en.png"))
        panel.table.selectRow(0)
        panel.follow_up()
        panel.dialog.grab().save(os.path.join(SHOTS, "need_dialog_en.png"))
