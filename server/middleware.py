"""ASGI middleware: protocol header check, request size limit, gzip request bodies, access log.

Written as plain ASGI so that an oversized or wrongly-versioned request is
answered before any route or database work starts.
"""

from __future__ import annotations

import json
import logging
import time
import zlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.contract import protocol as p
from server.core.config import Settings

log = logging.getLogger("homevisit.server.access")

# Paths a browser or monitor reaches without the app: health, docs, and the
# certificate check that a phone opens from a printed QR code.
_EXEMPT_PREFIXES = (
    f"{p.API_PREFIX}/health",
    f"{p.API_PREFIX}/certificates/",
    "/docs",
    "/openapi.json",
    "/redoc",
)


_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


def _with_security_headers(headers: list[tuple[bytes, bytes]], path: str) -> list[tuple[bytes, bytes]]:
    """Every answer: no content sniffing, no framing, no referrer; API answers (personal data) are never cached."""
    present = {k.lower() for k, _ in headers}
    out = list(headers) + [(k, v) for k, v in _SECURITY_HEADERS if k not in present]
    if path.startswith(p.API_PREFIX) and b"cache-control" not in present:
        out.append((b"cache-control", b"no-store"))
    return out


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ProtocolMiddleware:
    """Checks ``X-HomeVisit-Protocol``, limits and un-gzips request bodies, logs each request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    @property
    def max_body(self) -> int:
        return self.settings.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})  # shared with request.state, so routes can name the user for the log
        started = time.perf_counter()
        status_holder = {"status": 0}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message = {
                    **message,
                    "headers": _with_security_headers(message.get("headers") or [], scope["path"]),
                }
            await send(message)

        try:
            await self._handle(scope, receive, send_logged)
        finally:
            state = scope.get("state") or {}
            log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status_holder["status"],
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "user": state.get("username", ""),
                    }
                },
            )

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if path.startswith(p.API_PREFIX) and not path.startswith(_EXEMPT_PREFIXES):
            version = headers.get(p.PROTOCOL_HEADER.lower())
            if version is None:
                await _send_error(
                    send,
                    400,
                    p.PROTOCOL_MISSING,
                    f"请求缺少协议版本（{p.PROTOCOL_HEADER}），请使用 HomeVisit 客户端同步",
                )
                return
            if version.strip() != str(p.PROTOCOL_VERSION):
                await _send_error(
                    send,
                    426,
                    p.PROTOCOL_MISMATCH,
                    f"客户端协议版本 {version} 与服务器（{p.PROTOCOL_VERSION}）不一致，请升级 HomeVisit 后再同步",
                )
                return
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await self._too_large(send)
                return
        if headers.get("content-encoding", "").lower() == "gzip":
            try:
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                data = inflater.decompress(bytes(body), self.max_body + 1)
            except zlib.error:
                await _send_error(send, 400, p.INVALID, "请求内容的压缩格式损坏，请重试")
                return
            if len(data) > self.max_body or inflater.unconsumed_tail:
                await self._too_large(send)
                return
            body = bytearray(data)
            scope = dict(scope)
            scope["headers"] = [
                (k, v)
                for k, v in scope["headers"]
                if k.lower() not in (b"content-encoding", b"content-length")
            ] + [(b"content-length", str(len(body)).encode())]
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        mb = self.max_body / (1024 * 1024)
        await _send_error(
            send, 413, p.TOO_LARGE, f"请求内容超过服务器上限（{mb:.0f} MB），请分批同步或压缩附件后重试"
        )
