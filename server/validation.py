"""Validation of pushed changes: the contract's value rules, plus the rules that need the database.

``static_refusal`` runs the rules of ``app.contract.values`` (the ones the laptop runs when a
value is typed) and the wire format (clock, row id, the clock's device against the token's).
``BatchChecks`` adds what only the server knows: referenced rows exist and are in the user's
scope, and form answers fit their form version's questions. A refusal is
``Refusal(code, reason, message)``: ``code`` the protocol kind, ``reason`` the exact rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import tuple_
from sqlmodel import Session, select

from app.contract import protocol as p
from app.contract import values as v
from app.contract.answers import FormIndex, check_answer, index_form
from server.models import Record

_RECORDS = Record.__table__  # type: ignore[attr-defined]

DEVICE_MISMATCH = "device_mismatch"
REFERENCE_OUT_OF_SCOPE = "reference_out_of_scope"


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    reason: str
    message: str


def _invalid(error: v.FieldError) -> Refusal:
    return Refusal(p.INVALID, error.reason, error.message)


def static_refusal(ch: p.Change, device_id: str) -> Refusal | None:
    """What is wrong with a change on its own (no database), or ``None``."""
    if any("\x00" in t for t in (ch.tbl, ch.row_id, ch.field, ch.hlc, ch.base_hlc or "")):
        return Refusal(p.INVALID, v.CONTROL_CHARACTER, "内容含有不可见的控制字符（NUL），请删除后重新保存")
    error = v.check_clock(ch.hlc) or (v.check_clock(ch.base_hlc) if ch.base_hlc is not None else None)
    if error is None:
        error = v.check_row_id(ch.row_id) or v.check_field(ch.tbl, ch.field, ch.value)
    if error is not None:
        return _invalid(error)
    if device_id and ch.hlc.split("-", 2)[2] != device_id:
        # The clock names the device that made the edit; history takes the device from the token,
        # and a clock naming another device would let one laptop pass its edits off as another's.
        return Refusal(
            p.INVALID,
            DEVICE_MISMATCH,
            "更改的时钟属于另一台设备，服务器未接收；请在本机重新登录后同步",
        )
    return None


class FormCatalog:
    """Published form definitions (``resources/forms``), indexed by (form id, version) on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @lru_cache(maxsize=64)  # noqa: B019 (one catalogue per app; its cache lives as long)
    def index(self, form_id: str, version: int) -> FormIndex | None:
        if not self.folder.is_dir():
            return None
        for path in sorted(self.folder.glob("*.json")):
            try:
                definition = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if (
                str(definition.get("id", path.stem)) == form_id
                and int(definition.get("version", 1)) == version
            ):
                return index_form(definition)
        return None


_UNDER_PROJECT = ("renovationitem", "acceptance", "certificate", "projectevent")


def _chunks(keys: list[Any], size: int = 500) -> list[list[Any]]:
    return [keys[i : i + size] for i in range(0, len(keys), size)]


def _stored(rec: Any, name: str) -> Any:
    pair = rec.fields.get(name) if rec is not None else None
    return None if pair is None else pair[0]


class BatchChecks:
    """The database-backed rules for one batch: references and form answers.

    ``records`` are the batch's rows as loaded by the push (``None`` for a new row); the rows
    they reference are read in one query.
    """

    def __init__(
        self,
        session: Session,
        regions_ok: Any,
        changes: list[p.Change],
        records: dict[tuple[str, str], Any],
        forms: FormCatalog | None,
    ) -> None:
        self.in_scope = regions_ok
        self.records = records
        self.forms = forms
        self.batch_fields: dict[tuple[str, str], dict[str, Any]] = {}
        for ch in changes:
            self.batch_fields.setdefault((ch.tbl, ch.row_id), {})[ch.field] = ch.value
        wanted = {
            ref
            for ch in changes
            if (ref := self._reference(ch)) is not None
            and ref not in self.batch_fields
            and ref not in records
        }
        self.referenced: dict[tuple[str, str], str] = {}
        c = _RECORDS.c
        for part in _chunks(sorted(wanted)):
            query = select(c.tbl, c.row_id, c.region_code).where(tuple_(c.tbl, c.row_id).in_(part))
            for row in session.execute(query):
                self.referenced[(row.tbl, row.row_id)] = row.region_code
        # The workflow (server.workflow) needs the state of every project the batch touches.
        project_ids = {
            pid
            for (tbl, row_id), pushed in self.batch_fields.items()
            if tbl in _UNDER_PROJECT
            for pid in (pushed.get("project_id"), _stored(records.get((tbl, row_id)), "project_id"))
            if isinstance(pid, str) and pid and ("renovationproject", pid) not in records
        }
        self.projects: dict[str, dict[str, Any]] = {}
        for part in _chunks(sorted(project_ids)):
            query = select(c.row_id, c.fields).where(c.tbl == "renovationproject", c.row_id.in_(part))
            for row in session.execute(query):
                self.projects[row.row_id] = row.fields

    def _reference(self, ch: p.Change) -> tuple[str, str] | None:
        target = v.REFERENCES.get((ch.tbl, ch.field))
        if target is None and ch.tbl == "attachmentlink" and ch.field == "owner_id":
            key = (ch.tbl, ch.row_id)
            rec = self.records.get(key)
            owner = self.batch_fields.get(key, {}).get("owner_tbl")
            if owner is None and rec is not None:
                owner = (rec.fields.get("owner_tbl") or [None])[0]
            target = owner if isinstance(owner, str) else None
        if target is None or not isinstance(ch.value, str) or not ch.value:
            return None
        return (target, ch.value)

    def refusal(self, ch: p.Change) -> Refusal | None:
        ref = self._reference(ch)
        if ref is not None:
            return self._reference_refusal(ch, ref)
        if ch.tbl == "formresponse" and ch.field.startswith("answers.") and self.forms is not None:
            form = self._form_of(ch)
            if form is not None:
                error = check_answer(form, ch.field[len("answers.") :], ch.value)
                if error is not None:
                    return _invalid(error)
        return None

    def _reference_refusal(self, ch: p.Change, ref: tuple[str, str]) -> Refusal | None:
        existing = self.records.get(ref)
        if existing is not None:
            return None if self.in_scope(existing.region_code) else self._out_of_scope(ch)
        if ref in self.batch_fields:
            if isinstance(self.batch_fields[ref].get("region_code"), str):
                return None  # a new row written (and scope-checked) in this very batch
        elif ref in self.referenced:
            return None if self.in_scope(self.referenced[ref]) else self._out_of_scope(ch)
        return Refusal(
            p.INVALID,
            v.BAD_REFERENCE,
            f"“{ch.tbl}.{ch.field}”引用的记录在服务器上不存在，服务器未接收；请先同步被引用的记录",
        )

    @staticmethod
    def _out_of_scope(ch: p.Change) -> Refusal:
        return Refusal(
            p.OUT_OF_SCOPE,
            REFERENCE_OUT_OF_SCOPE,
            f"“{ch.tbl}.{ch.field}”引用了您负责地区以外的记录，服务器未接收",
        )

    def _form_of(self, ch: p.Change) -> FormIndex | None:
        key = (ch.tbl, ch.row_id)
        pushed = self.batch_fields.get(key, {})
        rec = self.records.get(key)
        stored = rec.fields if rec is not None else {}
        form_id = pushed.get("form_id", (stored.get("form_id") or [None])[0])
        version = pushed.get("form_version", (stored.get("form_version") or [None])[0])
        if not isinstance(form_id, str) or not isinstance(version, int) or isinstance(version, bool):
            return None
        return self.forms.index(form_id, version) if self.forms else None
