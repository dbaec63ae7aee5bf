"""``GET /health``: is the server up and can it reach its database."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from app.contract import protocol as p
from server.api.deps import SessionDep
from server.errors import ApiError
from server.sync_service import now_ms

router = APIRouter(tags=["health"])


@router.get("/health", response_model=p.HealthResponse)
def health(session: SessionDep) -> p.HealthResponse:
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means "not healthy"
        raise ApiError(503, "database_unavailable", "服务器无法连接数据库，请联系管理员") from exc
    dialect = session.get_bind().dialect.name
    return p.HealthResponse(status="ok", protocol=p.PROTOCOL_VERSION, database=dialect, server_time=now_ms())
