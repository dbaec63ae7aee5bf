"""What every console page shares: the template environment, the page answer, cookies, CSRF.

Cookies are HttpOnly and SameSite=Strict, and Secure unless the request came over
plain http to a loopback address (tests and the demo); the server itself is served
over HTTPS everywhere else (ARCHITECTURE.md).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.domain.enums import (
    DisabilityCategory,
    DisabilityLevel,
    PersonStatus,
    ProjectKind,
    ProjectStatus,
    Role,
    VisitStatus,
)
from app.domain.localtime import CHINA_TIME, local_minute
from app.domain.needs import NeedStatus, NeedType
from server.console.access import pages_for
from server.console.i18n import LANG_COOKIE, LANGS, language, translator

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
PREFIX = "/console"
PRE_CSRF_COOKIE = "hv_csrf"  # double-submit token for forms shown before sign-in
FORM_FIELD = "csrf"

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(), trim_blocks=True
)


def when(ts: float | None) -> str:
    """A server timestamp as Beijing time to the minute (the federations' zone), or empty."""
    if not ts:
        return ""
    return datetime.fromtimestamp(ts, UTC).astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")


_LABELS: dict[str, dict[str, str]] = {
    "role": dict(Role.choices()),
    "kind": dict(ProjectKind.choices()),
    "status": dict(ProjectStatus.choices()),
    "person_status": dict(PersonStatus.choices()),
    "visit_status": dict(VisitStatus.choices()),
    "category": dict(DisabilityCategory.choices()),
    "level": dict(DisabilityLevel.choices()),
    "need_type": dict(NeedType.choices()),
    "need_status": dict(NeedStatus.choices()),
}


def label(group: str, value: str) -> str:
    return _LABELS[group].get(value, value)


_env.filters["when"] = when
_env.filters["iso_when"] = lambda text: local_minute(str(text or ""), CHINA_TIME)  # a synced UTC text
# Audit details as people write them (Jinja's own ``tojson`` escapes every Chinese character).
_env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
_env.globals["label"] = label
_env.globals["prefix"] = PREFIX
_env.globals["roles"] = Role.choices()


def is_loopback_http(request: Request) -> bool:
    """Plain http from this machine (tests, demo): the only case a cookie may go without Secure."""
    if request.url.scheme == "https":
        return False
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=not is_loopback_http(request),
        samesite="strict",
    )


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def pre_csrf(request: Request) -> str:
    """The double-submit token of a visitor not signed in (made on first sight)."""
    token = request.cookies.get(PRE_CSRF_COOKIE) or getattr(request.state, "new_pre_csrf", None)
    if not token:
        token = request.state.new_pre_csrf = secrets.token_urlsafe(24)
    return token


def csrf_ok(expected: str | None, sent: str | None) -> bool:
    return bool(expected) and bool(sent) and hmac.compare_digest(str(expected), str(sent))


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """A page in the request's language; ``context`` may override the shared values."""
    lang = language(request)
    session = getattr(request.state, "console", None)
    values: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "langs": LANGS,
        "_": translator(lang),
        "me": session.user if session else None,
        "pages": [page.value for page in pages_for(session.user)] if session else [],
        "csrf": session.csrf if session else pre_csrf(request),
        "path": request.url.path,
    }
    values.update(context or {})
    html = _env.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status)
    finish(request, response)
    return response


def finish(request: Request, response: Response) -> None:
    """Cookies every answer may need: a new double-submit token, a language chosen by ``?lang=``."""
    new = getattr(request.state, "new_pre_csrf", None)
    if new:
        set_cookie(response, request, PRE_CSRF_COOKIE, new, None)
    asked = request.query_params.get("lang")
    if asked in LANGS and request.cookies.get(LANG_COOKIE) != asked:
        set_cookie(response, request, LANG_COOKIE, asked, 365 * 24 * 3600)


def redirect(request: Request, url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    finish(request, response)
    return response


def tr(request: Request, text: str, **values: object) -> str:
    """``text`` in the request's language (for messages made in routes)."""
    return translator(language(request))(text, **values)
