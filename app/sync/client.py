"""``SyncClient``: log in, and run one sync (SYNC.md's four steps) as a plain call.

The UI wraps ``sync()`` in a worker with a progress bar; tests and the command
line call it directly. Every step commits its own bookkeeping, so cancelling or
losing the network at any point leaves the database consistent, and the next
sync carries on where this one stopped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from sqlalchemy import delete, update
from sqlmodel import select

from app.contract import protocol as p
from app.contract.errors import AuthRequired, ClockSkew, SyncError
from app.contract.hlc import Timestamp
from app.contract.page import Page, parse_page
from app.domain.pinyin import name_keys
from app.store import field_clocks, models, sync_state
from app.store.accounts import remember_account
from app.store.read.attachments import live_attachment_ids
from app.store.row_ids import utc_now
from app.store.store import Store
from app.store.sync_state import StateKey
from app.store.writer import pending_change_count
from app.sync import merge, quarantine
from app.sync.transport import Transport

log = logging.getLogger("homevisit.sync")

Progress = Callable[[str, int, int], None]
Cancelled = Callable[[], bool]

BATCH_SIZE = 500
PAGE_SIZE = 2000  # rows per pull page: the protocol allows up to 2000
CHUNK_SIZE = 1 << 20


@dataclass
class LoginResult:
    """Who logged in, where, and until when."""

    username: str
    display_name: str
    role: str
    regions: list[str]
    device_id: str
    expires_at: str
    # An administrator reset the password: ask the user for a new one (``change_password``).
    must_change_password: bool = False


@dataclass
class SyncReport:
    """What one sync did; also saved as ``last_sync_report`` in sync_state."""

    pushed: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled_rows: int = 0
    quarantined: int = 0  # pulled rows this laptop could not store (app/sync/quarantine.py)
    audit_events: int = 0  # audit events the server received for the first time
    audit_chain_ok: bool = True  # the server found every uploaded event's seal right
    uploaded_files: int = 0
    downloaded_files: int = 0
    missing_files: int = 0
    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    clock_corrected_ms: int | None = None
    cancelled: bool = False
    started_at: str = ""
    finished_at: str = ""
    seconds: float = 0.0
    stages: list[str] = field(default_factory=list)


class SyncClient:
    """Talks to one server on behalf of one local profile (``Store``)."""

    def __init__(
        self,
        store: Store,
        base_url: str | None = None,
        token: str | None = None,
        *,
        transport: Transport | None = None,
        batch_size: int = BATCH_SIZE,
        page_size: int = PAGE_SIZE,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self.store = store
        url = base_url or store.get_state(StateKey.SERVER_URL)
        if not url:
            raise SyncError("尚未设置同步服务器地址", "no_server")
        self.transport = transport or Transport(url, token or store.get_state(StateKey.TOKEN) or None)
        self.batch_size = batch_size
        self.page_size = page_size
        self._pull_state: dict[str, str] | None = None  # the counts sent with each pull page
        self.chunk_size = chunk_size
        self._requests = 0

    # --- login ----------------------------------------------------------------

    def login(self, username: str, password: str, device_name: str = "") -> LoginResult:
        """Log in on the server; keep the token, and the password hash for offline login."""
        body = p.LoginRequest(
            username=username, password=password, device_name=device_name, device_id=self.store.device_id
        )
        resp = self.transport.request("POST", "/auth/login", json_body=body.model_dump())
        answer = p.LoginResponse.model_validate(resp.json())
        self.transport.token = answer.token
        user = answer.user
        scope = json.dumps(sorted(answer.regions))
        if self.store.get_state(StateKey.CURSOR_SCOPE) != scope:
            # A different scope sees different rows: start the pull from the beginning.
            self.store.set_state(StateKey.PULL_CURSOR, "0")
            self.store.set_state(StateKey.CURSOR_SCOPE, scope)
        for key, value in (
            (StateKey.SERVER_URL, self.transport.base_url),
            (StateKey.TOKEN, answer.token),
            (StateKey.TOKEN_EXPIRES_AT, answer.expires_at),
            (StateKey.USERNAME, user.username),
            (StateKey.SERVER_DEVICE_ID, answer.device_id),
            (StateKey.POLICY_MAX_IDLE_MINUTES, str(answer.max_idle_minutes or "")),
            (StateKey.MUST_CHANGE_PASSWORD, "1" if answer.must_change_password else ""),
        ):
            self.store.set_state(key, value)
        self._remember_user(user, password)
        return LoginResult(
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            regions=list(answer.regions),
            device_id=answer.device_id,
            expires_at=answer.expires_at,
            must_change_password=answer.must_change_password,
        )

    def change_password(self, current: str, new: str) -> None:
        """The signed-in user's new password, on the server and then for offline login here."""
        body = p.PasswordChangeRequest(password=current, new_password=new)
        self.transport.request("POST", "/auth/password", json_body=body.model_dump())
        user = self.transport.request("GET", "/auth/me")
        self._remember_user(p.UserInfo.model_validate(user.json()), new)
        self.store.set_state(StateKey.MUST_CHANGE_PASSWORD, "")

    def _remember_user(self, user: p.UserInfo, password: str) -> None:
        remember_account(
            self.store,
            user.username,
            password,
            role=user.role,
            regions=user.regions,
            display_name=user.display_name,
        )

    def logout(self) -> None:
        """Revoke this device's token on the server and forget it here."""
        try:
            self.transport.request("POST", "/auth/logout", json_body={})
        finally:
            self.store.set_state(StateKey.TOKEN, "")
            self.transport.token = None

    # --- sync -----------------------------------------------------------------

    def sync(self, progress: Progress | None = None, cancelled: Cancelled | None = None) -> SyncReport:
        """Upload attachments, push, pull, download attachments; record the outcome."""
        if not self.transport.token:
            raise AuthRequired("请先登录同步服务器", "token_invalid")
        report = SyncReport(started_at=utc_now())
        t0 = time.perf_counter()
        sent0, recv0 = self.transport.bytes_sent, self.transport.bytes_received
        notify = progress or (lambda _stage, _done, _total: None)
        stop = cancelled or (lambda: False)
        try:
            for stage, step in (
                ("upload", self._upload_attachments),
                ("push", self._push_all),
                ("audit", self._push_audit),
                ("pull", self._pull_all),
                ("download", self._download_attachments),
            ):
                if stop():
                    report.cancelled = True
                    break
                report.stages.append(stage)
                step(report, notify, stop)
        finally:
            report.finished_at = utc_now()
            report.seconds = round(time.perf_counter() - t0, 3)
            report.bytes_sent = self.transport.bytes_sent - sent0
            report.bytes_received = self.transport.bytes_received - recv0
            self.store.set_state(StateKey.LAST_SYNC_REPORT, json.dumps(asdict(report), ensure_ascii=False))
        if not report.cancelled:
            self.store.set_state(StateKey.LAST_SYNC_SUCCESS, report.finished_at)
        return report

    # --- step 1: attachments up ------------------------------------------------

    def _pending_attachments(self) -> list[str]:
        with self.store.session() as s:
            rows = s.exec(
                select(
                    models.Change.tbl, models.Change.row_id, models.Change.field, models.Change.value
                ).where(
                    models.Change.tbl.in_(("attachment", "attachmentlink"))  # type: ignore[attr-defined]
                )
            ).all()
        shas: dict[str, None] = {}
        for tbl, row_id, fld, value in rows:
            sha = row_id if tbl == "attachment" else (value if fld == "sha256" else None)
            if isinstance(sha, str) and len(sha) == 64 and self.store.files.has(sha):
                shas[sha] = None
        return list(shas)

    def _upload_attachments(self, report: SyncReport, notify: Progress, stop: Cancelled) -> None:
        shas = self._pending_attachments()
        for i, sha in enumerate(shas):
            if stop():
                report.cancelled = True
                return
            if self.upload(sha):
                report.uploaded_files += 1
            notify("upload", i + 1, len(shas))

    def upload(self, sha256: str) -> bool:
        """Upload one attachment, resuming after what the server holds; ``False`` if it had it all."""
        data = self.store.files.read(sha256)
        received, complete = self._server_holds(sha256)
        if complete or not data:
            return False
        while received < len(data):
            chunk = data[received : received + self.chunk_size]
            end = received + len(chunk) - 1
            try:
                resp = self.transport.request(
                    "PUT",
                    f"/attachments/{sha256}",
                    data=chunk,
                    headers={
                        "Content-Type": "application/octet-stream",
                        "Content-Range": f"bytes {received}-{end}/{len(data)}",
                    },
                )
            except SyncError as exc:
                if exc.code != p.RANGE_MISMATCH:
                    raise
                received, complete = self._server_holds(sha256)  # a retried chunk already landed
                if complete:
                    return True
                continue
            status = p.AttachmentStatus.model_validate(resp.json())
            if status.complete:
                return True
            received = status.received
        return True

    def _server_holds(self, sha256: str) -> tuple[int, bool]:
        resp = self.transport.request("HEAD", f"/attachments/{sha256}", ok=(200, 404), parse_json=False)
        return int(resp.headers.get("X-Received-Bytes", "0")), resp.headers.get("X-Complete") == "true"

    # --- step 2: push ----------------------------------------------------------

    def _next_batch(self) -> tuple[str, list[models.Change]] | None:
        """The batch to send: an unacknowledged one first (same id, same changes), else a new one."""
        with self.store.session() as s:
            inflight = s.exec(
                select(models.Change.batch_id)
                .where(models.Change.batch_id.is_not(None))  # type: ignore[union-attr]
                .order_by(models.Change.local_seq)
                .limit(1)
            ).first()
            if inflight is None:
                seqs = list(
                    s.exec(
                        select(models.Change.local_seq)
                        .where(models.Change.batch_id.is_(None))  # type: ignore[union-attr]
                        .order_by(models.Change.local_seq)
                        .limit(self.batch_size)
                    )
                )
                if not seqs:
                    return None
                inflight = uuid.uuid4().hex
                # Named before sending, so a crash and retry resend the very same batch.
                s.execute(
                    update(models.Change).where(models.Change.local_seq.in_(seqs)).values(batch_id=inflight)  # type: ignore[union-attr]
                )
                s.commit()
            changes = list(
                s.exec(
                    select(models.Change)
                    .where(models.Change.batch_id == inflight)
                    .order_by(models.Change.local_seq)
                )
            )
            return inflight, changes

    def _push_all(self, report: SyncReport, notify: Progress, stop: Cancelled) -> None:
        total = pending_change_count(self.store.engine)
        done = 0
        corrected = False
        while not stop():
            batch = self._next_batch()
            if batch is None:
                return
            batch_id, changes = batch
            body = p.PushRequest(
                batch_id=batch_id,
                changes=[
                    p.Change(
                        tbl=c.tbl,
                        row_id=c.row_id,
                        field=c.field,
                        value=c.value,
                        hlc=c.hlc,
                        base_hlc=c.base_hlc,
                    )
                    for c in changes
                ],
            )
            try:
                # What stays pending once this batch is acknowledged (the console shows it).
                state = self._state_headers(
                    pending=max(0, pending_change_count(self.store.engine) - len(changes))
                )
                resp = self.transport.request(
                    "POST", "/sync/push", json_body=body.model_dump(mode="json"), headers=state
                )
            except ClockSkew as exc:
                if corrected:
                    raise
                report.clock_corrected_ms = self.correct_clock(exc.server_time)
                corrected = True
                continue
            answer = p.PushResponse.model_validate(resp.json())
            self._acknowledge(changes, answer)
            report.pushed += answer.applied
            report.rejected += len(answer.rejected)
            report.conflicts += len(answer.conflicts)
            done += len(changes)
            notify("push", done, max(total, done))
        report.cancelled = True

    # --- step 2b: audit events up ----------------------------------------------------

    def _push_audit(self, report: SyncReport, notify: Progress, stop: Cancelled) -> None:
        """Seal the audit events written so far and upload those the server has not acknowledged yet.

        The server keeps each event once by (device, seq), so a retry after a lost answer is safe;
        the cursor moves only after an answer."""
        self.store.seal_audit()
        after = int(self.store.get_state(StateKey.AUDIT_SENT_SEQ) or 0)
        while not stop():
            events = self.store.sealed_audit_after(after, p.MAX_AUDIT_BATCH)
            if not events:
                return
            body = p.AuditUpload(
                events=[
                    p.DeviceAuditEvent(
                        seq=seq,
                        at=at,
                        actor=actor,
                        action=action,
                        tbl=tbl or "",
                        row_id=row_id or "",
                        detail=detail or "",
                        hash=seal,
                    )
                    for seq, at, actor, action, tbl, row_id, detail, seal in events
                ]
            )
            try:
                resp = self.transport.request("POST", "/sync/audit", json_body=body.model_dump(mode="json"))
            except SyncError as exc:
                if exc.code not in (p.NOT_FOUND, "http_404"):
                    raise
                # A server older than this laptop has no /sync/audit yet: the events wait, sealed, for one
                # that has (the rest of the sync goes on).
                log.warning(
                    "the server takes no audit events yet (%s); %d kept for later", exc.code, len(events)
                )
                return
            answer = p.AuditUploadResponse.model_validate(resp.json())
            after = events[-1][0]
            self.store.set_state(StateKey.AUDIT_SENT_SEQ, str(after))
            report.audit_events += answer.stored
            report.audit_chain_ok = report.audit_chain_ok and answer.chain_ok
            notify("audit", report.audit_events, report.audit_events)
        report.cancelled = True

    def _acknowledge(self, changes: list[models.Change], answer: p.PushResponse) -> None:
        """Drop acknowledged changes, keep rejected ones for review, store conflicts; one transaction."""
        rejected = {changes[r.index].local_seq: r for r in answer.rejected if 0 <= r.index < len(changes)}
        seqs = [c.local_seq for c in changes]
        now = utc_now()
        with self.store.session() as s:
            # Rejected ones are copied as they are in the database; then the whole batch goes
            # in one statement per 500 (a lookup and a delete per change took three quarters
            # of a first push).
            if rejected:
                kept = s.exec(select(models.Change).where(models.Change.local_seq.in_(list(rejected))))  # type: ignore[attr-defined]
                for row in kept:
                    refusal = rejected[row.local_seq]
                    s.add(
                        models.RejectedChange(
                            tbl=row.tbl,
                            row_id=row.row_id,
                            field=row.field,
                            value=row.value,
                            hlc=row.hlc,
                            base_hlc=row.base_hlc,
                            code=refusal.code,
                            reason=refusal.reason,  # the exact rule: the laptop translates by it
                            message=refusal.message,
                            rejected_at=now,
                        )
                    )
            for i in range(0, len(seqs), 500):
                s.execute(delete(models.Change).where(models.Change.local_seq.in_(seqs[i : i + 500])))  # type: ignore[attr-defined]
            for c in answer.conflicts:
                s.add(
                    models.Conflict(
                        tbl=c.tbl,
                        row_id=c.row_id,
                        field=c.field,
                        winner_value=c.winner_value,
                        winner_hlc=c.winner_hlc,
                        loser_value=c.loser_value,
                        loser_hlc=c.loser_hlc,
                        detected_at=now,
                    )
                )
            s.commit()

    def correct_clock(self, server_time: int) -> int:
        """Adopt the server's time and re-stamp unsent changes whose clocks ran ahead of it."""
        clock = self.store.clock
        offset = clock.correct(server_time)
        now = clock.now_ms()
        with self.store.session() as s:
            for change in s.exec(select(models.Change).order_by(models.Change.local_seq)):
                if Timestamp.decode(change.hlc).millis <= now:
                    continue
                fresh = clock.tick()
                field_clocks.move_clock(s, change.tbl, change.row_id, change.field, old=change.hlc, new=fresh)
                change.hlc = fresh
                s.add(change)
            sync_state.write(s, {StateKey.CLOCK_OFFSET_MS: offset, StateKey.HLC_LAST: clock.last})
            s.commit()
        return offset

    # --- step 3: pull ------------------------------------------------------------

    def _state_headers(self, pending: int | None = None) -> dict[str, str]:
        """This laptop's pending-change and quarantine counts, sent with pushes and pulls."""
        if pending is None:
            pending = pending_change_count(self.store.engine)
        return {
            p.PENDING_HEADER: str(pending),
            p.QUARANTINED_HEADER: str(quarantine.count_quarantined(self.store.engine)),
        }

    def _pull_all(self, report: SyncReport, notify: Progress, stop: Cancelled) -> None:
        cursor = int(self.store.get_state(StateKey.PULL_CURSOR) or 0)
        self._pull_state = self._state_headers()  # pulling adds no changes; quarantine is recounted below
        # The next page is fetched while this one merges: the server's query and gzip and the
        # wire overlap the local writes. Only the merge moves the cursor, so a page fetched
        # ahead and never merged (cancel, error) is simply fetched again next time.
        # No cyclic collection for the whole pull rather than per page: re-enabled between
        # pages, the collector walked every surviving object of the page once more; pages
        # make no cycles, so reference counting frees them all (measured in merge.paused_gc).
        with merge.paused_gc(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull") as ahead:
            coming = ahead.submit(self._fetch_page, cursor)
            name_keys("张三")  # loads the pinyin dictionaries (0.2 s) while the first page is on its way
            while True:
                if stop():
                    report.cancelled = True
                    return
                page = coming.result()
                if page.more:
                    coming = ahead.submit(self._fetch_page, page.next)
                self._merge_page(page, report)
                notify("pull", report.pulled_rows, report.pulled_rows + (self.page_size if page.more else 0))
                if not page.more:
                    return

    def _merge_page(self, page: Page, report: SyncReport) -> None:
        """Merge a page; if its data will not merge, row by row, quarantining the rows that fail."""
        engine, clock = self.store.engine, self.store.clock
        try:
            result = merge.apply_page(engine, clock, page.tables, page.next)
        except Exception as exc:
            if not quarantine.is_data_error(exc):
                raise
            cursor = int(self.store.get_state(StateKey.PULL_CURSOR) or 0)
            for one in quarantine.single_rows(page.tables):
                try:
                    result = merge.apply_page(engine, clock, one, cursor)  # the cursor stays until the end
                except Exception as row_exc:
                    if not quarantine.is_data_error(row_exc):
                        raise
                    quarantine.keep(engine, one[0], row_exc)
                    report.quarantined += 1
                    self._pull_state = self._state_headers()
                    continue
                report.pulled_rows += result.rows
                report.conflicts += result.conflicts
            merge.apply_page(engine, clock, [], page.next)
            self._report_quarantine()
            return
        report.pulled_rows += result.rows
        report.conflicts += result.conflicts

    def _report_quarantine(self) -> None:
        """Tell the server which rows this laptop could not store (best effort: retried next time)."""
        rows = quarantine.list_quarantined(self.store.engine, unreported_only=True)
        if not rows:
            return
        body = {
            "rows": [{"tbl": r.tbl, "row_id": r.row_id, "seq": r.seq, "error": r.error[:500]} for r in rows]
        }
        try:
            self.transport.request("POST", "/sync/quarantine", json_body=body)
        except SyncError:
            return
        quarantine.mark_reported(self.store.engine, [r.id for r in rows])

    def _fetch_page(self, cursor: int) -> Page:
        # The columnar layout: a first pull carries millions of fields, and in it a row this
        # laptop has never seen is stored without taking its fields apart (app/contract/page.py).
        # A server that does not know the layout answers in rows, which parse_page reads too.
        params = {"since": cursor, "limit": self.page_size, "layout": "columns"}
        state = self._pull_state or self._state_headers()
        resp = self.transport.request("GET", "/sync/pull", params=params, headers=state)
        with merge.paused_gc():
            return parse_page(resp.content)

    # --- step 4: attachments down ------------------------------------------------

    def _download_attachments(self, report: SyncReport, notify: Progress, stop: Cancelled) -> None:
        with self.store.session() as s:
            shas = [sha for sha in live_attachment_ids(s) if not self.store.files.has(sha)]
        for i, sha in enumerate(shas):
            if stop():
                report.cancelled = True
                return
            resp = self.transport.request("GET", f"/attachments/{sha}", ok=(200, 404, 403), parse_json=False)
            if resp.status_code != 200 or hashlib.sha256(resp.content).hexdigest() != sha:
                report.missing_files += 1
                continue
            self.store.files.put_bytes(resp.content)
            report.downloaded_files += 1
            notify("download", i + 1, len(shas))
