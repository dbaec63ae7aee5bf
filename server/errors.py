"""``ApiError``: an error with a code, an HTTP status and a Chinese message, sent as ``ErrorBody``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.contract import protocol as p

log = logging.getLogger("homevisit.server")


class ApiError(Exception):
    """Raised by routes and services; the handler turns it into ``{"error": {code, message}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        server_time: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.server_time = server_time
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    server_time: int | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = p.ErrorBody(error=p.ErrorDetail(code=code, message=message, server_time=server_time))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


_STATUS_MESSAGES = {
    404: (p.NOT_FOUND, "请求的地址不存在，请检查服务器地址"),
    405: ("method_not_allowed", "不支持这种请求方式"),
}


def install_handlers(app: FastAPI) -> None:
    """Every error leaves the server in the one shape of SYNC.md."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.server_time, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return error_response(
            422, p.INVALID, f"请求内容格式不正确（{where}：{first.get('msg', '')}），请升级客户端后重试"
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _STATUS_MESSAGES.get(exc.status_code, ("http_error", str(exc.detail)))
        return error_response(exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal", "服务器内部错误，请稍后重试；如反复出现请联系管理员")
