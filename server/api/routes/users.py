"""``GET /users/directory``: who the caller's colleagues are, so a laptop shows names, not logins.

A laptop knows the display names of the users who logged in on it; the visits, project
steps and reviews it pulls were made by others too. This answers with the accounts whose
regions overlap the caller's (``app.domain.regions.scopes_overlap``): exactly the users
who may have written a row the caller's laptop holds, each with the ids of their devices (the
device in a field's clock names who wrote it). The answer's ``ETag`` is its version, taken over
names and devices alike, so a colleague's new laptop makes a new version;
a laptop that sends it back in ``If-None-Match`` gets a bodiless 304 while nothing changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.contract import protocol as p
from server import accounts
from server.api.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/users", tags=["users"])


@router.get(
    "/directory",
    response_model=p.UserDirectory,
    responses={304: {"description": "Unchanged since the version in If-None-Match"}},
)
def directory(
    user: CurrentUser,
    session: SessionDep,
    response: Response,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> p.UserDirectory | Response:
    rows = accounts.colleagues(session=session, regions=user.regions)
    version = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]
    etag = f'"{version}"'
    if if_none_match is not None and etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return p.UserDirectory(
        version=version,
        users=[
            p.DirectoryEntry(
                username=c.username,
                display_name=c.display_name,
                role=c.role,
                active=c.active,
                devices=list(c.devices),
            )
            for c in rows
        ],
    )
