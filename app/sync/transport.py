"""HTTP to the sync server: gzip bodies, timeouts, retries with exponential backoff and jitter.

Network errors, 429 and 5xx are retried; every other answer is returned or
turned into a named ``SyncError``. Retrying a push is safe because a batch id
applied twice gets the stored answer.

``bytes_sent``/``bytes_received`` count what crosses the network: request and
status lines, headers and the (gzip) bodies as sent. ``body_bytes_received``
counts the bodies after decompression.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any

import requests

from app.contract import protocol as p
from app.contract.errors import (
    AuthRequired,
    ClockSkew,
    DeviceRevoked,
    NetworkError,
    ProtocolMismatch,
    SyncError,
)

log = logging.getLogger("homevisit.sync")

_AUTH_CODES = {p.TOKEN_INVALID, p.TOKEN_EXPIRED, p.TOKEN_REVOKED, p.LOGIN_FAILED}
_PROTOCOL_CODES = {p.PROTOCOL_MISSING, p.PROTOCOL_MISMATCH}


class Transport:
    """One server connection: base URL, bearer token and retry policy."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = (5.0, 60.0),
        retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self.http = requests.Session()
        self.protocol_version = p.PROTOCOL_VERSION
        self.bytes_sent = 0  # on the wire: request lines, headers, bodies as sent
        self.bytes_received = 0  # on the wire: status lines, headers, bodies as received (gzip)
        self.body_bytes_received = 0  # response bodies after decompression

    def close(self) -> None:
        self.http.close()

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {p.PROTOCOL_HEADER: str(self.protocol_version), "Accept-Encoding": "gzip"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def _wait(self, attempt: int, retry_after: str | None = None) -> None:
        delay = min(self.max_backoff, self.backoff * 2**attempt)
        if retry_after and retry_after.isdigit():
            delay = min(self.max_backoff, float(retry_after))
        self._sleep(delay * (0.5 + random.random() / 2))  # jitter: clients that failed together spread out

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        ok: tuple[int, ...] = (200,),
        parse_json: bool = True,
    ) -> requests.Response:
        """Send with retries; return the response if its status is in ``ok``, else raise ``SyncError``."""
        extra = dict(headers or {})
        if json_body is not None:
            data = gzip.compress(json.dumps(json_body, ensure_ascii=False).encode("utf-8"), compresslevel=5)
            extra.update({"Content-Type": "application/json", "Content-Encoding": "gzip"})
        url = f"{self.base_url}{p.API_PREFIX}{path}"
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                self._wait(attempt - 1, getattr(last, "retry_after", None))
            try:
                resp = self.http.request(
                    method, url, data=data, headers=self._headers(extra), params=params, timeout=self.timeout
                )
                if resp.status_code == 429 or resp.status_code >= 500:
                    last = _Retryable(f"HTTP {resp.status_code}", resp.headers.get("Retry-After"))
                    log.warning("retrying %s %s after HTTP %s", method, path, resp.status_code)
                    continue
                if resp.status_code in ok and parse_json and method != "HEAD" and not _framed(resp):
                    resp.json()  # a truncated body is a network fault: retry it
                self._count(resp, data)
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
                ValueError,
            ) as exc:
                last = exc
                log.warning("retrying %s %s after %s", method, path, type(exc).__name__)
                continue
            if resp.status_code in ok:
                return resp
            raise error_from(resp)
        raise NetworkError(f"无法连接同步服务器（{self.base_url}），请检查网络后重试", "network") from last

    def _count(self, resp: requests.Response, data: bytes | None) -> None:
        body = resp.content
        self.body_bytes_received += len(body)
        wire_body = resp.raw.tell() if resp.raw is not None else len(body)
        self.bytes_received += _status_and_headers(resp.raw) + (wire_body or len(body))
        sent = resp.request
        request_line = len(sent.method or "") + len(sent.path_url) + len(" HTTP/1.1\r\n") + 1
        self.bytes_sent += request_line + _header_bytes(sent.headers.items()) + len(data or b"")


def _framed(resp: requests.Response) -> bool:
    """Whether the body's end is marked (length or chunks): urllib3 then raises on a cut body.

    Only then can the body be trusted without parsing it; parsing a 3 MB pull
    page twice (here and in the caller) cost a tenth of a first pull.
    """
    headers = resp.headers
    return "Content-Length" in headers or "chunked" in headers.get("Transfer-Encoding", "").lower()


def _header_bytes(items: Any) -> int:
    return sum(len(str(k)) + len(str(v)) + 4 for k, v in items) + 2  # "k: v\r\n" each, blank line


def _status_and_headers(raw: Any) -> int:
    if raw is None:
        return 0
    return len(f"HTTP/1.1 {raw.status} {raw.reason or ''}\r\n") + _header_bytes(raw.headers.items())


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: str | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def error_from(resp: requests.Response) -> SyncError:
    """The named error for a refused request (``{"error": {code, message}}``)."""
    try:
        detail = resp.json()["error"]
        code, message = str(detail["code"]), str(detail["message"])
        server_time = detail.get("server_time")
    except (ValueError, KeyError, TypeError):
        code, message, server_time = (
            f"http_{resp.status_code}",
            f"服务器返回错误（HTTP {resp.status_code}）",
            None,
        )
    if code == p.CLOCK_SKEW and server_time is not None:
        return ClockSkew(message, int(server_time))
    if code == p.DEVICE_REVOKED:
        return DeviceRevoked(message)
    if code in _PROTOCOL_CODES or resp.status_code == 426:
        return ProtocolMismatch(message, code)
    if code in _AUTH_CODES or resp.status_code == 401:
        return AuthRequired(message, code)
    return SyncError(message, code)
