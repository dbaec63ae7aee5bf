"""The registry list as a Qt item model: 50,000 rows scroll because only visible cells are asked for."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.domain.enums import DisabilityCategory, DisabilityLevel, EconomicStatus, Gender
from app.domain.ids import mask_id_number
from app.domain.localtime import local_day
from app.domain.regions import UnknownRegion, default_catalog
from app.services.registry import PersonHit
from app.ui.labels import label_of

_Index = QModelIndex | QPersistentModelIndex


class PersonTableModel(QAbstractTableModel):
    """Rows of ``PersonHit``; ID and certificate numbers are always shown masked."""

    HIT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonHit] = []
        self._headers = [
            self.tr("姓名"),
            self.tr("性别"),
            self.tr("身份证号"),
            self.tr("残疾类别"),
            self.tr("等级"),
            self.tr("经济状况"),
            self.tr("村（社区）"),
            self.tr("住址"),
            self.tr("电话"),
            self.tr("最近访视"),
        ]
        self._region_names: dict[str, str] = {}

    def set_rows(self, rows: list[PersonHit]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def hit(self, row: int) -> PersonHit:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self._rows[index.row()]
        if role == self.HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 7:
            return hit.address
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column()
        if col == 0:
            return hit.name
        if col == 1:
            return label_of(Gender, hit.gender)
        if col == 2:
            return mask_id_number(hit.id_number)
        if col == 3:
            return label_of(DisabilityCategory, hit.category) if hit.category else ""
        if col == 4:
            return label_of(DisabilityLevel, hit.level) if hit.level else ""
        if col == 5:
            return label_of(EconomicStatus, hit.economic_status)
        if col == 6:
            return self._region_name(hit.region_code)
        if col == 7:
            return hit.address
        if col == 8:
            return hit.phone
        if col == 9:
            return local_day(hit.last_visit)
        return None

    def _region_name(self, code: str) -> str:
        if code not in self._region_names:
            try:
                self._region_names[code] = default_catalog().name(code)
            except UnknownRegion:
                self._region_names[code] = code
        return self._region_names[code]
