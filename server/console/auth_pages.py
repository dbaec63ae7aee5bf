"""Sign-in, sign-out and the forced change of a one-time password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from server.api.deps import SessionDep
from server.console import sessions
from server.console.access import Page, pages_for
from server.console.audit import audit
from server.console.guard import CsrfRefused, require
from server.console.web import (
    PRE_CSRF_COOKIE,
    PREFIX,
    client_ip,
    csrf_ok,
    pre_csrf,
    redirect,
    render,
    set_cookie,
    tr,
)

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only a path inside the console (no open redirect to another site)."""
    return target if target.startswith(PREFIX + "/") and not target.startswith("//") else f"{PREFIX}/"


@router.get("/", include_in_schema=False)
def home(request: Request, db: SessionDep) -> Response:
    signed = require(request, db, None)
    pages = pages_for(signed.user)
    return redirect(request, f"{PREFIX}/{(pages[0] if pages else Page.DASHBOARD).value}")


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str = "") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": ""})


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    db: SessionDep,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if not csrf_ok(request.cookies.get(PRE_CSRF_COOKIE), csrf):
        raise CsrfRefused()
    try:
        signed = sessions.sign_in(db, username, password, client_ip(request))
    except sessions.Throttled as exc:
        error = tr(request, "登录尝试过多，请 {s} 秒后再试", s=exc.retry_after)
        return render(request, "login.html", {"next": _safe_next(next), "error": error}, status=429)
    if signed is None:
        error = tr(request, "用户名或密码错误")
        return render(request, "login.html", {"next": _safe_next(next), "error": error}, status=401)
    token, user = signed
    audit(db, request, user.username, "console_sign_in", target=user.username)
    db.commit()
    response = redirect(request, _safe_next(next))
    set_cookie(response, request, sessions.COOKIE, token, sessions.LIFETIME_S)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, db: SessionDep, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    signed = require(request, db, None, csrf=csrf, may_change=True)
    sessions.sign_out(db, signed)
    audit(db, request, signed.user.username, "console_sign_out", target=signed.user.username)
    db.commit()
    response = redirect(request, f"{PREFIX}/login")
    response.delete_cookie(sessions.COOKIE, path="/")
    pre_csrf(request)
    return response


@router.get("/password", include_in_schema=False)
def password_form(request: Request, db: SessionDep) -> Response:
    signed = require(request, db, None, may_change=True)
    return render(request, "password.html", {"forced": signed.must_change, "error": "", "done": False})


@router.post("/password", include_in_schema=False)
def change_password(
    request: Request,
    db: SessionDep,
    password: Annotated[str, Form(max_length=200)] = "",
    again: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    signed = require(request, db, None, csrf=csrf, may_change=True)
    problem = sessions.password_problem(signed.user, password, again)
    if problem:
        context = {"forced": signed.must_change, "error": tr(request, problem), "done": False}
        return render(request, "password.html", context, status=422)
    sessions.set_password(db, signed.user, password)
    audit(db, request, signed.user.username, "change_password", target=signed.user.username)
    db.commit()
    signed.must_change = False
    return render(request, "password.html", {"forced": False, "error": "", "done": True})
