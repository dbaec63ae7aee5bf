"""Create and edit dialogs for households and persons, with inline validation.

Each field shows its own message as soon as it is wrong (an ID number with a
bad check digit is flagged while typing), including what the server's value rule
(``app.contract.values.check_field``) would refuse; Save validates once more through
the service and writes nothing if anything is wrong. Every message line is reserved,
so a message appearing moves neither the fields below nor the buttons; 取消 (or
closing) a changed dialog asks before the edits are thrown away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import (
    DisabilityCategory,
    DisabilityLevel,
    EconomicStatus,
    HouseGrade,
    HousingType,
    PersonStatus,
)
from app.domain.ids import InvalidIdNumber, parse_id_number
from app.services.registry import ValidationFailed, validate_household, validate_person
from app.store.models import Household, Person
from app.ui.context import AppContext
from app.ui.labels import enum_choices, enum_label
from app.ui.region_picker import RegionPicker
from app.ui.widgets.field_check import field_message
from app.ui.widgets.message_line import MessageLine

ERROR_STYLE = "color: #c62828; font-size: 11px;"
INVALID_FIELD = "border: 1px solid #c62828;"


def combo(choices: list[tuple[str, str]], name: str, empty: str | None = None) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    if empty is not None:
        box.addItem(empty, "")
    for value, label in choices:
        box.addItem(label, value)
    return box


def select_data(box: QComboBox, value: object) -> None:
    i = box.findData(value if value is not None else "")
    box.setCurrentIndex(max(i, 0))


class ValidatingDialog(QDialog):
    """Form layout where every field has a reserved error line right under it.

    ``table`` names the synced table the dialog writes, so each field is also checked
    with the contract's ``check_field`` — the rule the server applies on sync.
    """

    table = ""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(2)
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        self._clean: dict[str, Any] | None = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.banner = MessageLine(ERROR_STYLE)
        self.banner.setObjectName("banner")
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(self.buttons)

    def add_field(self, name: str, label: str, widget: QWidget) -> None:
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(1)
        if isinstance(widget, QLineEdit):
            widget.setFixedHeight(widget.sizeHint().height())  # the red border must not change it
        inner.addWidget(widget)
        error = MessageLine(ERROR_STYLE)
        error.setObjectName(f"error_{name}")
        inner.addWidget(error)
        self.form.addRow(label, box)
        self.errors[name] = error
        self.fields[name] = widget
        self.labels[name] = label

    def data(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def contract_message(self, name: str) -> str:
        """What the server's value rule says of this field's value ("" = acceptable)."""
        if not self.table:
            return ""
        value = self.data().get(name)
        if isinstance(value, str):
            value = value.strip()
        elif value is None or isinstance(value, bool):
            return ""
        return field_message(self.table, name, value, self.labels.get(name, name))

    def show_errors(self, errors: dict[str, str], only: set[str] | None = None) -> None:
        for name, label in self.errors.items():
            if only is not None and name not in only:
                continue
            message = errors.get(name, "")
            if not message or (self.table and f"“{self.table}.{name}”" in message):
                # The contract's own verdict, worded with this dialog's label and language.
                message = self.contract_message(name) or message
            label.setText(message)
            if not isinstance(label, MessageLine):  # a subclass's own label (the project plan's)
                label.setVisible(bool(message))
            widget = self.fields[name]
            if isinstance(widget, QLineEdit):
                widget.setStyleSheet(INVALID_FIELD if message else "")

    def check_while_typing(self, name: str, edit: QLineEdit | QPlainTextEdit) -> None:
        """Show the contract's verdict on ``name`` at each keystroke (fields without a live check)."""
        edit.textChanged.connect(lambda *_: self.show_errors({}, {name}))

    # -- leaving without saving -------------------------------------------------------

    def mark_clean(self) -> None:
        """The values as opened: 取消 asks only when they have changed since."""
        self._clean = self.data()

    def is_changed(self) -> bool:
        return self._clean is not None and self.data() != self._clean

    def reject(self) -> None:
        """取消, Esc or the close button: a changed dialog asks before throwing the edits away."""
        if self.is_changed() and not self._confirm_discard():
            return
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.windowTitle(),
            self.tr("已修改的内容还没有保存。放弃这些修改吗？"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("confirm_discard")
        discard: QAbstractButton = box.addButton(self.tr("放弃修改"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class HouseholdDialog(ValidatingDialog):
    """New or edit household: address, village, phone, economic status, housing."""

    table = "household"

    def __init__(
        self, ctx: AppContext, household: Household | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household = household
        self.saved: Household | None = None
        self.setWindowTitle(self.tr("编辑家庭") if household else self.tr("新建家庭"))
        self.setMinimumWidth(560)
        self.region = RegionPicker(allow_any=False)
        self.address = QLineEdit()
        self.address.setObjectName("address")
        self.address.setPlaceholderText(self.tr("如：12幢3单元501 或 上洋自然村23号"))
        self.head_name = QLineEdit()
        self.head_name.setObjectName("head_name")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.economic = combo(enum_choices(EconomicStatus), "economic_status")
        self.grade = combo(enum_choices(HouseGrade), "house_grade", empty=self.tr("未鉴定"))
        # Coded like the housing form's house_type; a row from before the coding keeps its text.
        self.housing_type = combo(enum_choices(HousingType), "housing_type", empty=self.tr("未填写"))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        self.add_field("region_code", self.tr("村（社区）"), self.region)
        self.add_field("address", self.tr("住址"), self.address)
        self.add_field("head_name", self.tr("户主姓名"), self.head_name)
        self.add_field("phone", self.tr("联系电话"), self.phone)
        self.add_field("economic_status", self.tr("经济状况"), self.economic)
        self.add_field("house_grade", self.tr("危房等级"), self.grade)
        self.add_field("housing_type", self.tr("住房类型"), self.housing_type)
        self.add_field("note", self.tr("备注"), self.note)
        if household:
            self.region.set_code(household.region_code)
            self.address.setText(household.address)
            self.head_name.setText(household.head_name)
            self.phone.setText(household.phone)
            select_data(self.economic, household.economic_status)
            select_data(self.grade, household.house_grade)
            if household.housing_type and self.housing_type.findData(household.housing_type) < 0:
                self.housing_type.addItem(household.housing_type, household.housing_type)
            select_data(self.housing_type, household.housing_type)
            self.note.setPlainText(household.note)
        for widget in (self.address, self.phone):
            widget.textChanged.connect(lambda _: self.show_errors(validate_household(self.data()), {"phone"}))
        for name, edit in (("address", self.address), ("head_name", self.head_name)):
            self.check_while_typing(name, edit)
        self.check_while_typing("note", self.note)
        self.mark_clean()

    def data(self) -> dict[str, Any]:
        return {
            "region_code": self.region.code(),
            "address": self.address.text(),
            "head_name": self.head_name.text(),
            "phone": self.phone.text(),
            "economic_status": self.economic.currentData(),
            "house_grade": self.grade.currentData() or None,
            "housing_type": self.housing_type.currentData() or "",
            "note": self.note.toPlainText(),
        }

    def save(self) -> None:
        try:
            self.saved = self.ctx.registry.save_household(
                self.ctx.actor, self.data(), household_id=self.household.id if self.household else None
            )
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            self.banner.setText(self.tr("有 %n 项需要修改，未保存", "", len(exc.errors)))
            return
        self.accept()


class PersonDialog(ValidatingDialog):
    """New or edit person: name, ID number (gender and birth date follow from it), certificate."""

    table = "person"

    def __init__(
        self, ctx: AppContext, household_id: str, person: Person | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household_id = household_id
        self.person = person
        self.saved: Person | None = None
        self.setWindowTitle(self.tr("编辑人员") if person else self.tr("新增人员"))
        self.setMinimumWidth(520)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("id_number")
        self.id_number.setMaxLength(22)
        self.derived = QLabel()
        self.derived.setObjectName("derived")
        self.derived.setStyleSheet("color: #555;")
        self.category = combo(enum_choices(DisabilityCategory), "category", empty=self.tr("（请选择）"))
        self.level = combo(enum_choices(DisabilityLevel), "level", empty=self.tr("（请选择）"))
        self.cert = QLineEdit()
        self.cert.setObjectName("cert_number")
        self.cert.setMaxLength(24)
        self.cert.setPlaceholderText(self.tr("20位：身份证号 + 类别 + 等级"))
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.relation = QComboBox()
        self.relation.setObjectName("relation")
        self.relation.setEditable(True)
        self.relation.addItems(
            [self.tr("户主"), self.tr("配偶"), self.tr("子女"), self.tr("父母"), self.tr("其他")]
        )
        self.status = combo(enum_choices(PersonStatus), "status")
        self.living_subsidy = QCheckBox(self.tr("享受困难残疾人生活补贴"))
        self.care_subsidy = QCheckBox(self.tr("享受重度残疾人护理补贴"))
        self.add_field("name", self.tr("姓名"), self.name)
        self.add_field("id_number", self.tr("身份证号"), self.id_number)
        self.form.addRow("", self.derived)
        self.add_field("category", self.tr("残疾类别"), self.category)
        self.add_field("level", self.tr("残疾等级"), self.level)
        self.add_field("cert_number", self.tr("残疾人证号"), self.cert)
        self.add_field("phone", self.tr("联系电话"), self.phone)
        self.add_field("relation", self.tr("与户主关系"), self.relation)
        self.add_field("status", self.tr("状态"), self.status)
        self.form.addRow("", self.living_subsidy)
        self.form.addRow("", self.care_subsidy)
        if person:
            self.name.setText(person.name)
            self.id_number.setText(person.id_number)
            select_data(self.category, person.category)
            select_data(self.level, person.level)
            self.cert.setText(person.cert_number)
            self.phone.setText(person.phone)
            self.relation.setCurrentText(person.relation)
            select_data(self.status, person.status)
            self.living_subsidy.setChecked(person.has_living_subsidy)
            self.care_subsidy.setChecked(person.has_care_subsidy)
        self.id_number.textChanged.connect(self._id_changed)
        self.cert.textChanged.connect(self._live_check)
        self.category.currentIndexChanged.connect(self._live_check)
        self.level.currentIndexChanged.connect(self._live_check)
        self.name.editingFinished.connect(lambda: self._live_check(fields={"name"}))
        self.phone.textChanged.connect(lambda _: self._live_check(fields={"phone"}))
        self.name.textChanged.connect(lambda _: self.show_errors({}, {"name"}))  # the server's rule, at once
        relation_edit = self.relation.lineEdit()
        if relation_edit is not None:
            self.check_while_typing("relation", relation_edit)
        self._id_changed()
        self.mark_clean()

    def data(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "id_number": self.id_number.text(),
            "category": self.category.currentData(),
            "level": self.level.currentData(),
            "cert_number": self.cert.text(),
            "phone": self.phone.text(),
            "relation": self.relation.currentText(),
            "status": self.status.currentData(),
            "has_living_subsidy": self.living_subsidy.isChecked(),
            "has_care_subsidy": self.care_subsidy.isChecked(),
        }

    def contract_message(self, name: str) -> str:
        if name == "id_number" and len(self.id_number.text().strip()) < 18:
            return ""  # a number being typed is judged once it is long enough to be wrong
        return super().contract_message(name)

    def _id_changed(self) -> None:
        text = self.id_number.text().strip()
        try:
            idn = parse_id_number(text)
        except InvalidIdNumber as exc:
            self.derived.setText("")
            # Judge a partly typed number only once it is long enough to be wrong.
            message = str(exc) if len(text) >= 18 else ""
            self.show_errors({"id_number": message}, {"id_number"})
            return
        self.derived.setText(
            self.tr("性别：%1　出生日期：%2")
            .replace("%1", enum_label(idn.gender))
            .replace("%2", idn.birth_date.isoformat())
        )
        self._live_check(fields={"id_number", "cert_number"})

    def _live_check(self, *_: object, fields: set[str] | None = None) -> None:
        errors = validate_person(self.data())
        shown = fields or {"cert_number", "category", "level"}
        if not self.cert.text().strip():
            shown -= {"category", "level"}
        if len(self.id_number.text().strip()) < 18:
            shown.discard("id_number")
        self.show_errors(errors, shown)

    def save(self) -> None:
        try:
            self.saved = self.ctx.registry.save_person(
                self.ctx.actor,
                self.household_id,
                self.data(),
                person_id=self.person.id if self.person else None,
            )
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            self.banner.setText(self.tr("有 %n 项需要修改，未保存", "", len(exc.errors)))
            first = next(iter(exc.errors))
            self.fields[first].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.accept()
