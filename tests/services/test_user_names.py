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


def test_a_clock_names_whose_device_stamped_it_never_the_device(store):
    """This laptop's clocks are its accounts'; a colleague's device is theirs; any other is nobody known."""
    from app.contract.hlc import Timestamp
    from app.services.user_names import ClockWriter
    from app.store.models import DirectoryDevice

    AuthService(store).create_user("zhangli", "demo1234", regions=["3308"], display_name="张丽")
    with store.session() as s:
        s.add(DirectoryUser(username="wangbo", display_name="王博", role="worker"))
        s.add(DirectoryDevice(device_id="dwangbo1", username="wangbo"))
        s.add(DirectoryDevice(device_id="dnoname", username="nobodyknown"))
        s.commit()
    names = UserNames.load(store)
    ms = 1_796_000_000_000

    def clock(device: str) -> str:
        return Timestamp(ms, 0, device).encode()

    assert names.writer(clock(store.device_id)) == ClockWriter(ms, ("张丽",), here=True)
    assert names.writer(clock("dwangbo1")) == ClockWriter(ms, ("王博",))
    assert names.writer(clock("dnoname")) == ClockWriter(ms, ("nobodyknown",))  # the login, as for a visit
    assert names.writer(clock("dstranger")) == ClockWriter(ms)  # "另一台设备" on the screen
    assert names.writer("garbage") == ClockWriter(None)
    AuthService(store).create_user("admin", "demo1234", regions=["3308"], display_name="管理员")
    assert UserNames.load(store).writer(clock(store.device_id)).names == ("管理员", "张丽")  # both use it
