"""Certificate windows: preview with print and save, batch export with progress, verification."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QMarginsF, QRect, QSize, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.certificates.errors import ExportCancelled
from app.contract.certificate.verification import format_code
from app.domain.regions import default_catalog
from app.services.certificates import CertificateService, Verification
from app.ui import form_text
from app.ui.context import AppContext
from app.ui.widgets.job import CancellableJob, Cancelled, Progress

PRINT_DPI = 300


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of ``document`` onto ``printer`` (scaled to the printable area); returns pages."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("CertificateDialog", "无法连接打印机"))
    try:
        pages = document.pageCount()
        for index in range(pages):
            if index:
                printer.newPage()
            area = painter.viewport()
            points = document.pagePointSize(index)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            image = document.render(index, size)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
    finally:
        painter.end()
    return document.pageCount()


class CertificateDialog(QDialog):
    """Shows the issued PDF; 打印 sends its pages to a printer, 另存为 copies it."""

    def __init__(self, ctx: AppContext, serial: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.serial = serial
        self.service = CertificateService(ctx.store, ctx.settings)
        self.setWindowTitle(self.tr("验收单 %1").replace("%1", serial))
        self.resize(900, 720)
        self.document = QPdfDocument(self)
        # Loaded from memory: an encrypted profile's PDF is never written to disk decrypted.
        self.pdf = QBuffer(self)
        self.pdf.setData(self.service.pdf_bytes(serial))
        self.pdf.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self.pdf)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        cert = self.service.get(serial)
        info = QLabel(
            self.tr("编号 %1    校验码 %2    共 %3 页")
            .replace("%1", serial)
            .replace("%2", format_code(cert.verification_code))
            .replace("%3", str(self.document.pageCount()))
        )
        info.setObjectName("info")
        print_button = QPushButton(self.tr("打印…"))
        print_button.setObjectName("print")
        print_button.clicked.connect(self.print_dialog)
        save = QPushButton(self.tr("另存为 PDF…"))
        save.setObjectName("save")
        save.clicked.connect(self.save_dialog)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(info, 1)
        row.addWidget(print_button)
        row.addWidget(save)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print (or, with a PDF-format printer, write) every page; the print is audited like an export."""
        pages = print_pdf(self.document, printer)
        self.service.audit_export(
            self.ctx.actor, [self.serial], Path(printer.outputFileName() or "printer"), printed=True
        )
        return pages

    def save_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("保存验收单"),
            self.tr("验收单_%1.pdf").replace("%1", self.serial),
            self.tr("PDF 文件 (*.pdf)"),
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, out: Path) -> Path:
        path = self.service.save_pdf(self.serial, out)
        self.service.audit_export(self.ctx.actor, [self.serial], out)
        return path


def _months(back: int = 24) -> list[str]:
    today = date.today()
    out = []
    year, month = today.year, today.month
    for _ in range(back):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


class BatchExportDialog(QDialog):
    """Many certificates into one PDF, filtered by acceptance month and township; cancellable."""

    finished_export = Signal(object)  # count, or an exception

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = CertificateService(ctx.store, ctx.settings)
        self.job = CancellableJob(ctx.tasks, self, cancel_text=self.tr("取消导出"))
        self.job.busy_changed.connect(
            lambda busy: self.export_button.setEnabled(bool(self.serials) and not busy)
        )
        self.job.moved.connect(self._moved)
        self.progress, self.status, self.cancel_button = (
            self.job.progress,
            self.job.status,
            self.job.cancel_button,
        )
        self.setWindowTitle(self.tr("批量导出验收单"))
        self.resize(560, 260)
        self.month = QComboBox()
        self.month.setObjectName("month")
        self.month.addItem(self.tr("全部月份"), "")
        for m in _months():
            year, month = m.split("-")
            self.month.addItem(self.tr("%1年%2月").replace("%1", year).replace("%2", month), m)
        self.township = QComboBox()
        self.township.setObjectName("township")
        self.township.addItem(self.tr("全部乡镇（街道）"), "")
        catalog = default_catalog()
        for county in catalog.children("3308"):
            for town in catalog.children(county.code):
                self.township.addItem(f"{county.name} {town.name}", town.code)
        self.count = QLabel()
        self.count.setObjectName("count")
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.choose_file)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("验收月份"), self.month)
        form.addRow(self.tr("乡镇（街道）"), self.township)
        form.addRow(self.tr("符合条件"), self.count)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.month.currentIndexChanged.connect(lambda _: self.refresh())
        self.township.currentIndexChanged.connect(lambda _: self.refresh())
        self.serials: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        month, town, service = self.month.currentData() or "", self.township.currentData() or "", self.service

        def done(rows: list[Any]) -> None:
            self.serials = [r.serial for r in rows]
            self.count.setText(self.tr("%1 份验收单").replace("%1", str(len(rows))))
            self.export_button.setEnabled(bool(rows) and not self.job.running)

        self.ctx.tasks.run_db(lambda: service.list_certificates(month=month, region_prefix=town), done)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出到"), self.tr("验收单.pdf"), self.tr("PDF 文件 (*.pdf)")
        )
        if name:
            self.start(Path(name))

    def start(self, out: Path) -> None:
        """Export ``self.serials`` to ``out`` in the database worker."""
        serials, service, actor = list(self.serials), self.service, self.ctx.actor

        def work(progress: Progress, cancelled: Cancelled) -> int:
            count = service.export_batch(serials, out, progress=progress, cancelled=cancelled)
            service.audit_export(actor, serials, out)
            return count

        self.job.start(self.tr("正在导出…"), work, self._done, self._failed)

    def cancel(self) -> None:
        self.job.cancel()

    def _moved(self, done: int, total: int) -> None:
        if self.job.running:
            self.job.say(self.tr("已生成 %1/%2 份").replace("%1", str(done)).replace("%2", str(total)))

    def _done(self, count: int) -> None:
        self.job.say(self.tr("已导出 %1 份验收单").replace("%1", str(count)), "done")
        self.finished_export.emit(count)

    def _failed(self, exc: BaseException) -> None:
        cancelled = isinstance(exc, ExportCancelled)
        self.job.say(self.tr("已取消，未生成文件") if cancelled else str(exc), "" if cancelled else "error")
        self.finished_export.emit(exc)

    def reject(self) -> None:
        if self.job.running:
            self.cancel()
            return
        super().reject()


class VerifyDialog(QDialog):
    """Type the serial and code from a paper certificate; checked on this laptop and on the server."""

    checked = Signal(object)  # Verification

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = CertificateService(ctx.store, ctx.settings)
        self.setWindowTitle(self.tr("验证验收单"))
        self.resize(520, 260)
        self.serial = QLineEdit()
        self.serial.setObjectName("serial")
        self.serial.setPlaceholderText(self.tr("如 QZ07-2026-000123"))
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText(self.tr("12 位校验码，如 ABCD-EFGH-JKMN"))
        self.local = QLabel()
        self.local.setObjectName("local_result")
        self.local.setWordWrap(True)
        self.remote = QLabel()
        self.remote.setObjectName("remote_result")
        self.remote.setWordWrap(True)
        check = QPushButton(self.tr("验证"))
        check.setObjectName("check")
        check.setDefault(True)
        check.clicked.connect(self.check)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        form = QFormLayout()
        form.addRow(self.tr("验收单编号"), self.serial)
        form.addRow(self.tr("校验码"), self.code)
        form.addRow(self.tr("本机核对"), self.local)
        form.addRow(self.tr("服务器核对"), self.remote)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(check)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _show(self, label: QLabel, result: Verification | None) -> None:
        if result is None:
            label.setText(self.tr("未配置服务器，仅作本机核对"))
            label.setStyleSheet("color: #666;")
            return
        titles = {
            "genuine": self.tr("真实"),
            "unknown": self.tr("查无此单"),
            "tampered": self.tr("可能被篡改"),
            "error": self.tr("无法核对"),
        }
        colours = {"genuine": "#2e7d32", "unknown": "#e65100", "tampered": "#c62828", "error": "#666"}
        shown = (
            result.message
            if result.status == "error"
            else f"{titles[result.status]}{form_text.colon()}{result.message}"
        )
        label.setText(shown)
        label.setStyleSheet(f"color: {colours[result.status]}; font-weight: bold;")
        self.checked.emit(result)

    def check(self) -> None:
        serial, code, service = self.serial.text().strip(), self.code.text().strip(), self.service
        if not serial or not code:
            self.local.setText(self.tr("请填写验收单编号和校验码"))
            self.local.setStyleSheet("color: #c62828;")
            return
        self.local.setText(self.tr("核对中…"))
        self.remote.setText(self.tr("核对中…") if self.ctx.settings.server_url else "")
        self.ctx.tasks.run_db(lambda: service.verify_local(serial, code), lambda r: self._show(self.local, r))
        self.ctx.tasks.run_net(
            lambda: service.verify_remote(serial, code), lambda r: self._show(self.remote, r)
        )


__all__ = ["BatchExportDialog", "CertificateDialog", "VerifyDialog", "print_pdf"]
