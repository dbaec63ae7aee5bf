"""``GET /forms``: the published form definitions (resources/forms/*.json) with their versions."""

from __future__ import annotations

import json

from fastapi import APIRouter

from app.contract import protocol as p
from server.api.deps import CurrentUser, SettingsDep

router = APIRouter(tags=["forms"])


@router.get("/forms", response_model=p.FormsResponse)
def forms(_user: CurrentUser, settings: SettingsDep) -> p.FormsResponse:
    out: list[p.FormInfo] = []
    folder = settings.forms_dir
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        definition = json.loads(path.read_text(encoding="utf-8"))
        out.append(
            p.FormInfo(
                id=str(definition.get("id", path.stem)),
                version=int(definition.get("version", 1)),
                definition=definition,
            )
        )
    return p.FormsResponse(forms=out)
