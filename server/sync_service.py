"""Push and pull (SYNC.md): field-level last-writer-wins with conflict records, region scope, seq cursor.

How seq values keep the pull cursor safe is ``server.seq``'s business. On
PostgreSQL a push locks the records it touches (``FOR UPDATE``, in key order, so
two pushes cannot deadlock) and pushes to different rows run and commit side by
side. Two pushes creating the same new row, or replaying one batch id, meet a
unique violation; the loser rolls back and runs again, and then sees the other's
row. SQLite serialises writers anyway: there the counter lock comes first.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_json
from sqlalchemy import ColumnElement, bindparam, insert, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.contract import protocol as p
from app.contract.hlc import Timestamp
from server import accounts, permissions, seq
from server.errors import ApiError
from server.fragments import fragment_columns
from server.models import PushBatch, Record, ServerConflict, ServerUser
from server.region_filter import within_any
from server.validation import BatchChecks, FormCatalog, static_refusal
from server.workflow import Workflow


def now_ms() -> int:
    return int(time.time() * 1000)


def in_scope(regions: list[str], region_code: str) -> bool:
    """SYNC.md's scope rule: a row belongs to the regions whose prefix its 12-digit code starts with.

    Only a code of exactly 12 ASCII digits belongs anywhere: full-width digits would be read as
    the same code by a lenient parser while the pull's prefix match never finds them.
    """
    if len(region_code) != 12 or not region_code.isascii() or not region_code.isdigit():
        return False
    return any(region_code.startswith(prefix) for prefix in regions)


def check_clocks(changes: list[p.Change], limit_ms: int) -> None:
    """Refuse the whole push if any clock runs too far ahead of the server's (a laptop set to 2031)."""
    server_time = now_ms()
    for ch in changes:
        for value in (ch.hlc, ch.base_hlc):
            if value is None:
                continue
            if not value.isascii():
                continue  # reported per change by validation
            try:
                ts = Timestamp.decode(value)
            except ValueError:
                continue  # reported per change by validation
            if ts.millis > server_time + limit_ms:
                raise ApiError(
                    409,
                    p.CLOCK_SKEW,
                    "本机时钟比服务器快了很多，请校正电脑的日期和时间（同步会自动纠正后重试）",
                    server_time=server_time,
                )


def _has_nul(text: str) -> bool:
    return "\x00" in text


@dataclass
class _Row:
    """A record as a push sees it: plain values, written back with one statement per kind."""

    id: int | None  # None: a new row
    tbl: str
    row_id: str
    region_code: str
    deleted: bool
    fields: dict[str, Any]


_RECORDS = Record.__table__  # type: ignore[attr-defined]
_BATCHES = PushBatch.__table__  # type: ignore[attr-defined]
_CONFLICTS = ServerConflict.__table__  # type: ignore[attr-defined]
_HISTORY_COLUMNS = (
    "at", "user_id", "username", "device_id", "batch_id", "tbl", "row_id", "region_code", "field", "action",
    "old_value", "old_hlc", "new_value", "new_hlc",
)  # fmt: skip


def _json(value: Any) -> str | None:
    """A value as the JSON text the ``JSON`` column holds (SQL NULL for none, as SQLAlchemy writes it)."""
    return None if value is None else to_json(value).decode()


class _Push:
    """The state of one push while it is applied.

    Core statements rather than ORM objects: a push of a few dozen fields spent a third
    of its server time in the ORM's flush (bench server, 200 devices).
    """

    def __init__(self, session: Session, user: ServerUser, batch_id: str, device_id: str = "") -> None:
        self.session = session
        self.user = user
        self.batch_id = batch_id
        self.device_id = device_id
        # ChangeHistory rows, written with the batch: (tbl, row_id, field, action, old, old hlc, new, new hlc)
        self.history: list[tuple[Any, ...]] = []
        self.records: dict[tuple[str, str], _Row | None] = {}
        self.touched: dict[tuple[str, str], _Row] = {}
        self.conflicts: list[p.ConflictInfo] = []

    def load_records(self, keys: list[tuple[str, str]]) -> None:
        """Load every existing record of the batch in one query, row-locked in key order.

        The order means two pushes touching the same rows cannot deadlock (PostgreSQL;
        SQLite has one writer at a time and renders no ``FOR UPDATE``).
        """
        wanted = sorted(set(keys))
        self.records.update(dict.fromkeys(wanted))
        if not wanted:
            return
        c = _RECORDS.c
        query = (
            select(c.id, c.tbl, c.row_id, c.region_code, c.deleted, c.fields)
            .where(tuple_(c.tbl, c.row_id).in_(wanted))
            .order_by(c.tbl, c.row_id)
            .with_for_update()
        )
        for row in self.session.execute(query):
            self.records[(row.tbl, row.row_id)] = _Row(*row)

    def row_verdicts(self, changes: list[p.Change]) -> dict[tuple[str, str], tuple[str, str] | None]:
        """Per row: ``None`` if the user may write it (region, then role), else (code, message)."""
        new_regions: dict[tuple[str, str], list[str]] = {}
        for ch in changes:
            # Only well-formed codes count; a malformed one is rejected on its own as invalid.
            if (
                ch.field == "region_code"
                and isinstance(ch.value, str)
                and len(ch.value) == 12
                and ch.value.isdigit()
            ):
                new_regions.setdefault((ch.tbl, ch.row_id), []).append(ch.value)
        verdicts: dict[tuple[str, str], tuple[str, str] | None] = {}
        for ch in changes:
            key = (ch.tbl, ch.row_id)
            if key in verdicts:
                continue
            rec = self.records[key]
            regions = ([rec.region_code] if rec and rec.region_code else []) + new_regions.get(key, [])
            if not regions:
                verdicts[key] = (p.INVALID, "新记录缺少区划代码（region_code），无法确定归属地区")
            elif not all(in_scope(self.user.regions, r) for r in regions):
                verdicts[key] = (
                    p.OUT_OF_SCOPE,
                    "该记录不在您负责的地区范围内，服务器未接收；请联系管理员调整地区权限",
                )
            elif not permissions.may_write(self.user.role, ch.tbl):
                verdicts[key] = (p.FORBIDDEN, permissions.forbidden_message(self.user.role, ch.tbl))
            else:
                verdicts[key] = None
        return verdicts

    def apply(self, ch: p.Change) -> None:
        key = (ch.tbl, ch.row_id)
        rec = self.records[key]
        if rec is None:
            rec = self.records[key] = _Row(None, ch.tbl, ch.row_id, "", False, {})
        current = rec.fields.get(ch.field)
        if current is None:
            self._set(rec, ch)
            return
        cur_value, cur_hlc = current
        if ch.hlc == cur_hlc:
            return  # this very change is already here
        if ch.base_hlc == cur_hlc and ch.hlc > cur_hlc:
            self._set(rec, ch)  # an ordinary edit of the value the user saw
            return
        # Concurrent edits: the higher clock wins, the other value is kept as a conflict.
        if ch.hlc > cur_hlc:
            self._set(rec, ch)
            if cur_value != ch.value:
                self._conflict(ch, ch.value, ch.hlc, cur_value, cur_hlc, "stored")
        elif cur_value != ch.value:
            self._conflict(ch, cur_value, cur_hlc, ch.value, ch.hlc, "pushed")

    def _set(self, rec: _Row, ch: p.Change) -> None:
        old = rec.fields.get(ch.field)
        if ch.field == "deleted" and ch.value is True:
            action = "delete"
        elif ch.field == "deleted" and old is not None and old[0] is True:
            action = "restore"
        else:
            action = "create" if rec.id is None else "update"
        if old is None:
            self.history.append((ch.tbl, ch.row_id, ch.field, action, None, None, ch.value, ch.hlc))
        else:
            self.history.append((ch.tbl, ch.row_id, ch.field, action, old[0], old[1], ch.value, ch.hlc))
        rec.fields[ch.field] = [ch.value, ch.hlc]  # loaded rows hold their own copy of the JSON
        if ch.field == "region_code":
            rec.region_code = ch.value
        elif ch.field == "deleted":
            rec.deleted = bool(ch.value)
        self.touched[(rec.tbl, rec.row_id)] = rec

    def _conflict(
        self, ch: p.Change, winner: Any, winner_hlc: str, loser: Any, loser_hlc: str, side: str
    ) -> None:
        self.conflicts.append(
            p.ConflictInfo(
                tbl=ch.tbl,
                row_id=ch.row_id,
                field=ch.field,
                winner_value=winner,
                winner_hlc=winner_hlc,
                loser_value=loser,
                loser_hlc=loser_hlc,
                loser=side,  # type: ignore[arg-type]
            )
        )

    def _write_history(self) -> None:
        """Append the batch's history rows in one driver-level statement.

        Who and which device come from the token, never from the clock. Plain tuples and JSON
        texts made here: through SQLAlchemy's insert, compiling parameters and its JSON type
        took more time than all the validation of a first push (bench sync, 42,124 changes).
        """
        conn = self.session.connection()
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        one = f"({', '.join([mark] * len(_HISTORY_COLUMNS))})"
        head = f"INSERT INTO change_history ({', '.join(_HISTORY_COLUMNS)}) VALUES "
        now, user, batch = time.time(), self.user, self.batch_id
        rows = []
        for tbl, row_id, name, action, old, old_hlc, new, new_hlc in self.history:
            region = self.touched[(tbl, row_id)].region_code
            rows.append(
                (now, user.id, user.username, self.device_id, batch, tbl, row_id, region, name, action,
                 _json(old), old_hlc, _json(new), new_hlc)
            )  # fmt: skip
        if conn.dialect.name != "postgresql":
            conn.exec_driver_sql(head + one, rows)
            return
        # PostgreSQL: COPY, the bulk path. Row-by-row executemany, even pipelined, cost as
        # much as the rest of the push, and one huge multi-row INSERT four times more.
        raw = conn.connection.dbapi_connection
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY change_history ({', '.join(_HISTORY_COLUMNS)}) FROM STDIN") as copy,
        ):  # type: ignore[union-attr]
            for r in rows:
                copy.write_row(r)

    def write(self, response: p.PushResponse) -> None:
        """Stamp and store the touched rows, the conflicts and the answer, one statement each."""
        session = self.session
        first = seq.allocate(session, len(self.touched)) if self.touched else 0
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for i, rec in enumerate(self.touched.values()):
            values = {
                "region_code": rec.region_code,
                "deleted": rec.deleted,
                "fields": rec.fields,
                "seq": first + i,
                **fragment_columns(rec.tbl, rec.fields, first + i),
            }
            if rec.id is None:
                new.append({"tbl": rec.tbl, "row_id": rec.row_id, **values})
            else:
                changed.append({"_id": rec.id, **values})
        if new:
            session.execute(insert(_RECORDS), new)
        if changed:
            session.execute(
                update(_RECORDS)
                .where(_RECORDS.c.id == bindparam("_id"))
                .values(
                    {
                        k: bindparam(k)
                        for k in ("region_code", "deleted", "fields", "seq", "wire_key", "wire", "lookup")
                    }
                ),
                changed,
            )
        if self.conflicts:
            now = time.time()
            session.execute(
                insert(_CONFLICTS),
                [
                    {
                        **c.model_dump(exclude={"loser"}),
                        "pushed_by": self.user.username,
                        "batch_id": self.batch_id,
                        "detected_at": now,
                    }
                    for c in self.conflicts
                ],
            )
        if self.history:
            self._write_history()
        session.execute(
            insert(_BATCHES).values(
                batch_id=self.batch_id,
                user_id=self.user.id,
                response=response.model_dump(mode="json"),
                created_at=time.time(),
            )
        )


PUSH_ATTEMPTS = 3


def push(
    *,
    session: Session,
    user: ServerUser,
    request: p.PushRequest,
    skew_limit_ms: int,
    device_id: str = "",
    forms: FormCatalog | None = None,
) -> p.PushResponse:
    """Apply a batch of changes in one transaction, or return the answer already given for it.

    ``device_id`` is the device the token was issued to: every clock must name it, and the
    history records it. ``forms`` lets answers be checked against their form version.
    """
    if _has_nul(request.batch_id):
        raise ApiError(422, p.INVALID, "批次编号含有不可见的控制字符，请升级客户端后重新同步")
    check_clocks(request.changes, skew_limit_ms)
    for attempt in range(PUSH_ATTEMPTS):
        try:
            return _push_once(session, user, request, device_id, forms)
        except IntegrityError:
            # A concurrent push created one of our new rows (or stored this batch) first.
            session.rollback()
            if attempt == PUSH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _push_once(
    session: Session, user: ServerUser, request: p.PushRequest, device_id: str, forms: FormCatalog | None
) -> p.PushResponse:
    seq.lock_counter(session)
    stored = session.execute(
        select(_BATCHES.c.user_id, _BATCHES.c.response).where(_BATCHES.c.batch_id == request.batch_id)
    ).first()
    if stored is not None:
        mine = stored.user_id == user.id  # before the rollback, which expires ``user``
        session.rollback()
        if not mine:
            raise ApiError(409, p.INVALID, "批次编号已被其他用户使用，请重新同步")
        return p.PushResponse.model_validate(stored.response)
    job = _Push(session, user, request.batch_id, device_id)
    rejected: list[p.Rejected] = []
    refusals = [static_refusal(ch, device_id) for ch in request.changes]
    valid = [ch for ch, r in zip(request.changes, refusals, strict=True) if r is None]
    # Only valid changes reach the database, even for the scope lookup.
    job.load_records([(ch.tbl, ch.row_id) for ch in valid])
    verdicts = job.row_verdicts(valid)
    checks = BatchChecks(session, lambda code: in_scope(user.regions, code), valid, job.records, forms)
    flow = Workflow(user.role, user.username, job.records, checks.batch_fields, checks.projects)
    applied = 0
    for index, (ch, refusal) in enumerate(zip(request.changes, refusals, strict=True)):
        if refusal is None:
            refusal = checks.refusal(ch)
        if refusal is not None:
            rejected.append(
                p.Rejected(index=index, code=refusal.code, message=refusal.message, reason=refusal.reason)
            )
            continue
        verdict = verdicts[(ch.tbl, ch.row_id)]
        if verdict is not None:
            rejected.append(p.Rejected(index=index, code=verdict[0], message=verdict[1], reason=verdict[0]))
        elif (refusal := flow.refusal(ch)) is not None:
            rejected.append(
                p.Rejected(index=index, code=refusal.code, message=refusal.message, reason=refusal.reason)
            )
        else:
            job.apply(ch)
            applied += 1
    response = p.PushResponse(
        batch_id=request.batch_id,
        applied=applied,
        rejected=rejected,
        conflicts=job.conflicts,
        server_time=now_ms(),
    )
    job.write(response)
    for project_id, old, new in flow.reopened:
        accounts.audit(
            session,
            actor=user.username,
            device_id=device_id,
            action="reopen_project",
            target=project_id,
            tbl="renovationproject",
            row_id=project_id,
            detail={"from": old, "to": new, "batch_id": request.batch_id},
        )
    session.commit()
    return response


def pullable(
    session: Session, user: ServerUser, since: int, regions: Sequence[str] | None = None
) -> list[ColumnElement[bool]]:
    """Conditions on ``Record`` for a pull: after ``since``, in the user's regions (or in ``regions``,
    a part of them the caller has checked), final (``server.seq``)."""
    scope = within_any(Record.region_code, user.regions if regions is None else regions)
    return [Record.seq > since, scope, *seq.visible(session)]  # type: ignore[list-item]


def pull(*, session: Session, user: ServerUser, since: int, limit: int) -> p.PullResponse:
    """Rows in the user's regions with ``seq > since``, oldest first."""
    rows = list(
        session.exec(
            select(Record)
            .where(*pullable(session, user, since))
            .order_by(Record.seq)  # type: ignore[arg-type]
            .limit(limit + 1)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return p.PullResponse(
        rows=[
            p.PulledRow(
                tbl=r.tbl, row_id=r.row_id, seq=r.seq, fields={k: (v[0], v[1]) for k, v in r.fields.items()}
            )
            for r in rows
        ],
        next=rows[-1].seq if rows else since,
        more=more,
        server_time=now_ms(),
    )
