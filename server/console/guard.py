"""The checks at the top of every console route: signed in, allowed on this page, CSRF token sent.

A route calls ``require(request, db, page)`` (and passes ``csrf=`` for a form it
receives); the exceptions are turned into a redirect to sign-in or a refusal page
by the handlers ``install`` registers.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlmodel import Session

from server.console import sessions
from server.console.access import Page, may_open
from server.console.web import PREFIX, csrf_ok, redirect, render, tr


class NotSignedIn(Exception):
    """No live console session: go to the sign-in page."""


class MustChangePassword(Exception):
    """The password is a one-time one: change it first."""


class Refused(Exception):
    """Signed in, but this role or region may not have it (403)."""

    def __init__(self, message: str = "您的账号无权打开此页面") -> None:
        super().__init__(message)
        self.message = message


class CsrfRefused(Exception):
    """A form came without this session's token (403)."""


def require(
    request: Request, db: Session, page: Page | None, *, csrf: str | None = None, may_change: bool = False
) -> sessions.SignedIn:
    """The signed-in user, if ``page`` is theirs (and, for a form, its CSRF token right)."""
    signed = sessions.current(db, request)
    if signed is None:
        raise NotSignedIn()
    request.state.console = signed
    request.state.username = signed.user.username  # for the access log
    if csrf is not None and not csrf_ok(signed.csrf, csrf):
        raise CsrfRefused()
    if signed.must_change and not may_change:
        raise MustChangePassword()
    if page is not None and not may_open(signed.user, page):
        raise Refused()
    return signed


def install_handlers(app: FastAPI) -> None:
    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            # A partial update cannot follow a redirect to a whole page; reload it instead.
            return Response(status_code=204, headers={"HX-Redirect": f"{PREFIX}/login"})
        return redirect(request, f"{PREFIX}/login?next={quote(target)}")

    async def must_change(request: Request, _exc: Exception) -> Response:
        return redirect(request, f"{PREFIX}/password")

    async def refused(request: Request, exc: Exception) -> Response:
        message = exc.message if isinstance(exc, Refused) else "您的账号无权打开此页面"
        return render(request, "error.html", {"message": tr(request, message)}, status=403)

    async def csrf_refused(request: Request, _exc: Exception) -> Response:
        return render(request, "error.html", {"message": tr(request, "页面已过期，请刷新后重试")}, status=403)

    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(MustChangePassword, must_change)
    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(CsrfRefused, csrf_refused)
