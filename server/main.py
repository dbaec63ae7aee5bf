"""The FastAPI application: ``create_app(settings)`` wires engine, store, middleware and routers."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from app.contract import protocol as p
from server import console
from server.api.routes import attachments, auth, certificates, forms, health, history, sync, users
from server.attachment_store import FolderAttachmentStore
from server.core.config import Settings
from server.core.db import make_engine, migrate
from server.errors import install_handlers
from server.middleware import ProtocolMiddleware
from server.throttle import LoginThrottle, RateLimit
from server.validation import FormCatalog


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready server: migrations run, attachment folder made; all state lives in these two."""
    settings = settings or Settings()
    engine = make_engine(settings)
    migrate(engine)
    app = FastAPI(
        title="HomeVisit server",
        version=str(p.PROTOCOL_VERSION),
        openapi_url="/openapi.json",
        # The interactive pages load their scripts from a CDN: off unless configured.
        docs_url="/docs" if settings.docs else None,
        redoc_url="/redoc" if settings.docs else None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.attachments = FolderAttachmentStore(settings.attachments_dir)
    app.state.forms = FormCatalog(settings.forms_dir)
    app.state.login_throttle = LoginThrottle()
    app.state.certificate_limiter = RateLimit(per_minute=settings.certificate_checks_per_minute)
    install_handlers(app)
    api = APIRouter(prefix=p.API_PREFIX)
    for module in (auth, sync, attachments, forms, certificates, health, history, users):
        api.include_router(module.router)
    app.include_router(api)
    console.install(app)
    # Order: the protocol middleware sees the raw request first; responses are gzipped on the way out.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(ProtocolMiddleware, settings=settings)
    return app
