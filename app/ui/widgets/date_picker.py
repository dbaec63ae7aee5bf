"""A calendar button for a date typed in a line edit.

The caseworker may type ``2020/1/5``, ``2020-01-05``, ``2020.1.5`` or ``20200105``
(``app.forms.answer_values.parse_date`` reads them all, the same parser validation
uses) or pick the day in a calendar; either way the field ends up showing ISO
``2020-01-05``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QMenu, QToolButton, QWidget, QWidgetAction

from app.forms.answer_values import parse_date


class CalendarButton(QToolButton):
    """A "选择日期" button that drops a calendar down; ``chosen(iso)`` when a day is clicked."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendar_button")
        self.setText(self.tr("选择日期"))
        self.setToolTip(self.tr("在日历中选择日期"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("calendar")
        self.calendar.setLocale(QLocale())
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMaximumDate(QDate(2100, 12, 31))
        self.calendar.setMinimumDate(QDate(1900, 1, 1))
        self.calendar.clicked.connect(self._clicked)
        self.calendar.activated.connect(self._clicked)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._opening)
        self.setMenu(menu)
        self.current_text = lambda: ""  # the field's text, to open the calendar on its day

    def _opening(self) -> None:
        day = parse_date(self.current_text()) or dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _clicked(self, day: QDate) -> None:
        menu = self.menu()
        if menu is not None:
            menu.hide()
        self.chosen.emit(dt.date(day.year(), day.month(), day.day()).isoformat())

    def pick(self, day: dt.date) -> None:
        """Choose ``day`` as a click in the calendar would (tests)."""
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self._clicked(self.calendar.selectedDate())

    def keyPressEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Space):
            self.showMenu()
            return
        super().keyPressEvent(event)
