"""Choose the forms of a new visit; the suggested ones come ticked."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.forms.definition import load_all_forms
from app.ui import form_text

FORM_ORDER = ("needs_assessment", "assistive_devices", "housing_condition", "housing_survey")


class FormChooser(QDialog):
    """Check boxes, one per form; ``chosen()`` in display order."""

    def __init__(self, person_name: str, suggested: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("开始访视"))
        forms = load_all_forms()
        order = [f for f in FORM_ORDER if f in forms] + sorted(set(forms) - set(FORM_ORDER))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("访视对象：%1\n请选择本次要填写的表单（已按登记信息勾选建议的表单）：").replace(
                "%1", person_name
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.boxes: dict[str, QCheckBox] = {}
        for form_id in order:
            form = forms[form_id]
            box = QCheckBox(
                form_text.form_title(form) + (self.tr("（建议）") if form_id in suggested else "")
            )
            box.setObjectName(f"form_{form_id}")
            box.setChecked(form_id in suggested)
            box.setToolTip(form.description)
            box.toggled.connect(self._update)
            self.boxes[form_id] = box
            layout.addWidget(box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开始"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self._update()

    def chosen(self) -> list[str]:
        return [f for f, box in self.boxes.items() if box.isChecked()]

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.chosen()))
