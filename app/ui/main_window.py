"""The main window: navigation on the left, the chosen screen on the right, status at the bottom."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app.domain.enums import Role
from app.domain.localtime import local_minute
from app.domain.regions import UnknownRegion, default_catalog
from app.services.sync import SyncService, SyncStatus
from app.ui.context import AppContext
from app.ui.labels import label_of
from app.ui.registry.dialogs import HouseholdDialog
from app.ui.registry.household_page import HouseholdPage
from app.ui.registry.registry_view import RegistryView
from app.ui.settings_page import SettingsPage


class MainWindow(QMainWindow):
    """Navigation: 户档, 访视, 改造项目, 同步, 设置, 台账 (Ctrl+1…6)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("HomeVisit 入户访视"))
        screen = self.screen().availableGeometry()
        self.resize(min(1280, screen.width()), min(800, screen.height() - 40))

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 15px; border: none; background: #f3f5f8; }"
            "QListWidget::item { padding: 12px 14px; }"
            "QListWidget::item:selected { background: #1f6fb2; color: white; border: none; }"
        )
        self.pages = QStackedWidget()

        self.registry_stack = QStackedWidget()
        self.registry_view = RegistryView(ctx)
        self.household_page = HouseholdPage(ctx)
        self.registry_stack.addWidget(self.registry_view)
        self.registry_stack.addWidget(self.household_page)
        self.registry_view.open_household.connect(self.open_household)
        self.registry_view.new_household.connect(self.new_household)
        self.household_page.back.connect(self.show_registry_list)

        self.screens: dict[str, QWidget] = {}
        self.close_guards: list[Callable[[], bool]] = []  # each says whether the app may close now
        self.add_screen("registry", self.tr("户档"), self.registry_stack)
        # Slots the feature modules fill (app.ui.features.install).
        self.add_screen("visits", self.tr("访视"), QWidget())
        self.add_screen("projects", self.tr("改造项目"), QWidget())
        self.add_screen("sync", self.tr("同步"), QWidget())
        self.settings_page = SettingsPage(ctx)
        self.add_screen("settings", self.tr("设置"), self.settings_page)
        self.add_screen("ledgers", self.tr("台账"), QWidget())  # app.ui.ledgers.feature fills it
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        for i in range(len(self.screens)):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            self.addAction(action)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        self.addAction(find)

        self.user_label = QLabel()
        self.user_label.setObjectName("status_user")
        self.data_label = QLabel()
        self.data_label.setObjectName("status_data")
        self.sync_label = QLabel()
        self.sync_label.setObjectName("status_sync")
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addWidget(self.data_label)
        self.statusBar().addPermanentWidget(self.sync_label)
        ctx.events.households_changed.connect(self.refresh_status)
        ctx.events.sync_state_changed.connect(self.refresh_status)
        self.refresh_status()
        self.registry_view.run_search()

    def add_screen(self, key: str, title: str, widget: QWidget) -> None:
        self.screens[key] = widget
        self.pages.addWidget(widget)
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)

    def replace_screen(self, key: str, widget: QWidget) -> None:
        """Put a feature's screen into its slot (feature modules call this)."""
        old = self.screens[key]
        index = self.pages.indexOf(old)
        self.pages.removeWidget(old)
        self.pages.insertWidget(index, widget)
        self.screens[key] = widget
        old.deleteLater()
        self.pages.setCurrentIndex(self.nav.currentRow())

    def show_screen(self, key: str) -> None:
        self.nav.setCurrentRow(list(self.screens).index(key))

    def focus_search(self) -> None:
        self.show_screen("registry")
        self.show_registry_list()
        self.registry_view.search.setFocus()
        self.registry_view.search.selectAll()

    def show_registry_list(self) -> None:
        self.registry_stack.setCurrentWidget(self.registry_view)
        self.registry_view.table.setFocus()

    def open_household(
        self, household_id: str, person_id: str = "", then: Callable[[], None] | None = None
    ) -> None:
        """Show a household's page; ``then`` runs once its data is on screen."""
        self.show_screen("registry")
        self.household_page.show_household(household_id, person_id, then)
        self.registry_stack.setCurrentWidget(self.household_page)

    def new_household(self) -> None:
        dialog = HouseholdDialog(self.ctx, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved:
            self.ctx.events.households_changed.emit()
            self.open_household(dialog.saved.id, then=lambda: self.household_page.edit_person(new=True))

    def refresh_status(self) -> None:
        user = self.ctx.user
        if user:
            try:
                regions = "、".join(default_catalog().name(code) for code in user.regions) or self.tr("全部")
            except UnknownRegion:
                regions = "、".join(user.regions)
            role = label_of(Role, user.role)
            self.user_label.setText(
                self.tr("当前用户：%1（%2）  辖区：%3")
                .replace("%1", user.display_name)
                .replace("%2", role)
                .replace("%3", regions)
            )
        registry, sync = self.ctx.registry, SyncService(self.ctx.store)
        self.ctx.tasks.run_db(lambda: (registry.registered_count(), sync.status()), self._show_counts)

    def _show_counts(self, counts: tuple[int, SyncStatus]) -> None:
        registered, status = counts
        self.data_label.setText(self.tr("在册 %1 人").replace("%1", str(registered)))
        text = self.tr("待同步 %1 项").replace("%1", str(status.pending))
        rejected = status.rejected
        if rejected:  # refused by the server: never hidden behind "待同步 0 项"
            text += "  " + self.tr("被拒收 %1 项（见“同步 → 被拒收的修改”）").replace("%1", str(rejected))
        if status.last_failed and status.last_failure is not None:
            text += "  " + self.tr("上次同步失败：%1").replace("%1", local_minute(status.last_failure.at))
            self.sync_label.setStyleSheet("color: #c62828;")
            self.sync_label.setToolTip(status.last_failure.message)
        else:
            text += "  " + (
                self.tr("上次同步成功：%1").replace("%1", local_minute(status.last_success))
                if status.last_success
                else self.tr("尚未同步")
            )
            self.sync_label.setStyleSheet("color: #c62828;" if rejected else "")
            self.sync_label.setToolTip("")
        self.sync_label.setText(text)

    def closeEvent(self, event) -> None:  # noqa: ANN001 - Qt API
        """Features may keep the window open (an open visit window asks first)."""
        if not all(guard() for guard in self.close_guards):
            event.ignore()
            return
        self.ctx.tasks.wait()
        super().closeEvent(event)
