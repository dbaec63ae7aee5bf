import pytest

from app.services.auth import (
    FREE_ATTEMPTS,
    AccountLocked,
    AuthService,
    InvalidAccount,
    LoginFailed,
    lock_seconds,
)


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def auth(store):
    clock = Clock()
    service = AuthService(store, clock=clock)
    service.create_user("wangli", "secret123", regions=["330802"], display_name="王丽")
    return service, clock


def test_login_works_offline_with_right_password(auth):
    service, _ = auth
    user = service.login("wangli", "secret123")
    assert user.display_name == "王丽" and user.regions == ["330802"]
    assert user.password_hash.startswith("$argon2")


def test_wrong_password_says_how_many_tries_are_left(auth):
    service, _ = auth
    with pytest.raises(LoginFailed, match="再错 2 次"):
        service.login("wangli", "nope")


def test_unknown_user_gets_the_same_message(auth):
    service, _ = auth
    with pytest.raises(LoginFailed, match="用户名或密码错误"):
        service.login("nobody", "secret123")


def test_lockout_delays_after_repeated_failures_even_with_right_password(auth):
    service, clock = auth
    for _ in range(FREE_ATTEMPTS - 1):
        with pytest.raises(LoginFailed):
            service.login("wangli", "nope")
    with pytest.raises(AccountLocked) as locked:
        service.login("wangli", "nope")
    assert locked.value.seconds == 30
    with pytest.raises(AccountLocked):
        service.login("wangli", "secret123")
    clock.t += 31
    assert service.login("wangli", "secret123").failed_attempts == 0


@pytest.mark.parametrize(("failures", "wait"), [(1, 0), (2, 0), (3, 30), (4, 60), (5, 120), (20, 900)])
def test_lock_grows_and_is_capped(failures, wait):
    assert lock_seconds(failures) == wait


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [("", "secret123", "用户名"), ("x", "123", "至少"), ("wangli", "secret123", "已存在")],
)
def test_invalid_accounts(auth, name, password, message):
    service, _ = auth
    with pytest.raises(InvalidAccount, match=message):
        service.create_user(name, password)
