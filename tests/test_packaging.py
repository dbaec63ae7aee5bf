"""``pip install homevisit`` without extras brings no server stack (issue 12, item 7).

The desktop app never imports FastAPI, uvicorn, alembic or pydantic-settings:
they are the ``server`` extra, which the demo and the central server need.
The requirements are read as a distribution states them: from the installed
``homevisit`` when it was installed from this checkout (``tools/setup.sh``
installs it editable), otherwise from metadata built from this checkout's
pyproject.toml the way pip builds it.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
SERVER_STACK = {"fastapi", "uvicorn", "alembic", "pydantic-settings", "starlette", "psycopg"}


def _installed_from_here() -> md.Distribution | None:
    try:
        dist = md.distribution("homevisit")
    except md.PackageNotFoundError:
        return None
    direct = dist.read_text("direct_url.json")
    url = json.loads(direct).get("url", "") if direct else ""
    return dist if url.rstrip("/") == ROOT.as_uri() else None


def _built_from_here(tmp: Path) -> md.Distribution:
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    (src / "app").mkdir()  # packages.find needs the folders, not their contents
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from setuptools import setup; setup()",
            "-q",
            "egg_info",
            "--egg-base",
            str(tmp),
        ],
        cwd=src,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return md.PathDistribution(tmp / "homevisit.egg-info")


@pytest.fixture(scope="module")
def requirements(tmp_path_factory) -> list[Requirement]:
    dist = _installed_from_here() or _built_from_here(tmp_path_factory.mktemp("meta"))
    return [Requirement(r) for r in dist.requires or []]


def _unconditional(reqs: list[Requirement]) -> set[str]:
    """Names installed with no extra asked for (a marker naming an extra makes it optional)."""
    return {r.name.lower() for r in reqs if r.marker is None or "extra" not in str(r.marker)}


def test_no_server_package_is_unconditional(requirements):
    plain = _unconditional(requirements)
    assert "pyside6-essentials" in plain and "sqlmodel" in plain  # the reading itself works
    assert not plain & SERVER_STACK, sorted(plain & SERVER_STACK)


def test_the_server_extra_brings_the_server_stack(requirements):
    server = {
        r.name.lower()
        for r in requirements
        if r.marker is not None and r.marker.evaluate({"extra": "server"})
    }
    assert {"fastapi", "uvicorn", "alembic", "pydantic-settings"} <= server


def test_setup_installs_the_server_extra_the_readme_demo_needs():
    setup = (ROOT / "tools" / "setup.sh").read_text(encoding="utf-8")
    assert "pip install -q -e '.[dev,server,build]'" in setup
    assert "bash tools/setup.sh && .venv/bin/homevisit demo" in (ROOT / "README.md").read_text(
        encoding="utf-8"
    )


def test_the_desktop_app_imports_without_the_server_stack(tmp_path):
    """Block the server packages: every desktop module imports; the demo says what to install."""
    code = (
        "import sys, importlib, pkgutil\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {sorted(n.replace('-', '_') for n in SERVER_STACK)!r}:\n"
        "            raise ImportError('server stack blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import app\n"
        "for info in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    importlib.import_module(info.name)\n"
        "from app.cli import main\n"
        "sys.exit(main(['demo', '--no-window', '--home', sys.argv[1]]))\n"
    )
    home = tmp_path / "demo"
    run = subprocess.run(
        [sys.executable, "-c", code, str(home)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2, run.stderr[-3000:]
    assert run.stderr.strip().splitlines() == [
        '演示需要本地服务器组件，请先安装：pip install "homevisit[server]"（缺少 fastapi、uvicorn、alembic、pydantic_settings）'
    ]
    assert not home.exists()  # nothing half-made
