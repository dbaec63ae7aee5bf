"""The one sync entry point the UI calls: log in, sync, and review what a sync left behind.

After Anki's ``Collection.sync_collection``: plain, typed calls that a test,
the command line and the UI's workers all use; the screens only show what
comes back. The UI never builds a ``SyncClient``, sends a request or reads
sync-state keys itself, so how a sync is run, how its outcome is recorded and
what counts as "pending" each live here once.

Every call here touches the database or the network: the UI runs them through
its task runner, never on the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

import requests
from sqlmodel import select

from app.contract import protocol
from app.contract.errors import AuthRequired, DeviceRevoked, NetworkError, SyncError
from app.services.duplicates import find_duplicate_persons, merge_persons
from app.services.forms_sync import receive_forms_quietly
from app.services.user_directory import receive_directory_quietly
from app.services.user_names import ClockWriter, UserNames
from app.services.wipe import DeviceWiped, destroy_keys
from app.store import models
from app.store.row_ids import utc_now
from app.store.store import Store
from app.store.sync_state import StateKey
from app.store.writer import pending_change_count
from app.sync import service as review
from app.sync.client import Cancelled, LoginResult, Progress, SyncClient, SyncReport
from app.sync.transport import Transport

__all__ = [
    "ConflictRow",
    "DuplicateRow",
    "LoginResult",
    "RejectedRow",
    "SyncFailure",
    "SyncReport",
    "SyncService",
    "SyncStatus",
]

HEALTH_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class SyncFailure:
    """The last sync that did not finish: when, what kind of problem, and the message.

    ``kind`` is one of ``network`` (no network or server unreachable), ``login``
    (login expired or revoked), ``server`` (the server refused, e.g. a
    certificate or protocol error) or ``other``.
    """

    at: str
    kind: str
    message: str


@dataclass(frozen=True)
class SyncStatus:
    """What the sync screen and the status bar show, read in one go."""

    server_url: str
    username: str
    bound: bool
    device_id: str
    pending: int
    last_success: str
    last_report: dict[str, Any] | None
    last_failure: SyncFailure | None
    rejected: int = 0  # changes the server refused, waiting to be fixed and resent or discarded
    user_name: str = ""  # the display name of ``username`` (its login when none is known)

    @property
    def last_failed(self) -> bool:
        """The most recent attempt failed (after the last success, if any)."""
        return self.last_failure is not None and self.last_failure.at >= self.last_success


@dataclass(frozen=True)
class ConflictRow:
    """One open conflict with the name of the record it is about (not only its table) and who wrote each value."""

    id: str
    tbl: str
    record: str
    field: str
    winner_value: object
    winner_by: ClockWriter  # who wrote each value and when (``UserNames.writer`` of its clock)
    loser_value: object
    loser_by: ClockWriter


@dataclass(frozen=True)
class RejectedRow:
    """A change the server refused, kept here until resent or given up."""

    id: str
    tbl: str
    record: str
    field: str
    value: object
    message: str
    rejected_at: str
    code: str = ""  # the server's reason code (app.contract.values / the workflow), for translation
    row_id: str = ""


@dataclass(frozen=True)
class QuarantinedRow:
    """A pulled row this laptop could not store: what arrived and why (app.sync.quarantine)."""

    id: int
    tbl: str
    row_id: str
    received: dict[str, Any]
    error: str
    quarantined_at: str
    reported: bool


@dataclass(frozen=True)
class DuplicateRow:
    """One registration of a person registered twice; ``keep`` marks the one a merge keeps."""

    id_number: str
    person_id: str
    name: str
    address: str
    created_at: str
    keep: bool


def failure_kind(error: BaseException) -> str:
    """The kind of a sync failure, for the status line's first words."""
    if isinstance(error, NetworkError):
        return "network"
    if isinstance(error, AuthRequired):
        return "login"
    if isinstance(error, SyncError):
        return "server"
    if isinstance(error, requests.RequestException | OSError):
        return "network"
    return "other"


class SyncService:
    """Sync use cases over one local profile."""

    def __init__(self, store: Store, *, retries: int | None = None) -> None:
        self.store = store
        self.retries = retries  # None: the transport's own policy; tests pass 0 to fail at once

    def _client(self, server_url: str | None = None) -> SyncClient:
        if self.retries is None:
            return SyncClient(self.store, server_url)
        url = server_url or self.store.get_state(StateKey.SERVER_URL)
        if not url:
            raise SyncError("尚未设置同步服务器地址", "no_server")
        transport = Transport(url, self.store.get_state(StateKey.TOKEN) or None, retries=self.retries)
        return SyncClient(self.store, url, transport=transport)

    # -- state --------------------------------------------------------------------

    def status(self) -> SyncStatus:
        get = self.store.get_state
        report = get(StateKey.LAST_SYNC_REPORT)
        failure = get(StateKey.LAST_SYNC_FAILURE)
        username = get(StateKey.USERNAME)
        return SyncStatus(
            server_url=get(StateKey.SERVER_URL),
            username=username,
            bound=bool(get(StateKey.TOKEN)),
            device_id=get(StateKey.SERVER_DEVICE_ID) or self.store.device_id,
            pending=pending_change_count(self.store.engine),
            last_success=get(StateKey.LAST_SYNC_SUCCESS),
            last_report=json.loads(report) if report else None,
            last_failure=SyncFailure(**json.loads(failure)) if failure else None,
            rejected=self.rejected_count(),
            user_name=UserNames.load(self.store)(username) if username else "",
        )

    def rejected_count(self) -> int:
        """How many refused changes wait here (the status bar shows it beside 待同步)."""
        from sqlalchemy import func

        with self.store.session() as s:
            return int(s.exec(select(func.count()).select_from(models.RejectedChange)).one())

    def pending_count(self) -> int:
        """Changes not yet acknowledged by the server (the one count the UI shows)."""
        return pending_change_count(self.store.engine)

    def is_bound(self) -> bool:
        return bool(self.store.get_state(StateKey.TOKEN))

    # -- login and sync ---------------------------------------------------------------

    def login(self, server_url: str, username: str, password: str) -> LoginResult:
        """Log in on ``server_url``; binds this laptop (token kept, account remembered offline)."""
        client = self._client(server_url)
        return client.login(username, password, device_name=f"HomeVisit {self.store.device_id}")

    def change_password(self, current: str, new: str) -> None:
        """The signed-in user's own new password (asked for when the server says it was reset)."""
        self._client().change_password(current, new)

    def sync(self, progress: Progress | None = None, cancelled: Cancelled | None = None) -> SyncReport:
        """One sync; a failure is recorded with its reason (the status line shows it) and raised."""
        client = self._client()
        try:
            report = client.sync(progress=progress, cancelled=cancelled)
        except DeviceRevoked as exc:
            # A lost laptop: the keys go at once (safe while connections are open); the UI then closes the
            # profile and deletes its files (app.services.wipe).
            destroy_keys(self.store.home)
            raise DeviceWiped() from exc
        except BaseException as exc:
            message = exc.message if isinstance(exc, SyncError) else str(exc)
            failure = SyncFailure(at=utc_now(), kind=failure_kind(exc), message=message)
            self.store.set_state(StateKey.LAST_SYNC_FAILURE, json.dumps(failure.__dict__, ensure_ascii=False))
            raise
        if not report.cancelled:
            self.store.set_state(StateKey.LAST_SYNC_FAILURE, "")
            receive_forms_quietly(client)
            receive_directory_quietly(client)
            self.tidy_scope()
        return report

    def tidy_scope(self) -> dict[str, int]:
        """After a sync: the reader's regions as the server last said, and rows nobody here covers removed
        (what was just pushed is no longer unsynced, so it may go now)."""
        reader = self.store.refresh_viewer()
        return self.store.purge_uncovered(reader or self.store.get_state(StateKey.USERNAME) or "system")

    def server_reachable(self) -> bool:
        """The bound server answers its health check (auto-sync asks before it starts)."""
        url = self.store.get_state(StateKey.SERVER_URL)
        if not url:
            return False
        try:
            return requests.get(f"{url}{protocol.API_PREFIX}/health", timeout=HEALTH_TIMEOUT_S).ok
        except requests.RequestException:
            return False

    # -- conflicts ------------------------------------------------------------------------

    def conflicts(self) -> list[ConflictRow]:
        """Open conflicts, newest first, each with the name of its record."""
        rows = review.list_conflicts(self.store)
        names = self._record_names([(c.tbl, c.row_id) for c in rows])
        users = UserNames.load(self.store)
        return [
            ConflictRow(
                c.id,
                c.tbl,
                names.get((c.tbl, c.row_id), ""),
                c.field,
                c.winner_value,
                users.writer(c.winner_hlc),
                c.loser_value,
                users.writer(c.loser_hlc),
            )
            for c in rows
        ]

    def resolve(self, conflict_ids: list[str], keep: Literal["current", "other"], *, actor: str) -> int:
        """Close conflicts, keeping the current value or taking the other one as a new edit."""
        for conflict_id in conflict_ids:
            review.resolve_conflict(self.store, conflict_id, keep, actor=actor)
        return len(conflict_ids)

    # -- rejected changes ----------------------------------------------------------------

    def rejected(self) -> list[RejectedRow]:
        rows = review.list_rejected(self.store)
        names = self._record_names([(r.tbl, r.row_id) for r in rows])
        return [
            RejectedRow(
                r.id,
                r.tbl,
                names.get((r.tbl, r.row_id), ""),
                r.field,
                r.value,
                r.message,
                r.rejected_at,
                r.reason or r.code,
                r.row_id,
            )
            for r in rows
        ]

    def rejected_for(self, tbl: str, row_ids: list[str]) -> list[RejectedRow]:
        """Refused changes of these records (a record's page shows them in a banner)."""
        wanted = set(row_ids)
        return [r for r in self.rejected() if r.tbl == tbl and r.row_id in wanted]

    def quarantined(self) -> list[QuarantinedRow]:
        """Pulled rows kept aside because they could not be stored (shown on the sync screen)."""
        from app.sync import quarantine

        return [
            QuarantinedRow(q.id, q.tbl, q.row_id, q.received, q.error, q.quarantined_at, q.reported)
            for q in quarantine.list_quarantined(self.store.engine)
        ]

    def retry(self, ids: list[str]) -> int:
        return review.retry_rejected(self.store, ids)

    def discard(self, ids: list[str], reason: str = "", *, actor: str = "") -> int:
        """Give up refused changes; the reason is recorded in the audit log, one entry per change."""
        if reason.strip() and actor:
            from app.store import audit

            with self.store.session() as s:
                for rc in s.exec(select(models.RejectedChange).where(models.RejectedChange.id.in_(ids))):  # type: ignore[attr-defined]
                    audit.record(
                        s, actor, "discard_rejected", rc.tbl, rc.row_id, f"{rc.field}: {reason.strip()}"
                    )
                s.commit()
        return review.discard_rejected(self.store, ids)

    # -- duplicate registrations ------------------------------------------------------------

    def duplicates(self) -> list[DuplicateRow]:
        """Every registration of every person registered more than once, the one to keep first."""
        out: list[DuplicateRow] = []
        with self.store.session() as s:
            for group in find_duplicate_persons(self.store):
                for i, person_id in enumerate(group.person_ids):
                    person = s.get(models.Person, person_id)
                    if person is None:
                        continue
                    household = s.get(models.Household, person.household_id)
                    out.append(
                        DuplicateRow(
                            group.id_number,
                            person.id,
                            person.name,
                            household.address if household else "",
                            person.created_at,
                            i == 0,
                        )
                    )
        return out

    def merge_duplicates(self, id_numbers: list[str], *, actor: str) -> int:
        """Merge each chosen group into its oldest registration; returns how many groups merged."""
        groups = [g for g in find_duplicate_persons(self.store) if g.id_number in id_numbers]
        for group in groups:
            keep, *drops = group.person_ids
            for drop in drops:
                merge_persons(self.store, keep, drop, actor=actor)
        return len(groups)

    # -- helpers ----------------------------------------------------------------------

    def _record_names(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """A person's name or a household's head and address, for the rows of a review table."""
        wanted: dict[str, set[str]] = {}
        for tbl, row_id in keys:
            wanted.setdefault(tbl, set()).add(row_id)
        names: dict[tuple[str, str], str] = {}
        with self.store.session() as s:
            if wanted.get("person"):
                query = select(models.Person).where(models.Person.id.in_(wanted["person"]))  # type: ignore[attr-defined]
                for p in s.exec(query):
                    names[("person", p.id)] = p.name
            if wanted.get("household"):
                query = select(models.Household).where(models.Household.id.in_(wanted["household"]))  # type: ignore[attr-defined]
                for h in s.exec(query):
                    names[("household", h.id)] = " ".join(filter(None, [h.head_name, h.address]))
        return names
