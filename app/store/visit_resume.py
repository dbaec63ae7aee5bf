"""Where the user stopped in a draft visit: the form response, page and question last shown.

Local bookkeeping of this laptop (not a synced table): a draft reopened here opens where it
was left. Created on first use, like the sync quarantine, so it needs no store migration.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from app.store.row_ids import utc_now

TABLE = "visit_resume"
_DDL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "visit_id TEXT PRIMARY KEY, response_id TEXT NOT NULL, page_id TEXT NOT NULL, "
    "question_key TEXT NOT NULL DEFAULT '', saved_at TEXT NOT NULL)"
)


@dataclass(frozen=True)
class ResumePoint:
    """The response, page id and (optional) question key last shown for a visit."""

    response_id: str
    page_id: str
    question_key: str = ""


def save(engine: Engine, visit_id: str, point: ResumePoint) -> None:
    """Remember where ``visit_id`` was left (one small transaction)."""
    with engine.begin() as conn:
        conn.execute(text(_DDL))
        conn.execute(
            text(
                f"INSERT INTO {TABLE} (visit_id, response_id, page_id, question_key, saved_at) "
                "VALUES (:v, :r, :p, :q, :at) ON CONFLICT(visit_id) DO UPDATE SET "
                "response_id = excluded.response_id, page_id = excluded.page_id, "
                "question_key = excluded.question_key, saved_at = excluded.saved_at"
            ),
            {
                "v": visit_id,
                "r": point.response_id,
                "p": point.page_id,
                "q": point.question_key,
                "at": utc_now(),
            },
        )


def load(engine: Engine, visit_id: str) -> ResumePoint | None:
    """Where ``visit_id`` was left, or ``None`` (never opened here, or completed since)."""
    with engine.begin() as conn:
        conn.execute(text(_DDL))
        row = conn.execute(
            text(f"SELECT response_id, page_id, question_key FROM {TABLE} WHERE visit_id = :v"),
            {"v": visit_id},
        ).first()
    return ResumePoint(*row) if row else None


def forget(engine: Engine, visit_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(_DDL))
        conn.execute(text(f"DELETE FROM {TABLE} WHERE visit_id = :v"), {"v": visit_id})
