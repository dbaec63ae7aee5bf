"""``homevisit-server publish-form``: a form imported from XLSForm is served by ``GET /forms``; versions never change."""

from __future__ import annotations

import json
import shutil

import pytest
from openpyxl import load_workbook

from app.cli import main as laptop_main
from app.forms.definition import FORMS_DIR, get_form, use_received_forms
from app.services.forms_sync import receive_forms, use_profile_forms
from app.services.sync import SyncService
from app.store.store import Store
from app.sync.client import SyncClient
from server.cli import main as server_main
from server.core.config import Settings
from tests.helpers.live_server import start_server

SHIPPED = get_form("assistive_devices").version  # the newest version the app ships
NEW = SHIPPED + 1


def _new_version(tmp_path) -> dict:
    """assistive_devices exported, one label changed, the next version, imported back to JSON on the laptop side."""
    xlsx = tmp_path / "ad.xlsx"
    assert laptop_main(["forms", "export", "--form", "assistive_devices", "--out", str(xlsx)]) == 0
    wb = load_workbook(xlsx)
    wb["survey"].cell(3, 3).value = "残疾人姓名"
    settings = wb["settings"]
    settings.cell(2, [c.value for c in settings[1]].index("version") + 1).value = str(NEW)
    wb.save(xlsx)
    out = tmp_path / "json"
    out.mkdir()
    assert laptop_main(["forms", "import", str(xlsx), "--out", str(out)]) == 0
    return json.loads((out / f"assistive_devices.v{NEW}.json").read_text("utf-8"))


def test_published_version_is_served_and_never_changed(tmp_path, capsys):
    forms_dir = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms_dir)
    form = _new_version(tmp_path)
    path = tmp_path / "v3.json"
    path.write_text(json.dumps(form, ensure_ascii=False), "utf-8")
    args = ["--data-dir", str(tmp_path / "srv"), "--forms-dir", str(forms_dir)]
    assert server_main(["publish-form", str(path), *args]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["new"] is True
    assert server_main(["publish-form", str(path), *args]) == 0  # the same again: nothing changes
    changed = {**form, "title": "改过的标题"}
    path.write_text(json.dumps(changed, ensure_ascii=False), "utf-8")
    capsys.readouterr()
    assert server_main(["publish-form", str(path), *args]) == 2
    assert "已发布" in capsys.readouterr().err
    older = {**form, "version": 2, "title": "旧版本号"}
    path.write_text(json.dumps(older, ensure_ascii=False), "utf-8")
    assert server_main(["publish-form", str(path), *args]) == 2

    live = start_server(Settings(data_dir=tmp_path / "live", forms_dir=forms_dir, log_json=False))
    try:
        live.create_user("alice", "secret123", role="worker", regions=("330802",))
        client = SyncClient(Store(tmp_path / "laptop"), live.url)
        client.login("alice", "secret123", device_name="a")
        served = client.transport.request("GET", "/forms").json()["forms"]
        v3 = next(f for f in served if f["id"] == "assistive_devices" and f["version"] == NEW)
        assert v3["definition"]["pages"][0]["questions"][0]["label"] == "残疾人姓名"
        client.store.close()
    finally:
        live.stop()


@pytest.fixture
def received_forms_reset():
    yield
    use_received_forms(None)


def test_a_published_version_reaches_a_laptop_at_sync(tmp_path, received_forms_reset):
    forms_dir = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms_dir)
    form = _new_version(tmp_path)
    path = tmp_path / "v3.json"
    path.write_text(json.dumps(form, ensure_ascii=False), "utf-8")
    assert (
        server_main(
            ["publish-form", str(path), "--data-dir", str(tmp_path / "srv"), "--forms-dir", str(forms_dir)]
        )
        == 0
    )
    live = start_server(Settings(data_dir=tmp_path / "live", forms_dir=forms_dir, log_json=False))
    store = Store(tmp_path / "laptop")
    try:
        live.create_user("alice", "secret123", role="worker", regions=("330802",))
        SyncClient(store, live.url).login("alice", "secret123", device_name="a")
        assert get_form("assistive_devices").version == SHIPPED  # before the sync
        report = SyncService(store).sync()
        assert not report.cancelled
        assert (store.home / "forms" / f"assistive_devices.v{NEW}.json").is_file()
        latest = get_form("assistive_devices")
        assert latest.version == NEW and latest.questions["name"].label == "残疾人姓名"
        assert (
            get_form("assistive_devices", SHIPPED).questions["name"].label != "残疾人姓名"
        )  # the shipped one stays as it was
        # A later sync receives nothing new; a reopened profile reads its received versions again.
        assert receive_forms(SyncClient(store)) == []
        use_received_forms(None)
        assert get_form("assistive_devices").version == SHIPPED
        use_profile_forms(store.home)
        assert get_form("assistive_devices").version == NEW
    finally:
        store.close()
        live.stop()


def _without_english(data: object) -> object:
    if isinstance(data, dict):
        return {
            k: _without_english(v) for k, v in data.items() if k not in ("hint_en", "constraint_message_en")
        }
    if isinstance(data, list):
        return [_without_english(v) for v in data]
    return data


def test_english_completed_under_a_published_version_reaches_server_and_laptop(
    tmp_path, received_forms_reset
):
    """A published version whose hints and messages gain English is still that version: the server takes the
    file in place of its copy, a laptop that received the old copy gets the English at its next sync, and
    any other change under that version is still refused."""
    from server.forms_publish import PublishRefused, publish_form

    forms_dir = tmp_path / "forms"
    forms_dir.mkdir()
    form = _new_version(tmp_path)  # NEW: not shipped, so the laptop keeps what it receives
    assert form["pages"][1]["questions"], "the devices page has questions"
    old = _without_english(form)
    assert old != form  # the form file carries English hints/messages to be completed
    path, new = publish_form(forms_dir, old)
    assert new
    live = start_server(Settings(data_dir=tmp_path / "live", forms_dir=forms_dir, log_json=False))
    store = Store(tmp_path / "laptop")
    try:
        live.create_user("alice", "secret123", role="worker", regions=("330802",))
        client = SyncClient(store, live.url)
        client.login("alice", "secret123", device_name="a")
        assert receive_forms(client) == [("assistive_devices", NEW)]
        quantity = get_form("assistive_devices", NEW).questions["quantity"]
        assert quantity.constraint_message and not quantity.constraint_message_en

        assert publish_form(forms_dir, form) == (path, False)  # English added: same version, file replaced
        assert json.loads(path.read_text("utf-8")) == form
        assert receive_forms(client) == [("assistive_devices", NEW)]
        quantity = get_form("assistive_devices", NEW).questions["quantity"]
        assert quantity.constraint_message_en == "Quantity must be from 1 to 10"
        assert receive_forms(client) == []  # nothing new the next time

        changed = json.loads(json.dumps(form))
        changed["pages"][0]["questions"][0]["label"] = "改过的标签"
        with pytest.raises(PublishRefused):
            publish_form(forms_dir, changed)
        assert json.loads(path.read_text("utf-8")) == form
    finally:
        store.close()
        live.stop()
