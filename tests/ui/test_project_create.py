"""The 新建改造项目 dialog: by hand with the cap tick, from a visit's needs, refusals, and plan edits."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox, QPushButton

from app.services.projects import PlanLine, ProjectFilters, ProjectService
from app.store.models import FormResponse, Visit
from app.store.search import search_persons
from app.ui.projects.project_dialog import ProjectDialog
from tests.ui.helpers import open_household


@pytest.fixture(autouse=True)
def messages(monkeypatch):
    """Message boxes would block the test: collect their texts instead."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(str(a[2])))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(str(a[2])))
    return shown


@pytest.fixture
def family(ctx):
    """(household id, person id) of the seeded 张三丰 family."""
    hit = search_persons(ctx.store.engine, "张三丰")[0]
    return hit.household_id, hit.person_id


@pytest.fixture
def screen(qtbot, ctx):
    from app.ui.projects.screen import ProjectsScreen

    widget = ProjectsScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def projects_of(ctx, household_id):
    return ProjectService(ctx.store).list_projects(ProjectFilters(household_id=household_id))


def save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def shown_error(dialog, name):
    label = dialog.findChild(QLabel, f"error_{name}")
    return label.text() if label.isVisibleTo(dialog) else ""


def choose_household(qtbot, dialog, text="张三丰"):
    dialog.search.setText(text)
    qtbot.waitUntil(
        lambda: dialog.hits.count() > 0 and bool(dialog.hits.item(0).data(Qt.ItemDataRole.UserRole))
    )
    dialog.hits.setCurrentRow(0)
    qtbot.waitUntil(lambda: dialog.household is not None)


def test_create_by_hand_warns_over_the_cap_and_needs_the_tick(qtbot, ctx, screen, family):
    dialog = screen.new_project()
    choose_household(qtbot, dialog)
    assert dialog.person.currentData() == family[1]
    dialog.kind.setCurrentIndex(dialog.kind.findData("accessibility"))
    dialog.plan.set_line("WZA-09", 4)  # wheelchairs, 4 800 元: within the 6 000 元 cap
    dialog.plan.set_line("WZA-01", 6, "400")  # ramp at a tender price: 2 400 元 more
    assert "7,200.00" in dialog.total.text()
    assert dialog.cap_warning.isVisibleTo(dialog) and "1,200.00" in dialog.cap_warning.text()
    assert dialog.over_cap.isVisibleTo(dialog) and not dialog.over_cap.isChecked()

    save(qtbot, dialog)
    assert "超出限额，确认申请" in shown_error(dialog, "items")
    assert projects_of(ctx, family[0]) == []

    dialog.over_cap.setChecked(True)
    dialog.contractor.setText("衢州安居装饰")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: screen.currentWidget() is screen.page and screen.page.data is not None)
    detail = ProjectService(ctx.store).detail(screen.page.project_id)
    assert detail.household.id == family[0] and detail.person.id == family[1]
    assert [(i.item.code, i.item.planned_qty, i.item.unit_price) for i in detail.items] == [
        ("WZA-01", Decimal(6), Decimal("400.00")),
        ("WZA-09", Decimal(4), Decimal("1200.00")),
    ]
    assert detail.totals.planned == Decimal("7200.00") and detail.project.contractor == "衢州安居装饰"
    assert any("超过每户上限" in w for w in detail.warnings)


def test_create_from_a_visits_needs_prefills_the_items(qtbot, ctx, main_window, family):
    household_id, person_id = family
    with ctx.store.unit_of_work("zhangli") as uow:
        visit = uow.add(
            Visit(household_id=household_id, person_id=person_id, worker="zhangli", region_code="330802")
        )
        uow.add(
            FormResponse(
                visit_id=visit.id,
                form_id="housing_condition",
                form_version=1,
                answers={"accessibility_items": ["WZA-03", "WZA-04"]},
                region_code="330802",
            )
        )
    open_household(qtbot, main_window, household_id, person_id)
    page, box = main_window.household_page, main_window.household_projects
    assert not box.from_visit_button.isEnabled()
    page.visits.selectRow(0)
    assert box.from_visit_button.isEnabled()
    qtbot.mouseClick(box.from_visit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.dialog is not None and box.dialog.isVisible())
    dialog = box.dialog
    assert dialog.source_visit_id == visit.id
    assert dialog.kind.currentData() == "accessibility"
    assert [dialog.plan.item(r, 0).text() for r in dialog.plan.ticked_rows()] == [
        "卫生间蹲便改坐便",
        "卫生间扶手",
    ]
    assert not dialog.over_cap.isVisibleTo(dialog)

    save(qtbot, dialog)
    qtbot.waitUntil(
        lambda: box.table.rowCount() == 1 and bool(box.table.item(0, 0).data(Qt.ItemDataRole.UserRole))
    )
    (row,) = projects_of(ctx, household_id)
    project = ProjectService(ctx.store).get(row.id)
    assert project.source_visit_id == visit.id and project.person_id == person_id
    assert box.table.item(0, 0).text() == "无障碍改造" and box.table.item(0, 2).text() == "1,180.00"

    box.table.selectRow(0)
    box.table.doubleClicked.emit(box.table.model().index(0, 0))
    screen = main_window.projects_screen
    qtbot.waitUntil(lambda: screen.currentWidget() is screen.page and screen.page.project_id == row.id)


def test_a_visit_without_needs_says_so(qtbot, ctx, main_window, family, messages):
    household_id, person_id = family
    with ctx.store.unit_of_work("zhangli") as uow:
        uow.add(Visit(household_id=household_id, person_id=person_id, worker="zhangli", region_code="330802"))
    open_household(qtbot, main_window, household_id, person_id)
    main_window.household_page.visits.selectRow(0)
    main_window.household_projects.project_from_visit()
    qtbot.waitUntil(lambda: bool(messages))
    assert "没有登记" in messages[0] and main_window.household_projects.dialog is None


@pytest.mark.parametrize(
    ("fill", "field", "message"),
    [
        ({"household": False}, "household", "请先查找并选择家庭"),
        ({"lines": []}, "items", "请至少勾选一项改造内容"),
        ({"lines": [("ZM-05", "三")]}, "items", "数量须为大于0的数字"),
        ({"lines": [("ZM-05", "0")]}, "items", "数量须为大于0的数字"),
        ({"lines": [("ZM-05", "2", "-5")]}, "items", "单价须为不小于0的数字"),
        ({"budget": "八百"}, "budget", "预算须为不小于0的金额"),
        ({"budget": "1200"}, "items", "超出限额，确认申请"),
    ],
)
def test_invalid_input_saves_nothing(qtbot, ctx, family, fill, field, message):
    registry = ctx.registry
    detail = registry.household_detail("zhangli", family[0]) if fill.get("household", True) else None
    dialog = ProjectDialog(ctx, household=detail)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind.setCurrentIndex(dialog.kind.findData("lighting"))
    for line in fill.get("lines", [("ZM-05", "6")]):
        dialog.plan.set_line(*line)
    dialog.budget.setText(fill.get("budget", ""))
    save(qtbot, dialog)
    assert message in shown_error(dialog, field)
    assert "未保存" in dialog.banner.text() and dialog.saved is None and dialog.result() == 0
    assert projects_of(ctx, family[0]) == []


def _lighting_project(ctx, family):
    return ProjectService(ctx.store).create_project(
        "zhangli",
        household_id=family[0],
        person_id=family[1],
        kind="lighting",
        lines=[PlanLine("ZM-01", 40), PlanLine("ZM-05", 6)],
        contractor="衢州安居装饰",
    )


def _open_page(qtbot, screen, project_id):
    screen.open_project(project_id)
    qtbot.waitUntil(lambda: screen.page.data is not None and screen.page.data.detail.project.id == project_id)
    return screen.page


def test_plan_edited_before_works_start(qtbot, ctx, screen, family):
    project = _lighting_project(ctx, family)
    page = _open_page(qtbot, screen, project.id)
    qtbot.mouseClick(page.findChild(QPushButton, "edit_plan"), Qt.MouseButton.LeftButton)
    dialog = page.plan_dialog
    assert dialog.windowTitle() == "修改改造方案" and not dialog.kind.isEnabled()
    assert [dialog.plan.item(r, 2).text() for r in dialog.plan.ticked_rows()] == ["40", "6"]
    assert dialog.contractor.text() == "衢州安居装饰"
    dialog.plan.set_line("ZM-05", 10)
    dialog.plan.set_line("ZM-03", 1)
    dialog.plan.item(dialog.plan.row_of("ZM-01"), 0).setCheckState(Qt.CheckState.Unchecked)
    dialog.budget.setText("")  # follows the new plan total
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: len(page.data.detail.items) == 2)
    detail = ProjectService(ctx.store).detail(project.id)
    assert [(i.item.code, i.item.planned_qty) for i in detail.items] == [("ZM-03", 1), ("ZM-05", 10)]
    assert detail.project.budget == 360.0


def test_plan_edit_refused_once_works_started(qtbot, ctx, screen, family):
    project = _lighting_project(ctx, family)
    page = _open_page(qtbot, screen, project.id)
    dialog = ProjectDialog.edit_plan(ctx, page.data.detail, page)  # opened before the status moved on
    qtbot.addWidget(dialog)
    dialog.show()
    service = ProjectService(ctx.store)
    for status in ("assessed", "surveyed", "planned", "construction"):
        service.advance("zhangli", project.id, status)
    dialog.plan.set_line("ZM-05", 12)
    dialog.contractor.setText("另一家公司")
    save(qtbot, dialog)
    assert "不能再修改改造方案" in dialog.banner.text() and dialog.result() == 0
    detail = service.detail(project.id)
    assert [(i.item.code, i.item.planned_qty) for i in detail.items] == [("ZM-01", 40), ("ZM-05", 6)]
    assert detail.project.contractor == "衢州安居装饰"

    ctx.events.projects_changed.emit()
    qtbot.waitUntil(lambda: page.data.detail.project.status == "construction")
    assert page.findChild(QPushButton, "edit_plan") is None
