"""``UserNames``: local accounts, then the server's user directory; unknown logins shown as they are."""

from __future__ import annotations

from app.services.auth import AuthService
from app.services.user_names import UserNames
from app.store.models import DirectoryUser


def test_names_come_from_local_accounts_then_the_directory(store):
    AuthService(store).create_user("zhangli", "demo1234", regions=["3308"], display_name="张丽")
    with store.session() as s:
        s.add(DirectoryUser(username="wangbo", display_name="王博", role="worker"))
        s.add(DirectoryUser(username="old", display_name="离职员", role="worker", active=False))
        s.add(DirectoryUser(username="blank", display_name="", role="worker"))
        s.commit()
    names = UserNames.load(store)
    assert names("zhangli") == "张丽"  # logged in here
    assert names("wangbo") == "王博"  # never logged in here: the directory knows him
    assert names("old") == "离职员"  # deactivated: history keeps the name
    assert names("blank") == "blank" and names("stranger") == "stranger"  # no name known: the login
    assert names("seed") == "示例数据" and names(None) == ""


def test_the_directory_wins_over_an_older_local_copy(store):
    AuthService(store).create_user("zhangli", "demo1234", regions=["3308"], display_name="张丽")
    with store.session() as s:  # renamed on the server since she last logged in here
        s.add(DirectoryUser(username="zhangli", display_name="张丽华", role="worker"))
        s.commit()
    assert UserNames.load(store)("zhangli") == "张丽华"
