"""Server settings (pydantic-settings): environment ``HOMEVISIT_SERVER_*`` or the command line."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"


class Settings(BaseSettings):
    """Everything the server needs to know; no other state lives outside the database and attachment store."""

    model_config = SettingsConfigDict(env_prefix="HOMEVISIT_SERVER_")

    data_dir: Path = Path("server-data")
    # Empty means an SQLite file in ``data_dir``; PostgreSQL is ``postgresql+psycopg://…``.
    database_url: str = ""
    token_lifetime_s: int = 30 * 24 * 3600
    max_request_bytes: int = 16 * 1024 * 1024
    max_attachment_bytes: int = 64 * 1024 * 1024  # a declared upload size above this is refused
    # The interactive API docs (/docs, /redoc) are off unless asked for: they load scripts from a CDN.
    docs: bool = False
    certificate_checks_per_minute: int = 30  # per address: the public check page is anonymous
    clock_skew_limit_ms: int = 10 * 60 * 1000
    # The federation's idle-lock policy: laptops lock after at most this many minutes without input
    # (a user may choose less, never more, never "off"); sent at every login.
    max_idle_minutes: int = 15
    forms_dir: Path = RESOURCES_DIR / "forms"
    log_json: bool = True

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'homevisit-server.db'}"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"
