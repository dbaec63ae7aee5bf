"""Cascading region choosers: county → township → village (Quzhou's divisions)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from app.domain.regions import UnknownRegion, default_catalog

ROOT_CITY = "3308"  # 衢州市: the demo federation's city


class RegionPicker(QWidget):
    """Three linked combo boxes. ``code()`` is the most specific level chosen.

    With ``require_village`` the empty "全部" choices are left out below the county,
    so a household always gets a 12-digit code.
    """

    changed = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, allow_any: bool = True, root: str = ROOT_CITY
    ) -> None:
        super().__init__(parent)
        self.catalog = default_catalog()
        self.allow_any = allow_any
        self.root = root
        self.county = QComboBox()
        self.township = QComboBox()
        self.village = QComboBox()
        for box, name in ((self.county, "county"), (self.township, "township"), (self.village, "village")):
            box.setObjectName(name)
            box.setMinimumContentsLength(9)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.county)
        layout.addWidget(self.township)
        layout.addWidget(self.village)
        self._fill(self.county, self.root, self.tr("全部县区"))
        self.county.currentIndexChanged.connect(self._county_changed)
        self.township.currentIndexChanged.connect(self._township_changed)
        self.village.currentIndexChanged.connect(lambda _: self.changed.emit(self.code()))
        self._county_changed()

    def code(self) -> str:
        for box in (self.village, self.township, self.county):
            if box.currentData():
                return str(box.currentData())
        return ""

    def set_code(self, code: str) -> None:
        """Select the divisions on the path to ``code``."""
        try:
            path = [r.code for r in self.catalog.path(code)]
        except UnknownRegion:
            return
        for box in (self.county, self.township, self.village):
            for c in path:
                i = box.findData(c)
                if i >= 0:
                    box.setCurrentIndex(i)

    def _fill(self, box: QComboBox, parent: str | None, any_label: str) -> None:
        box.blockSignals(True)
        box.clear()
        if self.allow_any or parent is None:
            box.addItem(any_label, "")
        if parent:
            for region in self.catalog.children(parent):
                box.addItem(region.name, region.code)
        box.blockSignals(False)

    def _county_changed(self) -> None:
        self._fill(self.township, self.county.currentData() or None, self.tr("全部乡镇（街道）"))
        self._township_changed()

    def _township_changed(self) -> None:
        self._fill(self.village, self.township.currentData() or None, self.tr("全部村（社区）"))
        self.changed.emit(self.code())
