"""Console uploads (issue 18): a roster checked then imported, a form version published.

Real files: rosters from ``app.domain.roster.sample`` with planted errors, the shipped
assistive-device form exported to XLSForm, changed and imported back by the laptop's
command (``tests/server/test_forms_publish.py``).
"""

from __future__ import annotations

import json
import re
import shutil

from sqlmodel import Session, select

from app.domain.roster.sample import sample_rows, write_sample
from app.forms.definition import FORMS_DIR
from app.store.store import Store
from app.sync.client import SyncClient
from server.core.config import Settings
from server.models import AuditLog, Record
from tests.helpers.live_server import start_server
from tests.server.console.conftest import PASSWORD, sign_in, submit
from tests.server.test_forms_publish import NEW, _new_version


def _persons(console) -> int:
    with Session(console.engine) as s:
        return len(s.exec(select(Record).where(Record.tbl == "person")).all())


def test_roster_checked_then_only_the_clean_rows_imported(console, page, tmp_path, shots):
    console.create_user("chen", PASSWORD, role="supervisor", regions=("330802",))
    rows = sample_rows(6, seed=11, regions=["330802"])
    rows[0][2] = rows[0][2][:17] + ("0" if rows[0][2][17] != "0" else "1")  # bad check digit: row 2
    rows[2][2] = rows[1][2]  # the same ID number twice in the file: row 4
    path = write_sample(tmp_path / "花名册.xlsx", rows)
    sign_in(page, console, "chen")
    page.goto(f"{console.url}/console/uploads")
    page.set_input_files("#roster-form input[type=file]", str(path))
    submit(page, "#roster-form button[type=submit]")
    bad = {
        int(r)
        for r in page.locator("#roster-errors tbody tr").evaluate_all("rs => rs.map(r => r.dataset.row)")
    }
    assert {2, 4} <= bad
    reasons = page.locator("#roster-errors").inner_text()
    assert "校验" in reasons or "身份证" in reasons
    assert int(page.locator("#rows").inner_text()) == len(rows)
    clean = int(page.locator("#new-persons").inner_text())
    assert 0 < clean < len(rows)
    assert _persons(console) == 0  # a check writes nothing
    assert rows[0][2] not in reasons and "*" in page.locator("#roster-errors tr[data-row='2']").inner_text()
    page.screenshot(path=str(shots / "uploads-roster-check-zh.png"), full_page=True)
    submit(page, "#roster-confirm button")
    assert int(page.locator("#imported").inner_text()) == clean
    assert _persons(console) == clean
    page.screenshot(path=str(shots / "uploads-roster-imported-zh.png"))
    with Session(console.engine) as s:
        (event,) = s.exec(select(AuditLog).where(AuditLog.action == "console_import_roster")).all()
    assert event.actor == "chen" and event.detail["imported"] == clean and event.target == "花名册.xlsx"
    # The same file again: nothing new to import.
    page.goto(f"{console.url}/console/uploads?lang=en")
    page.set_input_files("#roster-form input[type=file]", str(path))
    submit(page, "#roster-form button[type=submit]")
    assert int(page.locator("#new-persons").inner_text()) == 0
    assert int(page.locator("#already").inner_text()) == clean
    assert page.locator("#roster-confirm").count() == 0
    page.screenshot(path=str(shots / "uploads-roster-again-en.png"), full_page=True)
    assert _persons(console) == clean


def test_uploads_refuse_workers_other_regions_big_files_and_forged_forms(console, page, tmp_path):
    console.create_user("chen", PASSWORD, role="supervisor", regions=("330802",))
    console.create_user("zhang", PASSWORD, role="worker", regions=("330802",))
    path = write_sample(tmp_path / "r.csv", sample_rows(2, seed=3, regions=["330802"]), encoding="gbk")
    sign_in(page, console, "zhang")
    assert page.goto(f"{console.url}/console/uploads").status == 403
    submit(page, "text=退出")
    sign_in(page, console, "chen")
    page.goto(f"{console.url}/console/uploads")
    page.fill("#roster-form input[name=region]", "330803")  # not chen's
    page.set_input_files("#roster-form input[type=file]", str(path))
    submit(page, "#roster-form button[type=submit]")
    assert "不在您的范围内" in page.locator("main").inner_text()
    page.goto(f"{console.url}/console/uploads")
    big = {"name": "big.csv", "mimeType": "text/csv", "buffer": b"x" * (10 * 1024 * 1024 + 1)}
    page.set_input_files("#roster-form input[type=file]", big)
    submit(page, "#roster-form button[type=submit]")
    assert "超过 10 MB" in page.locator("main").inner_text()
    # A form sent without the session's CSRF token is refused and nothing is read.
    answer = page.request.post(
        f"{console.url}/console/uploads/roster",
        multipart={
            "file": {"name": "r.csv", "mimeType": "text/csv", "buffer": path.read_bytes()},
            "region": "330802",
            "csrf": "forged",
        },
    )
    assert answer.status == 403
    # A confirmation token that is not the user's own.
    page.goto(f"{console.url}/console/uploads")
    answer = page.request.post(
        f"{console.url}/console/uploads/roster/confirm",
        form={"token": "A" * 32, "csrf": page.locator("#roster-form input[name=csrf]").input_value()},
    )
    assert answer.status == 403 and _persons(console) == 0


def _refused_workbook() -> bytes:
    """An XLSForm with a nested repeat, a missing choice list and a bad version."""
    from tests.forms.test_xlsform import HEAD, _workbook

    survey = [
        HEAD,
        ["begin_group", "g", "组"],
        ["begin_repeat", "r", "重复"],
        ["begin_repeat", "r2", "内层"],
        ["end_repeat"],
        ["end_repeat"],
        ["select_one nowhere", "s", "选"],
        ["end_group"],
    ]
    settings = {"form_id": "x_form", "form_title": "表", "version": "2024a"}
    return _workbook(survey, [["list_name", "name", "label"]], settings)


def test_a_form_version_published_from_the_console_reaches_a_laptop(page, tmp_path, shots):
    forms_dir = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms_dir)
    form = _new_version(tmp_path)
    live = start_server(Settings(data_dir=tmp_path / "live", forms_dir=forms_dir, log_json=False))
    try:
        live.create_user("boss", PASSWORD, role="admin", regions=("3308",))
        live.create_user("alice", PASSWORD, role="worker", regions=("330802",))
        sign_in(page, live, "boss")
        page.goto(f"{live.url}/console/uploads")
        # A designer's workbook with mistakes: every one listed with its sheet, row and why.
        bad = tmp_path / "错误的表单.xlsx"
        bad.write_bytes(_refused_workbook())
        page.set_input_files("#form-form input[type=file]", str(bad))
        submit(page, "#form-form button[type=submit]")
        problems = [
            [c.inner_text() for c in row.locator("td").all()]
            for row in page.locator("#form-problems tbody tr").all()
        ]
        assert f"{len(problems)} 处问题" in page.locator("#form-result").inner_text()
        assert ["survey", "4", "不支持嵌套的 repeat"] in problems, problems
        assert ["survey", "7", "选项列表“nowhere”在 choices 表中不存在"] in problems, problems
        assert any(p[0] == "settings" and p[1] == "2" and "version" in p[2] for p in problems), problems
        page.screenshot(path=str(shots / "uploads-xlsform-refused-zh.png"), full_page=True)
        page.goto(f"{live.url}/console/uploads?lang=en")
        page.set_input_files("#form-form input[type=file]", str(bad))
        submit(page, "#form-form button[type=submit]")
        assert f"{len(problems)} problem(s)" in page.locator("#form-result").inner_text()
        assert page.locator("#form-problems th").all_inner_texts() == ["Sheet", "Row", "Reason"]
        # The reasons too, worded per language from their codes (app.contract.forms.xlsform.REASONS_EN).
        english = [
            [c.inner_text() for c in row.locator("td").all()]
            for row in page.locator("#form-problems tbody tr").all()
        ]
        assert ["survey", "4", "Repeats cannot be nested"] in english, english
        assert ["survey", "7", "The choice list “nowhere” is not on the choices sheet"] in english, english
        assert ["settings", "2", "version must be a whole number (such as 3), not “2024a”"] in english, (
            english
        )
        assert not [r for r in english if re.search(r"[\u4e00-\u9fff]", r[2])], english
        page.screenshot(path=str(shots / "uploads-xlsform-refused-en.png"), full_page=True)
        page.goto(f"{live.url}/console/uploads?lang=zh")
        assert not (forms_dir / f"assistive_devices.v{NEW}.json").exists()
        # A published version with other content is refused, with the reason.
        changed = {**form, "version": NEW - 1, "title": "改过的旧版本"}
        old = tmp_path / "old.json"
        old.write_text(json.dumps(changed, ensure_ascii=False), "utf-8")
        page.set_input_files("#form-form input[type=file]", str(old))
        submit(page, "#form-form button[type=submit]")
        assert "已发布且内容不同" in page.locator("#form-result").inner_text()
        page.goto(f"{live.url}/console/uploads?lang=en")
        page.set_input_files("#form-form input[type=file]", str(old))
        submit(page, "#form-form button[type=submit]")
        assert "is published with other content" in page.locator("#form-result").inner_text()
        page.goto(f"{live.url}/console/uploads?lang=zh")
        # The designer's workbook itself is converted and checked on the server, and published.
        page.set_input_files("#form-form input[type=file]", str(tmp_path / "ad.xlsx"))
        submit(page, "#form-form button[type=submit]")
        assert page.locator("#form-result").inner_text().startswith("已发布")
        assert page.locator("#form-problems").count() == 0
        page.screenshot(path=str(shots / "uploads-form-published-zh.png"))
        # The laptop's `forms import` of the same workbook is the very same version (one converter).
        new = tmp_path / f"assistive_devices.v{NEW}.json"
        new.write_text(json.dumps(form, ensure_ascii=False), "utf-8")
        page.set_input_files("#form-form input[type=file]", str(new))
        submit(page, "#form-form button[type=submit]")
        assert "内容相同" in page.locator("#form-result").inner_text()
        assert json.loads((forms_dir / f"assistive_devices.v{NEW}.json").read_text("utf-8")) == form
        with Session(live.engine) as s:
            (event,) = s.exec(select(AuditLog).where(AuditLog.action == "publish_form")).all()
        assert event.actor == "boss" and event.target == f"assistive_devices v{NEW}"
        client = SyncClient(Store(tmp_path / "laptop"), live.url)
        client.login("alice", PASSWORD, device_name="a")
        served = client.transport.request("GET", "/forms").json()["forms"]
        assert any(f["id"] == "assistive_devices" and f["version"] == NEW for f in served)
        client.store.close()
    finally:
        live.stop()
