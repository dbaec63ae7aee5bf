"""A project's page: who and what, the plan (planned vs actual), timeline, photos and the next steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import ProjectStatus
from app.domain.ids import mask_id_number
from app.domain.localtime import local_minute
from app.domain.renovation import format_quantity
from app.services.acceptance import AcceptanceService
from app.services.attachments import AttachmentService
from app.services.certificates import CertificateService
from app.services.projects import ProjectDetail, ProjectService
from app.services.sync import RejectedRow, SyncService
from app.services.user_names import UserNames
from app.store.models import Acceptance, Certificate
from app.ui import form_text, permissions, service_text
from app.ui.context import AppContext
from app.ui.labels import enum_label
from app.ui.projects.labels import (
    STATUS_COLOURS,
    kind_label,
    project_title,
    region_name,
    status_label,
    yuan,
)
from app.ui.projects.project_dialog import ProjectDialog
from app.ui.sync.rejected_banner import RejectedBanner, rejected_of
from app.ui.widgets import photo_field
from app.ui.widgets.thumbnails import ThumbnailStrip

ERROR_STYLE = "color: #c62828;"


@dataclass
class PageData:
    """What the page loads in the worker."""

    detail: ProjectDetail
    rounds: list[Acceptance]
    certificates: list[Certificate]
    thumbs_before: list[tuple[str, str]]
    thumbs_after: list[tuple[str, str]]
    rejected: list[RejectedRow] = field(default_factory=list)
    names: UserNames = field(default_factory=UserNames)


def load_page(ctx: AppContext, project_id: str) -> PageData:
    """Everything for the page, read off the GUI thread."""
    detail = ProjectService(ctx.store).detail(project_id)
    thumbs = AttachmentService(ctx.store)

    def pictures(links: list) -> list[tuple[str, str]]:
        out = []
        for link in links:
            try:
                out.append((link.sha256, thumbs.thumbnail_data(link.sha256)))  # type: ignore[arg-type]
            except (OSError, ValueError):  # not downloaded yet, or not an image / too large to decode
                out.append((link.sha256, ""))
        return out

    rounds = AcceptanceService(ctx.store).rounds(project_id)
    certificates = CertificateService(ctx.store, ctx.settings).for_project(project_id)
    keys = [
        ("renovationproject", project_id),
        *(("renovationitem", line.id) for line in detail.items),
        *(("projectevent", e.id) for e in detail.events),
        *(("acceptance", a.id) for a in rounds),
        *(("certificate", c.id) for c in certificates),
    ]
    return PageData(
        detail,
        rounds,
        certificates,
        pictures(detail.photos_before),
        pictures(detail.photos_after),
        rejected_of(SyncService(ctx.store), keys),
        UserNames.load(ctx.store),
    )


class ProjectPage(QWidget):
    """Shows one project; buttons move it on, start the acceptance, open the certificate."""

    back = Signal()
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id = ""
        self.data: PageData | None = None

        back = QPushButton(self.tr("← 返回项目列表"))
        back.setObjectName("back")
        back.clicked.connect(self.back)
        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.status = QLabel()
        self.status.setObjectName("status")
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        top.addWidget(self.status)

        self.facts = QFormLayout()
        self.facts.setHorizontalSpacing(14)
        self.fact_labels: dict[str, QLabel] = {}
        for key, text in (
            ("household", self.tr("家庭")),
            ("person", self.tr("残疾人")),
            ("kind", self.tr("改造类别")),
            ("contractor", self.tr("施工单位")),
            ("budget", self.tr("预算")),
            ("due", self.tr("完成期限")),
        ):
            value = QLabel()
            value.setObjectName(f"fact_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.facts.addRow(text, value)
            self.fact_labels[key] = value
        facts_box = QGroupBox(self.tr("基本情况"))
        facts_box.setLayout(self.facts)

        self.actions = QVBoxLayout()
        actions_box = QGroupBox(self.tr("下一步"))
        actions_box.setLayout(self.actions)
        actions_box.setMinimumWidth(260)
        head = QHBoxLayout()
        head.addWidget(facts_box, 3)
        head.addWidget(actions_box, 2)

        self.items = QTableWidget(0, 7)
        self.items.setObjectName("items")
        self.items.setHorizontalHeaderLabels(
            [self.tr("项目"), self.tr("单位"), self.tr("单价"), self.tr("计划数量"),
             self.tr("计划金额"), self.tr("实际数量"), self.tr("实际金额")]
        )  # fmt: skip
        self.items.verticalHeader().setVisible(False)
        self.items.verticalHeader().setDefaultSectionSize(26)
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.warnings = QLabel()
        self.warnings.setObjectName("warnings")
        self.warnings.setStyleSheet(ERROR_STYLE)
        self.warnings.setWordWrap(True)
        items_box = QGroupBox(self.tr("改造方案"))
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.items)
        items_layout.addWidget(self.totals)
        items_layout.addWidget(self.warnings)

        self.timeline = QTableWidget(0, 4)
        self.timeline.setObjectName("timeline")
        self.timeline.setHorizontalHeaderLabels(
            [self.tr("时间"), self.tr("状态"), self.tr("经办人"), self.tr("说明")]
        )
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((130, 150, 80)):
            self.timeline.setColumnWidth(col, width)
        timeline_box = QGroupBox(self.tr("办理进度"))
        QVBoxLayout(timeline_box).addWidget(self.timeline)

        self.before = ThumbnailStrip(removable=False)
        self.before.setObjectName("photos_before")
        self.after = ThumbnailStrip(removable=False)
        self.after.setObjectName("photos_after")
        photos_box = QGroupBox(self.tr("改造前后照片"))
        photos = QFormLayout(photos_box)
        photos.addRow(self.tr("改造前"), self.before)
        photos.addRow(self.tr("改造后"), self.after)

        lower = QHBoxLayout()
        lower.addWidget(timeline_box, 3)
        lower.addWidget(photos_box, 2)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addLayout(head)
        column.addWidget(items_box)
        column.addLayout(lower)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.rejected = RejectedBanner(ctx)  # what the server refused of this project's records
        self.rejected.changed.connect(self._maybe_reload)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rejected)
        layout.addWidget(scroll, 1)
        ctx.events.projects_changed.connect(self._maybe_reload)
        ctx.events.sync_state_changed.connect(self._maybe_reload)

    def _maybe_reload(self) -> None:
        if self.project_id:
            self.reload()

    # --- loading ------------------------------------------------------------------------

    def show_project(self, project_id: str) -> None:
        self.project_id = project_id
        self.reload()

    def reload(self) -> None:
        project_id, ctx = self.project_id, self.ctx

        def done(data: PageData) -> None:
            if data.detail.project.id == self.project_id:
                self.show_data(data)

        ctx.tasks.run_db(lambda: load_page(ctx, project_id), done, self._error)

    def show_data(self, data: PageData) -> None:
        self.data = data
        d = data.detail
        self.title.setText(project_title(d.project.title, d.project.kind))
        colour = STATUS_COLOURS.get(d.status, "#1f6fb2")
        self.status.setText(status_label(d.project.status))
        self.status.setStyleSheet(
            f"color: white; background: {colour}; border-radius: 4px; padding: 3px 10px; font-weight: bold;"
        )
        h, p = d.household, d.person
        self.fact_labels["household"].setText(
            f"{h.head_name}  {region_name(h.region_code)}  {h.address}  {h.phone}".strip()
        )
        self.fact_labels["person"].setText(
            f"{p.name}  {mask_id_number(p.id_number)}" if p else self.tr("（未指定）")
        )
        self.fact_labels["kind"].setText(kind_label(d.project.kind))
        self.fact_labels["contractor"].setText(d.project.contractor or self.tr("（未确定）"))
        cap = self.tr("，每户上限 %1 元").replace("%1", yuan(d.cap)) if d.cap is not None else ""
        self.fact_labels["budget"].setText(self.tr("%1 元").replace("%1", f"{d.project.budget:,.2f}") + cap)
        self.fact_labels["due"].setText(d.project.due_date or "—")

        self.items.setRowCount(len(d.items))
        for row, line in enumerate(d.items):
            it = line.item
            cells = [
                line.description or it.name, form_text.unit(it.unit), yuan(it.unit_price), format_quantity(it.planned_qty),
                yuan(it.planned_amount), "" if it.actual_qty is None else format_quantity(it.actual_qty),
                yuan(it.actual_amount),
            ]  # fmt: skip
            for col, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                if col >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.items.setItem(row, col, cell)
        self.items.setFixedHeight(
            self.items.horizontalHeader().sizeHint().height() + 26 * max(len(d.items), 1) + 4
        )
        self.totals.setText(
            self.tr("计划合计 %1 元    结算合计 %2 元")
            .replace("%1", yuan(d.totals.planned))
            .replace("%2", yuan(d.totals.actual))
        )
        self.warnings.setText("\n".join(f"⚠ {w}" for w in d.warnings))
        self.warnings.setVisible(bool(d.warnings))

        self.timeline.setRowCount(len(d.events))
        for row, event in enumerate(reversed(d.events)):
            moved = (
                f"{status_label(event.from_status)} → {status_label(event.to_status)}"
                if event.from_status
                else status_label(event.to_status)
            )
            who = service_text.translate(data.names(event.actor))  # people, not login names
            note = service_text.translate(event.note)  # the timeline's own notes are stored in Chinese
            for col, value in enumerate((local_minute(event.at), moved, who, note)):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.timeline.setItem(row, col, cell)
        self.before.set_images(data.thumbs_before)
        self.after.set_images(data.thumbs_after)
        self._fill_actions(data)
        self.rejected.show_rows(data.rejected)
        self.loaded.emit()

    def _fill_actions(self, data: PageData) -> None:
        while self.actions.count():
            widget = self.actions.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)  # gone from findChild() now, not only after deleteLater runs
                widget.deleteLater()
        d = data.detail
        status = d.status
        # Only what the user's role may do on the server (app.contract.roles).
        accepts = permissions.may_write(self.ctx, "acceptance")
        offered = set(permissions.moves(self.ctx, status))
        if status is ProjectStatus.AWAITING_ACCEPTANCE and accepts:
            draft = next((a for a in data.rounds if a.status == "draft"), None)
            text = self.tr("继续第 %1 轮验收…") if draft else self.tr("开始验收…")
            n = draft.round if draft else len(data.rounds) + 1
            self._action("start_acceptance", text.replace("%1", str(n)), self.start_acceptance, primary=True)
        elif status is ProjectStatus.AWAITING_ACCEPTANCE:
            note = QLabel(self.tr("等待验收组现场验收（验收由验收人员办理）。"))
            note.setObjectName("awaiting_acceptor")
            self.actions.addWidget(note)
        else:
            for target in (t for t in d.next_statuses if t in offered):
                self._action(
                    f"to_{target.value}",
                    self.tr("改为“%1”…").replace("%1", enum_label(target)),
                    lambda _=False, t=target: self.advance(t),
                )
        if permissions.may_write(self.ctx, "renovationitem") and status in (
            ProjectStatus.APPLIED,
            ProjectStatus.ASSESSED,
            ProjectStatus.SURVEYED,
            ProjectStatus.PLANNED,
        ):
            self._action("edit_plan", self.tr("修改改造方案…"), self.edit_plan)
            self._action("add_before_photo", self.tr("添加改造前照片…"), self.add_before_photo)
        issued = {c.acceptance_id for c in data.certificates}
        for acc in data.rounds:
            if (
                acc.status == "completed"
                and acc.conclusion == "pass"
                and acc.id not in issued
                and permissions.may_write(self.ctx, "certificate")
            ):
                self._action(
                    "issue", self.tr("出具验收单"), lambda _=False, a=acc.id: self.issue(a), primary=True
                )
        for cert in data.certificates:
            self._action(
                f"certificate_{cert.serial}",
                self.tr("查看/打印验收单 %1").replace("%1", cert.serial),
                lambda _=False, s=cert.serial: self.open_certificate(s),
            )
        last = data.rounds[-1] if data.rounds else None
        if last is not None and last.rectification_deadline and status is ProjectStatus.RECTIFYING:
            note = QLabel(self.tr("整改期限：%1").replace("%1", last.rectification_deadline))
            note.setObjectName("rectification_deadline")
            note.setStyleSheet(ERROR_STYLE + "font-weight: bold;")
            self.actions.addWidget(note)
        if self.actions.count() == 0:
            done = status is ProjectStatus.ARCHIVED
            self.actions.addWidget(
                QLabel(self.tr("项目已归档，无需办理。") if done else self.tr("当前没有需要您办理的事项。"))
            )
        self.actions.addStretch(1)

    def _action(self, name: str, text: str, slot: object, primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        if primary:
            button.setStyleSheet("font-weight: bold;")
        button.clicked.connect(slot)
        self.actions.addWidget(button)
        return button

    # --- actions ------------------------------------------------------------------------

    def _error(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("无法完成"), str(exc))

    def _changed(self, _result: object = None) -> None:
        self.ctx.events.projects_changed.emit()  # the list and this page reload

    def advance(self, target: ProjectStatus, note: str | None = None) -> None:
        if note is None:
            note, ok = QInputDialog.getText(
                self, self.tr("改为“%1”").replace("%1", enum_label(target)), self.tr("说明（可不填）：")
            )
            if not ok:
                return
        service, actor, pid = ProjectService(self.ctx.store), self.ctx.actor, self.project_id
        self.ctx.tasks.run_db(
            lambda: service.advance(actor, pid, target, note or ""), self._changed, self._error
        )

    def edit_plan(self) -> ProjectDialog | None:
        """The plan dialog in edit mode (offered only before works start; the service checks again)."""
        if self.data is None:
            return None
        self.plan_dialog = ProjectDialog.edit_plan(self.ctx, self.data.detail, self)
        self.plan_dialog.open()  # saving emits projects_changed, which reloads this page
        return self.plan_dialog

    def add_before_photo(self) -> None:
        paths = photo_field.pick_photos(self, self.tr("选择改造前照片"))
        service, actor, pid = ProjectService(self.ctx.store), self.ctx.actor, self.project_id

        def store_all() -> None:
            for path in paths:
                service.add_before_photo(actor, pid, path)

        if paths:
            self.ctx.tasks.run_db(store_all, self._changed, self._error)

    def start_acceptance(self) -> None:
        from app.ui.projects.acceptance_dialog import AcceptanceDialog

        service, actor, pid = AcceptanceService(self.ctx.store), self.ctx.actor, self.project_id
        team = [self.ctx.user.display_name] if self.ctx.user else []

        def opened(acceptance: Acceptance) -> None:
            self.acceptance_dialog = AcceptanceDialog(self.ctx, acceptance.id, self)
            self.acceptance_dialog.finished.connect(lambda _=0: self._changed())
            self.acceptance_dialog.certificate_requested.connect(self.open_certificate)
            self.acceptance_dialog.open()

        self.ctx.tasks.run_db(lambda: service.start(actor, pid, team=team), opened, self._error)

    def issue(self, acceptance_id: str) -> None:
        service, actor = CertificateService(self.ctx.store, self.ctx.settings), self.ctx.actor

        def done(issued: object) -> None:
            self._changed()
            self.open_certificate(issued.serial)  # type: ignore[attr-defined]

        self.ctx.tasks.run_db(lambda: service.issue(actor, acceptance_id), done, self._error)

    def open_certificate(self, serial: str) -> None:
        from app.ui.projects.certificate_dialogs import CertificateDialog

        self.certificate_dialog = CertificateDialog(self.ctx, serial, self)
        self.certificate_dialog.open()
