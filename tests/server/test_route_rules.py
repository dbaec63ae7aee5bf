"""Every route of the OpenAPI schema has an access rule, checked for every role and region.

A route added without a rule here fails ``test_every_route_has_a_rule``; each rule is then
tried with a user of each role inside and outside the record's region (SQLite and PostgreSQL).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import pytest
import requests

from tests.server.test_hostile_device import H, clock, push_raw, row, token_for

ROLES = ("worker", "acceptor", "supervisor", "admin")
REGIONS = {"in": "330802", "out": "330881"}
PHOTO = b"route-rule photo"
SHA = hashlib.sha256(PHOTO).hexdigest()


@dataclass(frozen=True)
class Rule:
    """Who may call a route: ``public``, any logged-in ``user``, or only ``roles``; ``scoped``:
    a user outside the record's region is refused (403 or 404)."""

    who: str = "user"
    roles: frozenset[str] = frozenset()
    scoped: bool = False
    json: object = None
    params: dict | None = None


RULES: dict[tuple[str, str], Rule] = {
    ("post", "/api/v1/auth/login"): Rule("public"),
    ("get", "/api/v1/auth/me"): Rule(),
    ("post", "/api/v1/auth/logout"): Rule(),
    ("post", "/api/v1/auth/password"): Rule(
        json={"password": "not-the-password", "new_password": "new-password-9"}
    ),
    ("post", "/api/v1/auth/revoke"): Rule("roles", frozenset({"admin"}), json={"username": "nobody"}),
    ("post", "/api/v1/sync/push"): Rule(json={"batch_id": "rule-batch-x", "changes": []}),
    ("get", "/api/v1/sync/pull"): Rule(),
    ("post", "/api/v1/sync/quarantine"): Rule(json={"rows": []}),
    ("post", "/api/v1/sync/audit"): Rule(json={"events": []}),
    ("head", "/api/v1/attachments/{sha256}"): Rule(scoped=True),
    ("get", "/api/v1/attachments/{sha256}"): Rule(scoped=True),
    ("put", "/api/v1/attachments/{sha256}"): Rule(),
    ("get", "/api/v1/forms"): Rule(),
    ("get", "/api/v1/users/directory"): Rule(),
    ("get", "/api/v1/certificates/{serial}"): Rule("public"),
    ("get", "/api/v1/health"): Rule("public"),
    ("get", "/api/v1/history/{tbl}/{row_id}"): Rule(scoped=True),
    ("get", "/api/v1/history"): Rule("roles", frozenset({"supervisor", "admin"})),
    ("get", "/api/v1/audit"): Rule("roles", frozenset({"admin"})),
    ("get", "/api/v1/audit/device"): Rule("roles", frozenset({"admin"})),
}
PATH_VALUES = {"sha256": SHA, "serial": "HV-NONE", "tbl": "household", "row_id": "h1"}


def _operations(server) -> set[tuple[str, str]]:
    schema = requests.get(f"{server.url}/openapi.json").json()
    return {(method, path) for path, ops in schema["paths"].items() for method in ops}


def test_every_route_has_a_rule(live_server):
    assert _operations(live_server) - set(RULES) == set(), "a route without an access rule"
    assert set(RULES) - _operations(live_server) == set(), "a rule for a route that is gone"


@pytest.fixture
def world(live_server):
    """A household and a photo in Kecheng, and one user of every role in and outside it."""
    live_server.create_user("owner", regions=(REGIONS["in"],))
    owner = token_for(live_server, "owner", "ownerdev")
    requests.put(
        f"{live_server.url}/api/v1/attachments/{SHA}",
        data=PHOTO,
        headers={**owner, "Content-Range": f"bytes 0-{len(PHOTO) - 1}/{len(PHOTO)}"},
    )
    changes = row("household", "h1", phone="1") + row(
        "attachment", SHA, media_type="image/jpeg", size=len(PHOTO)
    )
    assert (
        push_raw(
            live_server, owner, [{**c, "hlc": clock("ownerdev", counter=i)} for i, c in enumerate(changes)]
        )["rejected"]
        == []
    )
    for role in ROLES:
        for where, region in REGIONS.items():
            live_server.create_user(f"{role}_{where}", role=role, regions=(region,))
    return live_server


def _call(server, method, path, rule, headers):
    url = server.url + path.format(**PATH_VALUES)
    kwargs: dict = {"headers": dict(headers)}
    if rule.json is not None:
        kwargs["json"] = rule.json
    if method == "put":
        data = os.urandom(16)
        url = f"{server.url}/api/v1/attachments/{hashlib.sha256(data).hexdigest()}"
        kwargs["data"] = data
    if path.endswith("/login"):
        kwargs["json"] = {"username": "owner", "password": "secret123", "device_id": "ownerdev"}
    return requests.request(method.upper(), url, **kwargs)


def test_rule_holds_for_every_role_and_region(world):
    tokens = {
        (role, where): token_for(world, f"{role}_{where}", f"{role}{where}dev")
        for role in ROLES
        for where in REGIONS
    }
    failures = []
    for (method, path), rule in sorted(RULES.items()):
        anonymous = _call(world, method, path, rule, H)
        if (rule.who == "public") == (anonymous.status_code in (401, 403)):
            failures.append(f"anonymous {method} {path}: {anonymous.status_code}")
        for (role, where), headers in tokens.items():
            if path.endswith("/logout"):
                headers = token_for(
                    world, f"{role}_{where}", f"{role}{where}dev"
                )  # logging out ends the token
            status = _call(world, method, path, rule, headers).status_code
            allowed = rule.who != "roles" or role in rule.roles
            if not allowed:
                ok = status == 403
            elif rule.scoped and where == "out":
                ok = status in (403, 404)
            else:
                ok = status not in (401, 403) and status < 500 and (not rule.scoped or status < 400)
            if not ok:
                failures.append(f"{role} {where} {method} {path}: {status}")
    assert failures == []
