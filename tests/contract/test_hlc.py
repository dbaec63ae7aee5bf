import pytest

from app.contract.hlc import HybridLogicalClock, Timestamp


class FakeWall:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_ticks_increase_even_when_wall_clock_stands_still():
    wall = FakeWall(1_700_000_000.0)
    clock = HybridLogicalClock("dev1", wall=wall)
    values = [clock.tick() for _ in range(1000)]
    assert values == sorted(values)
    assert len(set(values)) == 1000


def test_ticks_increase_when_wall_clock_goes_back():
    wall = FakeWall(1_700_000_000.0)
    clock = HybridLogicalClock("dev1", wall=wall)
    a = clock.tick()
    wall.t -= 3600
    assert clock.tick() > a


def test_observe_moves_past_remote_value():
    wall = FakeWall(1_700_000_000.0)
    clock = HybridLogicalClock("dev1", wall=wall)
    remote = Timestamp(1_700_000_500_000, 7, "dev2").encode()
    clock.observe(remote)
    assert clock.tick() > remote


def test_encoding_sorts_like_clock():
    a = Timestamp(1, 99, "zzz").encode()
    b = Timestamp(2, 0, "aaa").encode()
    assert a < b
    assert Timestamp.decode(a) == Timestamp(1, 99, "zzz")


def test_restart_never_runs_back():
    wall = FakeWall(1_700_000_000.0)
    first = HybridLogicalClock("dev1", wall=wall)
    last = [first.tick() for _ in range(5)][-1]
    wall.t -= 100
    again = HybridLogicalClock("dev1", wall=wall, last=last)
    assert again.tick() > last


def test_offset_corrects_wall_clock():
    wall = FakeWall(1_700_000_000.0)
    clock = HybridLogicalClock("dev1", wall=wall, offset_ms=-60_000)
    assert Timestamp.decode(clock.tick()).millis == 1_700_000_000_000 - 60_000


@pytest.mark.parametrize("bad", ["", "a-b"])
def test_device_id_rules(bad):
    with pytest.raises(ValueError):
        HybridLogicalClock(bad)
