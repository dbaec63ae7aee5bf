"""Form versions published on the server reach the laptop at sync (SYNC.md ``GET /forms``).

After a sync, ``receive_forms`` asks the server for its published forms and keeps
every version this laptop does not have yet in the profile's ``forms/`` folder,
after loading it with the engine's checks (a version that does not load is left
out, logged, and asked for again next time). Versions are never replaced, so a
response keeps opening with the version it was started with, and the newest
version is what a new visit offers; only a received copy's translations (``*_en``,
``same_version``) are brought up to date when the server's English was completed. ``use_profile_forms`` makes the received
forms readable when a profile opens.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from app.contract import protocol as p
from app.contract.forms.model import same_version
from app.forms.definition import form_files, load_form_data, use_received_forms
from app.forms.errors import FormDefinitionError
from app.sync.client import SyncClient

log = logging.getLogger(__name__)
FOLDER = "forms"


def received_folder(home: Path) -> Path:
    return Path(home) / FOLDER


def use_profile_forms(home: Path) -> None:
    """Read this profile's received forms along with the shipped ones (call when the profile opens)."""
    use_received_forms(received_folder(home))


def receive_forms(client: SyncClient) -> list[tuple[str, int]]:
    """Keep the server's form versions this laptop lacks; returns the (id, version) pairs received."""
    answer = p.FormsResponse.model_validate(client.transport.request("GET", "/forms").json())
    folder = received_folder(client.store.home)
    use_profile_forms(client.store.home)
    known = form_files()
    received: list[tuple[str, int]] = []
    for info in answer.forms:
        definition: dict[str, Any] = info.definition
        have = known.get(info.id, {}).get(info.version)
        if have is not None and not _new_translations(have, folder, definition):
            continue
        try:
            form = load_form_data(definition)
        except FormDefinitionError as exc:
            log.warning("form %s v%s from the server does not load: %s", info.id, info.version, exc)
            continue
        if (form.id, form.version) != (info.id, info.version):
            log.warning(
                "form %s v%s from the server calls itself %s v%s",
                info.id,
                info.version,
                form.id,
                form.version,
            )
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{form.id}.v{form.version}.json"
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
        tmp.write_text(json.dumps(definition, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
        received.append((form.id, form.version))
    return received


def _new_translations(have: Path, folder: Path, definition: dict[str, Any]) -> bool:
    """Whether ``have`` is a received copy of the server's version with other translations only.

    A shipped file is the program's own (it wins, see ``form_files``); a copy that differs in
    more than translations is never replaced, whatever the server now says.
    """
    if have.parent != folder:
        return False
    try:
        mine = json.loads(have.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return mine != definition and same_version(mine, definition)


def receive_forms_quietly(client: SyncClient) -> None:
    """``receive_forms`` after a data sync that succeeded: a failure is logged and asked again next time."""
    try:
        for form_id, version in receive_forms(client):
            log.info("received form %s v%s", form_id, version)
    except Exception:  # the data sync succeeded; the forms are asked for again next time
        log.warning("could not fetch published forms", exc_info=True)
