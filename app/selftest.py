"""``homevisit --self-test``: prove an installed or bundled build works, without a window.

Everything happens in a temporary profile that is removed afterwards; the
user's own data folder is never opened. The checks, in order:

1. ``database``: a new profile is created and migrated to the latest schema;
   an older (v1) database is upgraded in place, with a backup made first and
   every old row still present afterwards.
2. ``record``: a household and a person are written through the unit of work
   and read back, by id and through the full-text search index (FTS5), in a
   plain profile and in an encrypted one (SQLCipher).
3. ``forms``: every form definition file (every version) loads and checks.
4. ``certificate``: a sample acceptance certificate renders to a PDF with the
   bundled Chinese font embedded.
5. ``qt``: Qt starts (offscreen unless ``QT_QPA_PLATFORM`` says otherwise),
   builds the main window with the Fusion style and round-trips a JPEG through
   the image-format plugins.

The outcome is one line on standard output (``HomeVisit self-test OK: …`` or
``HomeVisit self-test FAILED: <check>: <reason>``) and the exit code (0 or 1).
A windowed Windows build has no standard output, so the line is also written
to the file named by ``HOMEVISIT_SELFTEST_REPORT`` (or ``homevisit-selftest.txt``
in the temporary folder when there is no standard output at all).
``HOMEVISIT_SELFTEST_DB`` names an older database file to upgrade instead of
the v1 database the self-test makes itself (the upgrade test uses the real
fixture of the last released schema).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPORT_ENV = "HOMEVISIT_SELFTEST_REPORT"
OLD_DB_ENV = "HOMEVISIT_SELFTEST_DB"
SELFTEST_PERSON_ID = "11010519491231002X"  # fictitious, valid by checksum


class SelfTestFailure(RuntimeError):
    """One check found the installation broken; the message says what is wrong."""


@dataclass
class SelfTestResult:
    """What the self-test found: one short note per check that passed, or the failure."""

    notes: list[str] = field(default_factory=list)
    failed: str = ""
    reason: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        """The one-line summary printed at the end."""
        if self.ok:
            return f"HomeVisit self-test OK: {'; '.join(self.notes)} ({self.seconds:.1f} s)"
        return f"HomeVisit self-test FAILED: {self.failed}: {self.reason}"


# --- the checks ------------------------------------------------------------------------------


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every ordinary table of an SQLite file, keyed by table, sorted."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def missing_after_upgrade(old: Path, new: Path) -> list[str]:
    """Rows (and columns) of ``old`` that are not in ``new``: empty when nothing was lost.

    New columns added by an upgrade are ignored; each old row must appear with
    the same values in the columns the old file had.
    """
    lost: list[str] = []
    with (
        sqlite3.connect(f"file:{old}?mode=ro", uri=True) as o,
        sqlite3.connect(f"file:{new}?mode=ro", uri=True) as n,
    ):
        tables = [
            r[0]
            for r in o.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        for table in tables:
            cols = [r[1] for r in o.execute(f'PRAGMA table_info("{table}")')]
            new_cols = {r[1] for r in n.execute(f'PRAGMA table_info("{table}")')}
            if not new_cols:
                lost.append(f"table {table}")
                continue
            if gone := [c for c in cols if c not in new_cols]:
                lost.append(f"columns {table}.{','.join(gone)}")
                continue
            select = ", ".join(f'"{c}"' for c in cols)
            new_rows = {repr(r) for r in n.execute(f'SELECT {select} FROM "{table}"')}
            lost += [
                f"row {table} {r!r}"
                for r in o.execute(f'SELECT {select} FROM "{table}"')
                if repr(r) not in new_rows
            ]
    return lost


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, object]) -> None:
    """Insert ``values``; NOT NULL columns without a default get a zero value.

    The v1 step creates tables from today's models, which may hold columns a
    real v1 file lacks; filling them keeps this helper working as models grow.
    """
    row = dict(values)
    for _cid, name, ctype, notnull, default, pk in conn.execute(f'PRAGMA table_info("{table}")'):
        if notnull and default is None and not pk and name not in row:
            row[name] = 0 if ctype.upper() in ("BOOLEAN", "INTEGER", "FLOAT", "REAL") else ""
    cols = ", ".join(f'"{c}"' for c in row)
    conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(row))})', list(row.values()))


def _make_v1_database(home: Path) -> Path:
    """A database at schema v1 holding one household and one person, as an old laptop has."""
    from app.domain.pinyin import name_keys
    from app.store.db import make_engine
    from app.store.migrations import migrate

    db = home / "homevisit.db"
    engine = make_engine(db)
    migrate(engine, db, target=1)
    engine.dispose()
    pinyin, initials = name_keys("王芳")
    common = {"region_code": "330802001001", "created_at": "2026-01-01T00:00:00Z", "deleted": 0}
    common["updated_at"] = common["created_at"]
    with sqlite3.connect(db) as conn:
        _insert(
            conn,
            "household",
            {"id": "hh-v1", "address": "衢州市柯城区信安街道 12号", "economic_status": "dibao", **common},
        )
        _insert(
            conn,
            "person",
            {
                "id": "p-v1",
                "household_id": "hh-v1",
                "name": "王芳",
                "id_number": SELFTEST_PERSON_ID,
                "cert_number": SELFTEST_PERSON_ID + "42",
                "name_pinyin": pinyin,
                "name_initials": initials,
                **common,
            },
        )
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def check_database(tmp: Path) -> str:
    """A new profile reaches the latest schema; an old one upgrades with a backup and loses nothing."""
    from app.store.migrations import LATEST, schema_version
    from app.store.store import Store

    fresh = Store(tmp / "fresh")
    try:
        if schema_version(fresh.engine) != LATEST:
            raise SelfTestFailure(f"新建数据库版本为 {schema_version(fresh.engine)}，应为 {LATEST}")
    finally:
        fresh.close()

    old_home = tmp / "upgrade"
    old_home.mkdir()
    given = os.environ.get(OLD_DB_ENV)
    if given:
        shutil.copy(given, old_home / "homevisit.db")
        old_db = old_home / "homevisit.db"
    else:
        old_db = _make_v1_database(old_home)
    original = tmp / "original.db"
    shutil.copy(old_db, original)
    store = Store(old_home)
    try:
        m = store.migration
    finally:
        store.close()
    if m.from_version == m.to_version:
        return f"database v{LATEST} (given file already v{m.from_version})"
    if m.backup is None or not m.backup.is_file():
        raise SelfTestFailure(f"升级数据库 v{m.from_version}→v{m.to_version} 前没有生成备份")
    if table_rows(m.backup) != table_rows(original):
        raise SelfTestFailure(f"备份 {m.backup.name} 与升级前的数据库不一致")
    if lost := missing_after_upgrade(original, old_db):
        raise SelfTestFailure(f"升级后缺少数据：{'; '.join(lost[:3])}")
    return f"database v{LATEST}, upgrade v{m.from_version}->v{m.to_version} with backup, nothing lost"


def check_record(tmp: Path) -> str:
    """Write a household and a person through the unit of work; read them back and find them.

    Once in a plain profile and once in an encrypted one (SQLCipher under a
    random key), whose file must then hold neither the SQLite header nor the name.
    """
    from app.store.db import is_plain_sqlite

    _record_round_trip(tmp / "record", None)
    encrypted = tmp / "record-encrypted"
    _record_round_trip(encrypted, os.urandom(32))
    db = encrypted / "homevisit.db"
    if is_plain_sqlite(db) or "自检员".encode() in db.read_bytes():
        raise SelfTestFailure("加密数据库（SQLCipher）没有加密：文件里能读到明文")
    return "record written, read and found (FTS5), plain and SQLCipher"


def _record_round_trip(home: Path, key: bytes | None) -> None:
    from app.store.models import Household, Person
    from app.store.search import search_persons
    from app.store.store import Store

    store = Store(home, key)
    try:
        with store.unit_of_work("selftest") as uow:
            h = uow.add(
                Household(address="衢州市柯城区自检街道 1号", region_code="330802001001", head_name="自检户")
            )
            p = uow.add(
                Person(
                    household_id=h.id, name="自检员", id_number=SELFTEST_PERSON_ID, region_code="330802001001"
                )
            )
        with store.session() as s:
            got = s.get(Person, p.id)
            if got is None or got.name != "自检员":
                raise SelfTestFailure("写入的人员记录读不回来")
        hits = search_persons(store.engine, "自检街道")
        if [hit.name for hit in hits] != ["自检员"]:
            raise SelfTestFailure("全文检索（FTS5）找不到刚写入的记录")
    finally:
        store.close()


def check_forms(_tmp: Path) -> str:
    """Every form definition loads: the latest of each form and every older version."""
    from app.forms.definition import form_files, load_all_forms, load_form

    latest = load_all_forms()
    files = [path for versions in form_files().values() for path in versions.values()]
    for path in files:
        load_form(path)
    if not latest:
        raise SelfTestFailure("没有找到任何表单定义文件（resources/forms）")
    return f"{len(latest)} forms ({len(files)} files)"


def check_certificate(tmp: Path) -> str:
    """Render a sample certificate; the PDF must embed the Chinese font."""
    from app.certificates.render import render_certificate
    from app.certificates.sample import sample_certificate

    data = sample_certificate("lighting", tmp / "pictures", photos=1, signatures=2)
    out = tmp / "certificate.pdf"
    render_certificate(data, out)
    pdf = out.read_bytes()
    if not pdf.startswith(b"%PDF") or b"%%EOF" not in pdf[-1024:]:
        raise SelfTestFailure("验收单 PDF 文件不完整")
    # reportlab embeds subsets as /FontFile2 streams named "AAAAAA+WenQuanYiMicroHei-0".
    if b"/FontFile2" not in pdf or b"+WenQuanYiMicroHei" not in pdf:
        raise SelfTestFailure("验收单 PDF 没有嵌入中文字体")
    return f"certificate PDF {len(pdf) // 1024} kB"


def check_qt(tmp: Path) -> str:
    """Start Qt, build the main window on a fresh profile, round-trip a JPEG through the plugins."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.services.auth import AuthService
    from app.services.settings import Settings
    from app.store.store import Store
    from app.ui.context import AppContext
    from app.ui.main import build_main_window, make_application
    from app.ui.tasks import TaskRunner

    app = make_application("zh_CN")
    store = Store(tmp / "qt")
    tasks = TaskRunner()
    try:
        ctx = AppContext(store=store, settings=Settings(idle_lock_minutes=0), tasks=tasks)
        ctx.user = AuthService(store).create_user("selftest", "selftest1234", regions=["33"])
        window = build_main_window(ctx)
        app.processEvents()
        tasks.wait()
        app.processEvents()
        style = app.style().name()
        shot = window.grab()
        jpg = tmp / "window.jpg"
        if shot.isNull() or not shot.save(str(jpg), "JPG"):
            raise SelfTestFailure("Qt 无法保存 JPEG 图片（缺少 imageformats 插件）")
        if not shot.load(str(jpg)):
            raise SelfTestFailure("Qt 无法读取 JPEG 图片（缺少 imageformats 插件）")
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        tasks.wait()
        store.close()
    return f"Qt {app.platformName()} main window ({style})"


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("database", check_database),
    ("record", check_record),
    ("forms", check_forms),
    ("certificate", check_certificate),
    ("qt", check_qt),
]


# --- running and reporting ---------------------------------------------------------------------


def self_test(checks: list[tuple[str, Callable[[Path], str]]] | None = None) -> SelfTestResult:
    """Run the checks in a temporary folder; stop at the first failure."""
    result = SelfTestResult()
    start = time.perf_counter()
    # ignore_cleanup_errors: on Windows a Qt or SQLite handle may still be closing.
    with tempfile.TemporaryDirectory(prefix="homevisit-selftest-", ignore_cleanup_errors=True) as tmp:
        for name, check in checks or CHECKS:
            try:
                result.notes.append(check(Path(tmp)))
            except Exception as exc:  # a self-test reports any failure instead of crashing
                result.failed = name
                result.reason = f"{type(exc).__name__}: {exc}".replace("\n", " ")
                if sys.stderr is not None:
                    traceback.print_exc(file=sys.stderr)
                break
    result.seconds = time.perf_counter() - start
    return result


def _write_report(line: str) -> None:
    target = os.environ.get(REPORT_ENV)
    if not target and sys.stdout is None:
        target = str(Path(tempfile.gettempdir()) / "homevisit-selftest.txt")
    if target:
        Path(target).write_text(line + "\n", encoding="utf-8")


def run_self_test(home: Path | None = None) -> int:
    """The ``--self-test`` command: run every check, print one line, return the exit code.

    With ``home`` it checks that real profile instead (``app.services.profile_check``).
    """
    if home is not None:
        from app.services.profile_check import run_profile_check

        return run_profile_check(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = self_test()
    line = result.summary()
    if sys.stdout is not None:
        print(line, flush=True)
    _write_report(line)
    return 0 if result.ok else 1
