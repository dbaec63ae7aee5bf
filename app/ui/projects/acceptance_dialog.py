"""On-site acceptance (现场验收): the checklist by group, measurements, quantities, opinion and signatures.

Every answer is saved as soon as it is given (in the database worker), so a
laptop that runs out of battery loses nothing. A measured value outside its
limits turns red at once and the check moves to 整改.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.acceptance import Check, InvalidMeasurement
from app.domain.enums import CheckResult
from app.domain.renovation import format_quantity
from app.services.acceptance import (
    SATISFACTION,
    SIGNERS,
    AcceptanceService,
    AcceptanceView,
    CheckState,
    parse_measurement,
)
from app.services.certificates import CertificateService
from app.services.projects import item_from_row
from app.ui import form_text, service_text
from app.ui.context import AppContext
from app.ui.labels import enum_label
from app.ui.projects.labels import project_title
from app.ui.widgets import photo_field
from app.ui.widgets.message_line import MessageLine
from app.ui.widgets.photo_field import PhotoField
from app.ui.widgets.signature_pad import SignaturePad

RED = "#c62828"
GREEN = "#2e7d32"
FLAGGED = f"border: 2px solid {RED}; background: #fdecea;"
RESULTS = (CheckResult.PASS, CheckResult.FAIL, CheckResult.RECTIFY, CheckResult.NOT_APPLICABLE)


class CheckRow:
    """The widgets of one check: result radios, measured value, note, photo button.

    A plain object has no ``tr()``: its texts go through
    ``QCoreApplication.translate("CheckRow", …)`` so lupdate files them where they are looked up.
    """

    def __init__(self, dialog: AcceptanceDialog, grid: QGridLayout, row: int, state: CheckState) -> None:
        self.dialog, self.check = dialog, state.check
        code = state.check.code
        name = QLabel(form_text.pick(state.check.name, state.check.name_en))
        name.setObjectName(f"name_{code}")
        name.setWordWrap(True)
        name.setToolTip(form_text.pick(state.check.method, state.check.method_en))
        name.setMinimumWidth(260)
        grid.addWidget(name, row, 0)
        self.value: QLineEdit | None = None
        # A measured check's message line is reserved, so a value out of its limit moves no row below.
        self.message = MessageLine(f"color: {RED}; font-size: 11px;")
        self.message.setVisible(state.check.limit is not None)
        if state.check.limit is not None:
            self.value = QLineEdit(state.value)
            self.value.setObjectName(f"value_{code}")
            self.value.setPlaceholderText(QCoreApplication.translate("CheckRow", "实测值"))
            self.value.setFixedWidth(90)
            limit = QLabel(service_text.translate(state.check.limit.describe()))
            limit.setObjectName(f"limit_{code}")
            limit.setStyleSheet("color: #555;")
            box = QHBoxLayout()
            box.addWidget(self.value)
            box.addWidget(limit)
            box.addStretch(1)
            holder = QWidget()
            holder.setLayout(box)
            box.setContentsMargins(0, 0, 0, 0)
            grid.addWidget(holder, row, 1)
            self.value.editingFinished.connect(self._value_done)
        self.group = QButtonGroup(dialog)
        radios = QHBoxLayout()
        radios.setContentsMargins(0, 0, 0, 0)
        for i, result in enumerate(RESULTS):
            radio = QRadioButton(enum_label(result))
            radio.setObjectName(f"{result.value}_{code}")
            self.group.addButton(radio, i)
            radios.addWidget(radio)
            if state.result is result:
                radio.setChecked(True)
        holder = QWidget()
        holder.setLayout(radios)
        grid.addWidget(holder, row, 2)
        self.note = QLineEdit(state.note)
        self.note.setObjectName(f"note_{code}")
        self.note.setPlaceholderText(QCoreApplication.translate("CheckRow", "备注"))
        self.note.editingFinished.connect(self._note_done)
        grid.addWidget(self.note, row, 3)
        self.photo = QPushButton()
        self.photo.setObjectName(f"photo_{code}")
        self.photo.clicked.connect(self._add_photo)
        self._photos = len(state.photos)
        self._show_photos()
        grid.addWidget(self.photo, row, 4)
        grid.addWidget(self.message, row + 1, 0, 1, 5)
        self.group.idClicked.connect(self._result_clicked)
        self._flag(state)

    def result(self) -> CheckResult | None:
        i = self.group.checkedId()
        return RESULTS[i] if i >= 0 else None

    def set_result(self, result: CheckResult | None) -> None:
        if result is None:
            self.group.setExclusive(False)
            for b in self.group.buttons():
                b.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.group.button(RESULTS.index(result)).setChecked(True)

    def _flag(self, state: CheckState) -> None:
        if self.value is None:
            return
        bad = state.flagged
        self.value.setStyleSheet(FLAGGED if bad else "")
        message = state.verdict.message if bad and state.verdict is not None else ""
        self.message.set_message(service_text.translate(message))  # the domain words it in Chinese

    def _value_done(self) -> None:
        assert self.value is not None
        text = self.value.text().strip()
        try:
            verdict = parse_measurement(self.check, text)
        except InvalidMeasurement as exc:
            self.value.setStyleSheet(FLAGGED)
            self.message.set_message(service_text.translate(str(exc)))
            return
        state = CheckState(self.check, verdict=verdict)
        self._flag(state)
        result = self.result()
        if verdict is not None:
            if not verdict.ok and result in (None, CheckResult.PASS):
                result = CheckResult.RECTIFY
            elif verdict.ok and result is None:
                result = CheckResult.PASS
            self.set_result(result)
        self.dialog.save_check(self.check.code, result, value=text)

    def _result_clicked(self, _id: int) -> None:
        value = self.value.text() if self.value is not None else None
        self.dialog.save_check(self.check.code, self.result(), value=value)

    def _note_done(self) -> None:
        self.dialog.save_check(self.check.code, None, note=self.note.text())

    def _show_photos(self) -> None:
        self.photo.setText(
            QCoreApplication.translate("CheckRow", "照片(%1)").replace("%1", str(self._photos))
            if self._photos
            else QCoreApplication.translate("CheckRow", "拍照/照片")
        )

    def _add_photo(self) -> None:
        paths = photo_field.pick_photos(self.dialog, QCoreApplication.translate("CheckRow", "选择照片"))
        for path in paths:
            self.dialog.add_photo(path, self.check.code, self._photo_added)

    def _photo_added(self, _sha: object) -> None:
        self._photos += 1
        self._show_photos()


class SignerBox(QGroupBox):
    """One signer: printed name, the pad, and a button that stores the drawing."""

    def __init__(self, dialog: AcceptanceDialog, role: str, label: str, name: str, signed: bool) -> None:
        super().__init__(label)
        self.dialog, self.role = dialog, role
        self.setObjectName(f"signer_{role}")
        self.name = QLineEdit(name)
        self.name.setObjectName(f"signer_name_{role}")
        self.name.setPlaceholderText(self.tr("签字人姓名"))
        self.pad = SignaturePad()
        self.pad.setObjectName(f"pad_{role}")
        self.pad.setFixedHeight(120)
        self.state = QLabel()
        self.state.setObjectName(f"signed_{role}")
        clear = QPushButton(self.tr("清除"))
        clear.clicked.connect(self.pad.clear)
        self.save = QPushButton(self.tr("确认签名"))
        self.save.setObjectName(f"save_signature_{role}")
        self.save.clicked.connect(self._save)
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(clear)
        row.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.pad)
        layout.addWidget(self.state)
        self.set_signed(signed)

    def set_signed(self, signed: bool) -> None:
        self.signed = signed
        self.state.setText(self.tr("✔ 已签名") if signed else self.tr("未签名"))
        self.state.setStyleSheet(f"color: {GREEN if signed else '#777'};")

    def _save(self) -> None:
        if self.pad.is_empty():
            QMessageBox.information(self, self.tr("签名"), self.tr("请先在签名区签字"))
            return
        self.dialog.save_signature(
            self.role, self.pad.to_png(), self.name.text(), lambda _: self.set_signed(True)
        )


class AcceptanceDialog(QDialog):
    """The team's working window for one acceptance round."""

    saved = Signal()
    concluded = Signal(object)  # Conclusion
    certificate_requested = Signal(str)

    def __init__(self, ctx: AppContext, acceptance_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.acceptance_id = acceptance_id
        self.service = AcceptanceService(ctx.store)
        self.rows: dict[str, CheckRow] = {}
        self.signers: dict[str, SignerBox] = {}
        self.pending = 0
        self.view: AcceptanceView = self.service.view(acceptance_id)  # one quick read to build the form
        v = self.view
        self.setWindowTitle(
            self.tr("第 %1 轮验收 — %2")
            .replace("%1", str(v.acceptance.round))
            .replace("%2", project_title(v.project.title, v.project.kind))
        )
        self.resize(1240, 700)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sections")
        for section in v.sections:
            if section.key == "items":
                self.tabs.addTab(self._items_tab(section.checks), self.tr("改造项目"))
            else:
                self.tabs.addTab(self._checks_tab(section.checks), service_text.translate(section.title))
        self.tabs.addTab(self._opinion_tab(), self.tr("意见与满意度"))
        self.tabs.addTab(self._signature_tab(), self.tr("签字"))

        self.progress = QLabel()
        self.progress.setObjectName("progress")
        self.conclusion = QLabel()
        self.conclusion.setObjectName("conclusion")
        self.conclusion.setWordWrap(True)
        self.conclusion.hide()
        self.finish_button = QPushButton(self.tr("完成验收"))
        self.finish_button.setObjectName("finish")
        self.finish_button.setStyleSheet("font-weight: bold; padding: 6px 18px;")
        self.finish_button.clicked.connect(self.finish)
        self.issue_button = QPushButton(self.tr("出具验收单…"))
        self.issue_button.setObjectName("issue")
        self.issue_button.hide()
        self.issue_button.clicked.connect(self.issue)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress)
        bottom.addStretch(1)
        bottom.addWidget(self.issue_button)
        bottom.addWidget(self.finish_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.conclusion)
        layout.addLayout(bottom)
        # Enter confirms a typed value; it must never press a button (a photo picker, 完成验收).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self._update_progress()
        if v.finished:
            self._show_finished(v.acceptance.conclusion == "pass", v.acceptance.opinion)

    # --- tabs ---------------------------------------------------------------------------

    def _scroll(self, inner: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(inner)
        return area

    def _grid_header(self, grid: QGridLayout, headers: list[str]) -> None:
        for col, text in enumerate(headers):
            label = QLabel(text)
            label.setStyleSheet("font-weight: bold; color: #333;")
            grid.addWidget(label, 0, col)

    def _checks_tab(self, checks: tuple[Check, ...]) -> QWidget:
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(3, 2)
        grid.setVerticalSpacing(4)
        self._grid_header(
            grid, [self.tr("检查内容"), self.tr("实测值 / 限值"), self.tr("结果"), self.tr("备注"), ""]
        )
        for i, check in enumerate(checks):
            self.rows[check.code] = CheckRow(self, grid, 1 + 2 * i, self.view.states[check.code])
        grid.setRowStretch(2 * len(checks) + 2, 1)
        return self._scroll(inner)

    def _items_tab(self, checks: tuple[Check, ...]) -> QWidget:
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setColumnStretch(0, 3)
        self._grid_header(
            grid, [self.tr("改造项目"), self.tr("计划 / 实际数量"), self.tr("结果"), self.tr("备注"), ""]
        )
        rows = dict(self.view.items)
        self.actual: dict[str, QLineEdit] = {}
        for i, check in enumerate(checks):
            row = CheckRow(self, grid, 1 + 2 * i, self.view.states[check.code])
            self.rows[check.code] = row
            item = rows[check.code]
            plain = item_from_row(item)
            edit = QLineEdit("" if plain.actual_qty is None else format_quantity(plain.actual_qty))
            edit.setObjectName(f"actual_{item.id}")
            edit.setValidator(QDoubleValidator(0, 1e6, 2, edit))
            edit.setFixedWidth(70)
            edit.setPlaceholderText(self.tr("实际"))
            edit.editingFinished.connect(lambda e=edit, rid=item.id: self.save_actual(rid, e.text()))
            box = QHBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(QLabel(f"{format_quantity(plain.planned_qty)} {form_text.unit(plain.unit)} →"))
            box.addWidget(edit)
            box.addWidget(QLabel(form_text.unit(plain.unit)))
            box.addStretch(1)
            holder = QWidget()
            holder.setLayout(box)
            grid.addWidget(holder, 1 + 2 * i, 1)
            self.actual[item.id] = edit
        grid.setRowStretch(2 * len(checks) + 2, 1)
        return self._scroll(inner)

    def _opinion_tab(self) -> QWidget:
        a = self.view.acceptance
        page = QWidget()
        form = QFormLayout(page)
        self.team = QLineEdit(a.team)
        self.team.setObjectName("team")
        self.team.setPlaceholderText(self.tr("验收组成员，用顿号分隔"))
        self.team.editingFinished.connect(lambda: self._save_fields(team=self.team.text()))
        form.addRow(self.tr("验收组成员"), self.team)
        self.satisfaction = QButtonGroup(self)
        row = QHBoxLayout()
        for i, text in enumerate(SATISFACTION):
            radio = QRadioButton(text)
            radio.setObjectName(f"satisfaction_{i}")
            radio.setChecked(a.satisfaction == text)
            self.satisfaction.addButton(radio, i)
            row.addWidget(radio)
        row.addStretch(1)
        self.satisfaction.idClicked.connect(lambda i: self._save_fields(satisfaction=SATISFACTION[i]))
        form.addRow(self.tr("家庭满意度"), row)
        self.opinion = QPlainTextEdit(a.opinion)
        self.opinion.setObjectName("opinion")
        self.opinion.setPlaceholderText(self.tr("验收意见（不填则按检查结果自动生成）"))
        self.opinion.setFixedHeight(110)
        form.addRow(self.tr("验收意见"), self.opinion)
        self.after = PhotoField(max_count=6)
        self.after.setObjectName("photos_after")
        self.after.files_chosen.connect(
            lambda paths: [self.add_photo(p, None, lambda _: None) for p in paths]
        )
        form.addRow(self.tr("改造后照片"), self.after)
        return page

    def _signature_tab(self) -> QWidget:
        inner = QWidget()
        grid = QGridLayout(inner)
        v = self.view
        for i, (role, label) in enumerate(SIGNERS):
            name = v.signer_names.get(role, "")
            if not name and role == "resident":
                name = ""
            box = SignerBox(self, role, label, name, role in v.signatures)
            self.signers[role] = box
            grid.addWidget(box, i // 2, i % 2)
        return self._scroll(inner)

    # --- saving -------------------------------------------------------------------------

    def _run(self, func: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        self.pending += 1

        def ok(result: Any) -> None:
            self.pending -= 1
            if done:
                done(result)
            self.saved.emit()
            self._update_progress()

        def failed(exc: BaseException) -> None:
            self.pending -= 1
            QMessageBox.warning(self, self.tr("未保存"), str(exc))
            self._reload_states()

        self.ctx.tasks.run_db(func, ok, failed)

    def save_check(
        self, code: str, result: CheckResult | None, *, value: str | None = None, note: str | None = None
    ) -> None:
        service, actor, aid = self.service, self.ctx.actor, self.acceptance_id
        self._run(
            lambda: service.record_check(actor, aid, code, result, value=value, note=note), self._state_saved
        )

    def _state_saved(self, state: CheckState) -> None:
        self.view.states[state.check.code] = state

    def save_actual(self, item_id: str, text: str) -> None:
        service, actor, aid = self.service, self.ctx.actor, self.acceptance_id
        self._run(lambda: service.set_actual_qty(actor, aid, item_id, text.strip() or None))

    def _save_fields(self, **values: Any) -> None:
        service, actor, aid = self.service, self.ctx.actor, self.acceptance_id
        self._run(lambda: service.update(actor, aid, **values))

    def save_signature(self, role: str, png: bytes, name: str, done: Callable[[Any], None]) -> None:
        service, actor, aid = self.service, self.ctx.actor, self.acceptance_id
        self._run(lambda: service.add_signature(actor, aid, role, png, name), done)

    def add_photo(self, path: str, check_code: str | None, done: Callable[[Any], None]) -> None:
        service, actor, aid = self.service, self.ctx.actor, self.acceptance_id
        self._run(lambda: service.add_photo(actor, aid, path, check_code), done)

    def _reload_states(self) -> None:
        service, aid = self.service, self.acceptance_id

        def show(view: AcceptanceView) -> None:
            self.view = view
            for code, row in self.rows.items():
                row.set_result(view.states[code].result)
            self._update_progress()

        self.ctx.tasks.run_db(lambda: service.view(aid), show)

    def _update_progress(self) -> None:
        states = self.view.states.values()
        done = sum(1 for s in states if s.result is not None)
        flagged = sum(1 for s in states if s.flagged)
        signed = len([b for b in self.signers.values() if b.signed])
        text = self.tr("已填 %1/%2 项").replace("%1", str(done)).replace("%2", str(len(self.view.states)))
        if flagged:
            text += self.tr("，%1 项实测值超限").replace("%1", str(flagged))
        text += self.tr("；已签名 %1/%2").replace("%1", str(signed)).replace("%2", str(len(SIGNERS)))
        self.progress.setText(text)

    # --- conclusion ---------------------------------------------------------------------

    def finish(self) -> None:
        service, actor, aid = self.service, self.ctx.actor, self.acceptance_id
        chosen = self.satisfaction.checkedId()
        fields = {"opinion": self.opinion.toPlainText(), "team": self.team.text()}
        if chosen >= 0:
            fields["satisfaction"] = SATISFACTION[chosen]

        def work() -> Any:
            service.update(actor, aid, **fields)
            return service.finish(actor, aid)

        def done(conclusion: Any) -> None:
            self.view = service.view(aid)
            self._show_finished(conclusion.passed, conclusion.text)
            self.ctx.events.projects_changed.emit()
            self.concluded.emit(conclusion)

        self.finish_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.finish_button.setEnabled(True)
            QMessageBox.warning(self, self.tr("还不能完成验收"), str(exc))

        self.ctx.tasks.run_db(work, done, failed)

    def _show_finished(self, passed: bool, text: str) -> None:
        self.finish_button.hide()
        text = service_text.translate(text)  # the domain's conclusion is Chinese
        deadline = self.view.acceptance.rectification_deadline
        if passed:
            message = self.tr("验收合格。") + text
        else:
            message = self.tr("需整改，整改期限：%1。").replace("%1", deadline) + text
        self.conclusion.setText(message)
        colour = GREEN if passed else RED
        self.conclusion.setStyleSheet(
            f"color: {colour}; border: 1px solid {colour}; padding: 8px; font-size: 14px; font-weight: bold;"
        )
        self.conclusion.show()
        self.issue_button.setVisible(passed)
        self.tabs.setEnabled(False)

    def issue(self) -> None:
        service = CertificateService(self.ctx.store, self.ctx.settings)
        actor, aid = self.ctx.actor, self.acceptance_id

        def done(issued: Any) -> None:
            self.ctx.events.projects_changed.emit()
            self.issued_serial = issued.serial
            self.certificate_requested.emit(issued.serial)

        self.ctx.tasks.run_db(
            lambda: service.issue(actor, aid),
            done,
            lambda e: QMessageBox.warning(self, self.tr("无法出具验收单"), str(e)),
        )
