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
from typing import Any

from sqlalchemy import false, or_, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.domain.ids import InvalidIdNumber, parse_id_number
from app.domain.regions import InvalidRegionCode, covers
from app.sync import protocol as p
from app.sync.hlc import Timestamp
from app.sync.schema import SchemaError, check_value
from server import permissions, seq
from server.errors import ApiError
from server.models import PushBatch, Record, ServerConflict, ServerUser


def now_ms() -> int:
    return int(time.time() * 1000)


def in_scope(regions: list[str], region_code: str) -> bool:
    """SYNC.md's scope rule: a row belongs to the regions whose prefix its 12-digit code starts with."""
    if not region_code:
        return False
    try:
        return covers(regions, region_code)
    except InvalidRegionCode:
        return False


def check_clocks(changes: list[p.Change], limit_ms: int) -> None:
    """Refuse the whole push if any clock runs too far ahead of the server's (a laptop set to 2031)."""
    server_time = now_ms()
    for ch in changes:
        for value in (ch.hlc, ch.base_hlc):
            if value is None:
                continue
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


def _has_nul(value: Any) -> bool:
    """Whether a text anywhere in ``value`` holds a NUL character (PostgreSQL cannot store one)."""
    if isinstance(value, str):
        return "\x00" in value
    if value is None or isinstance(value, int | float):
        return False
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _validate(ch: p.Change) -> str | None:
    """The reason a change is not acceptable, or ``None``."""
    texts = (ch.tbl, ch.row_id, ch.field, ch.hlc, ch.base_hlc or "")
    if any("\x00" in t for t in texts) or _has_nul(ch.value):
        return "内容含有不可见的控制字符（NUL），请删除后重新保存"
    try:
        Timestamp.decode(ch.hlc)
        if ch.base_hlc is not None:
            Timestamp.decode(ch.base_hlc)
        check_value(ch.tbl, ch.field, ch.value)
    except (SchemaError, ValueError) as exc:
        return str(exc)
    if ch.tbl == "person" and ch.field == "id_number" and ch.value:
        try:
            parse_id_number(ch.value)
        except InvalidIdNumber as exc:
            return str(exc)
    if ch.field == "region_code" and (len(ch.value) != 12 or not ch.value.isdigit()):
        return f"区划代码“{ch.value}”应为12位村（社区）代码"
    return None


class _Push:
    """The state of one push while it is applied."""

    def __init__(self, session: Session, user: ServerUser, batch_id: str) -> None:
        self.session = session
        self.user = user
        self.batch_id = batch_id
        self.records: dict[tuple[str, str], Record | None] = {}
        self.touched: dict[tuple[str, str], Record] = {}
        self.fields: dict[tuple[str, str], dict[str, Any]] = {}  # touched rows' fields, written at stamp()
        self.conflicts: list[p.ConflictInfo] = []

    def lock_records(self, keys: list[tuple[str, str]]) -> None:
        """Load and row-lock every existing record of the batch in one query, in key order (PostgreSQL)."""
        wanted = sorted(set(keys))
        if not wanted:
            return
        self.records.update(dict.fromkeys(wanted))
        query = (
            select(Record)
            .where(tuple_(Record.tbl, Record.row_id).in_(wanted))
            .order_by(Record.tbl, Record.row_id)
            .with_for_update()
        )
        for rec in self.session.exec(query):
            self.records[(rec.tbl, rec.row_id)] = rec

    def record(self, tbl: str, row_id: str) -> Record | None:
        key = (tbl, row_id)
        if key not in self.records:
            self.records[key] = self.session.exec(
                select(Record).where(Record.tbl == tbl, Record.row_id == row_id)
            ).first()
        return self.records[key]

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
            rec = self.record(*key)
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
        rec = self.record(*key)
        if rec is None:
            rec = Record(tbl=ch.tbl, row_id=ch.row_id, region_code="", seq=0, deleted=False, fields={})
            self.records[key] = rec
        current = self.fields.get(key, rec.fields).get(ch.field)
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

    def _set(self, rec: Record, ch: p.Change) -> None:
        key = (rec.tbl, rec.row_id)
        if key not in self.touched:
            self.touched[key] = rec
            self.fields[key] = dict(rec.fields)
        self.fields[key][ch.field] = [ch.value, ch.hlc]
        if ch.field == "region_code":
            rec.region_code = ch.value
        elif ch.field == "deleted":
            rec.deleted = bool(ch.value)

    def _conflict(
        self, ch: p.Change, winner: Any, winner_hlc: str, loser: Any, loser_hlc: str, side: str
    ) -> None:
        info = p.ConflictInfo(
            tbl=ch.tbl,
            row_id=ch.row_id,
            field=ch.field,
            winner_value=winner,
            winner_hlc=winner_hlc,
            loser_value=loser,
            loser_hlc=loser_hlc,
            loser=side,  # type: ignore[arg-type]
        )
        self.conflicts.append(info)
        self.session.add(
            ServerConflict(
                tbl=ch.tbl,
                row_id=ch.row_id,
                field=ch.field,
                winner_value=winner,
                winner_hlc=winner_hlc,
                loser_value=loser,
                loser_hlc=loser_hlc,
                pushed_by=self.user.username,
                batch_id=self.batch_id,
                detected_at=time.time(),
            )
        )

    def stamp(self) -> None:
        """Give every touched row the next seq values, in the order they were touched."""
        n = len(self.touched)
        if not n:
            return
        first = seq.allocate(self.session, n)
        for i, (key, rec) in enumerate(self.touched.items()):
            rec.fields = self.fields[key]  # a new dict, so the JSON column is written
            rec.seq = first + i
            self.session.add(rec)


PUSH_ATTEMPTS = 3


def push(*, session: Session, user: ServerUser, request: p.PushRequest, skew_limit_ms: int) -> p.PushResponse:
    """Apply a batch of changes in one transaction, or return the answer already given for it."""
    if _has_nul(request.batch_id):
        raise ApiError(422, p.INVALID, "批次编号含有不可见的控制字符，请升级客户端后重新同步")
    check_clocks(request.changes, skew_limit_ms)
    for attempt in range(PUSH_ATTEMPTS):
        try:
            return _push_once(session, user, request)
        except IntegrityError:
            # A concurrent push created one of our new rows (or stored this batch) first.
            session.rollback()
            if attempt == PUSH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _push_once(session: Session, user: ServerUser, request: p.PushRequest) -> p.PushResponse:
    row_locks = session.get_bind().dialect.name == "postgresql"
    seq.lock_counter(session)
    stored = session.get(PushBatch, request.batch_id)
    if stored is not None:
        mine, answer = stored.user_id == user.id, stored.response
        session.rollback()
        if not mine:
            raise ApiError(409, p.INVALID, "批次编号已被其他用户使用，请重新同步")
        return p.PushResponse.model_validate(answer)
    job = _Push(session, user, request.batch_id)
    rejected: list[p.Rejected] = []
    reasons = [_validate(ch) for ch in request.changes]
    valid = [ch for ch, r in zip(request.changes, reasons, strict=True) if r is None]
    if row_locks:
        job.lock_records([(ch.tbl, ch.row_id) for ch in valid])
    # Only valid changes reach the database, even for the scope lookup.
    verdicts = job.row_verdicts(valid)
    applied = 0
    for index, (ch, reason) in enumerate(zip(request.changes, reasons, strict=True)):
        if reason is not None:
            rejected.append(p.Rejected(index=index, code=p.INVALID, message=reason))
            continue
        verdict = verdicts[(ch.tbl, ch.row_id)]
        if verdict is not None:
            rejected.append(p.Rejected(index=index, code=verdict[0], message=verdict[1]))
        else:
            job.apply(ch)
            applied += 1
    job.stamp()
    response = p.PushResponse(
        batch_id=request.batch_id,
        applied=applied,
        rejected=rejected,
        conflicts=job.conflicts,
        server_time=now_ms(),
    )
    session.add(
        PushBatch(
            batch_id=request.batch_id,
            user_id=user.id,  # type: ignore[arg-type]
            response=response.model_dump(mode="json"),
            created_at=time.time(),
        )
    )
    session.commit()
    return response


def pull(*, session: Session, user: ServerUser, since: int, limit: int) -> p.PullResponse:
    """Rows in the user's regions with ``seq > since``, oldest first."""
    scope = (
        or_(*[Record.region_code.startswith(prefix) for prefix in user.regions]) if user.regions else false()
    )  # type: ignore[union-attr]
    rows = list(
        session.exec(
            select(Record)
            .where(Record.seq > since, scope, *seq.visible(session))  # type: ignore[arg-type]
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
