"""The console's own server-side tables: browser sessions, account flags, audit, visit reviews.

They are created with ``create_all`` when the console is installed (idempotent on
SQLite and PostgreSQL) instead of an Alembic revision, so the console adds no
migration head beside the API's; none of them is synced to laptops.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Engine
from sqlmodel import Field, SQLModel


class ConsoleSession(SQLModel, table=True):
    """A signed-in browser: only the SHA-256 of the cookie is stored, with the session's CSRF token."""

    __tablename__ = "console_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(index=True)
    csrf: str = Field(max_length=64)
    created_at: float = 0.0
    expires_at: float = 0.0
    ended_at: float | None = None


class AccountFlag(SQLModel, table=True):
    """An account whose password was reset: the one-time password must be changed at the next sign-in."""

    __tablename__ = "console_account_flags"

    user_id: int = Field(primary_key=True)
    must_change: bool = True
    set_at: float = 0.0


class ConsoleAudit(SQLModel, table=True):
    """One action taken in the console: who, what, on which user, device or record; append-only."""

    __tablename__ = "console_audit"

    id: int | None = Field(default=None, primary_key=True)
    at: float = Field(default=0.0, index=True)
    actor: str = Field(default="", index=True, max_length=100)
    action: str = Field(default="", index=True, max_length=40)
    target_user: str = Field(default="", index=True, max_length=100)
    device_id: str = Field(default="", index=True, max_length=64)
    record: str = Field(default="", index=True, max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    ip: str = Field(default="", max_length=64)


class VisitReview(SQLModel, table=True):
    """A supervisor's 通过 (approved) / 退回 (returned) of a completed visit, with a comment.

    Kept on the server (not yet a synced table: the laptop has no model for it), newest per
    visit is its current state; earlier ones stay as its history.
    """

    __tablename__ = "console_visit_reviews"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: str = Field(index=True, max_length=100)
    region_code: str = Field(default="", index=True, max_length=20)
    decision: str = Field(max_length=20)
    comment: str = ""
    reviewer: str = Field(default="", max_length=100)
    at: float = 0.0


CONSOLE_TABLES = [ConsoleSession, AccountFlag, ConsoleAudit, VisitReview]


def create_tables(engine: Engine) -> None:
    """Make the console's tables if they are missing (safe at every start)."""
    SQLModel.metadata.create_all(engine, tables=[t.__table__ for t in CONSOLE_TABLES])  # type: ignore[attr-defined]
