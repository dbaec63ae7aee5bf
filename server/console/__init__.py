"""The federation's web console: server-rendered pages for supervisors and administrators.

``install(app)`` makes the console's tables, serves its vendored static files
(htmx, ECharts, its own CSS and script) and adds its pages under ``/console``,
plus the public certificate check at ``/check`` that printed QR codes lead to.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from server.console import (
    alerts,
    auth_pages,
    conflict_pages,
    dashboard_pages,
    facts,
    ledger_pages,
    people_pages,
    public_pages,
    review_pages,
    trail_pages,
    upload_pages,
)
from server.console.guard import install_handlers
from server.console.tables import create_tables
from server.console.web import PREFIX, STATIC_DIR


def install(app: FastAPI) -> None:
    create_tables(app.state.engine)
    alerts.use_forms(app.state.engine, app.state.settings.forms_dir)
    facts.warm_up(app.state.engine)
    install_handlers(app)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    console = APIRouter(prefix=PREFIX)
    for module in (
        auth_pages,
        dashboard_pages,
        people_pages,
        review_pages,
        conflict_pages,
        trail_pages,
        upload_pages,
        ledger_pages,
    ):
        console.include_router(module.router)
    app.include_router(console)
    app.include_router(public_pages.router)
