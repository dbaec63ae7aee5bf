"""Schemathesis over the server's OpenAPI schema, on the live server (SQLite and PostgreSQL): no 5xx.

Every operation gets generated requests (valid and not) with a real token and
the protocol header; the only check is ``not_a_server_error``. Bounded: a few
examples per operation so the whole file stays within about a minute.
"""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

H = {"X-HomeVisit-Protocol": "1"}


EXAMPLES = 30  # per operation


@pytest.mark.slow
def test_no_server_errors(live_server):
    live_server.create_user("alice", regions=("330802",))
    token = requests.post(
        f"{live_server.url}/api/v1/auth/login",
        json={"username": "alice", "password": "secret123", "device_name": "fuzz"},
        headers=H,
    ).json()["token"]
    headers = {**H, "Authorization": f"Bearer {token}"}
    api = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")
    # Logging out or revoking would end the run's token: those two are covered in test_api.py.
    api = api.exclude(path_regex=r"/auth/(logout|revoke)$")
    failures: list[str] = []
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case) -> None:
            response = case.call(base_url=live_server.url, headers=headers)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
                )

        run()
    assert failures == []


@pytest.mark.parametrize("where", ["row_id", "field", "value", "batch_id"])
def test_nul_character_is_refused_not_a_server_error(live_server, where):
    """Found by the run above: PostgreSQL cannot store NUL, which made a 500."""
    live_server.create_user("alice", regions=("330802",))
    token = requests.post(
        f"{live_server.url}/api/v1/auth/login",
        json={"username": "alice", "password": "secret123", "device_name": "t"},
        headers=H,
    ).json()["token"]
    change = {
        "tbl": "household",
        "row_id": "h1",
        "field": "phone",
        "value": "139",
        "hlc": "0000000000001-00000-d",
    }
    body = {"batch_id": "b" * 16, "changes": [change]}
    if where == "batch_id":
        body["batch_id"] = "b\x00" * 8
    else:
        change[where] = "a\x00b"
    r = requests.post(
        f"{live_server.url}/api/v1/sync/push", json=body, headers={**H, "Authorization": f"Bearer {token}"}
    )
    assert r.status_code in (200, 422), r.text
    if r.status_code == 200:
        assert [x["code"] for x in r.json()["rejected"]] == ["invalid"]
    else:
        assert r.json()["error"]["code"] == "invalid" and "控制字符" in r.json()["error"]["message"]
