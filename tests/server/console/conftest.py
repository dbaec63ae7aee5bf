"""Browser tests of the console: Debian's chromium driven by Playwright against the real server.

The browser is the system's (``apt-get install chromium``, see tools/setup.sh): a
Playwright browser download is not possible on these machines. The server is the
live one of ``tests/helpers/live_server.py`` on a loopback port.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from server.console import public_pages, sessions
from tests.helpers.live_server import LiveServer
from tests.server.test_certificate_verification import issued  # noqa: F401  (a laptop-issued certificate)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_CONSOLE_TABLES = (
    "console_sessions",
    "console_account_flags",
    "console_record_facts",
    "console_person_alerts",
    "console_state",
)
PASSWORD = "secret123"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("没有找到 chromium：请运行 tools/setup.sh（apt-get install -y chromium）")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}


def _fresh(server: LiveServer) -> LiveServer:
    server.reset()
    with server.engine.begin() as conn:
        for table in _CONSOLE_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
    for throttle in (sessions.BY_NAME, sessions.BY_ADDRESS, public_pages.CHECKS):
        throttle._events.clear()
    return server


@pytest.fixture
def console(_servers) -> LiveServer:
    """The SQLite live server, emptied (console tables and throttles too)."""
    return _fresh(_servers("sqlite"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def console_any(request, _servers) -> LiveServer:
    """The live server over each database."""
    return _fresh(_servers(request.param))


def sign_in(page, server: LiveServer, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{server.url}/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    submit(page, "button[type=submit]")


def submit(page, selector: str) -> None:
    """Click a button that sends a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: ``CONSOLE_SCREENSHOTS`` if set (to look at them), else the test's folder."""
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def number(text_value: str) -> int:
    return int(re.sub(r"[^\d]", "", text_value))
