"""The fast pull answer (``server.sync_pull.pull_body``) is the same document as ``sync_service.pull``."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from server.core.config import Settings
from server.core.db import make_engine, migrate
from server.models import ServerUser
from server.seed import seed
from server.sync_pull import pull_body
from server.sync_service import pull


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = make_engine(Settings(data_dir=tmp_path_factory.mktemp("server")))
    migrate(engine)
    seed(engine, 8, 3, ["330802", "330803"])
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    ("regions", "since", "limit"),
    [
        (["33"], 0, 2000),
        (["33"], 0, 7),
        (["33"], 20, 5),
        (["330802"], 0, 2000),
        (["330803"], 3, 4),
        ([], 0, 10),
    ],
)
def test_pull_body_matches_pull(engine, regions, since, limit):
    user = ServerUser(username="u", role="worker", regions=regions)
    with Session(engine) as session:
        expected = pull(session=session, user=user, since=since, limit=limit).model_dump(mode="json")
        got = json.loads(pull_body(session=session, user=user, since=since, limit=limit))
    assert abs(got.pop("server_time") - expected.pop("server_time")) < 5000
    assert got == expected
    if regions == ["33"] and limit == 2000:
        assert len(got["rows"]) > 8 and not got["more"]
