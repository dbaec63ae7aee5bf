"""A need item across two laptops and the server: A's visit opens it, B closes it, A sees it closed."""

from __future__ import annotations

from datetime import date

from app.services.needs import NeedService
from app.services.registry import RegistryService
from app.services.visits import VisitService
from app.store.models import NeedItem
from tests.e2e.test_two_laptops import snapshot
from tests.helpers.profiles import household_data, person_data
from tests.services.test_needs import items, visit_with

TODAY = date(2026, 11, 20)


def test_a_need_item_opened_on_one_laptop_is_closed_on_the_other(laptop, live_server):
    a, b = laptop("laptop-a", user="alice"), laptop("laptop-b", user="bob")
    registry = RegistryService(a.store)
    home = registry.save_household("alice", household_data())
    person = registry.save_person("alice", home.id, person_data())
    visit_with(
        VisitService(a.store, today=TODAY),
        a.store,
        home,
        person,
        "housing_condition",
        {"lighting_need": True},
        actor="alice",
    )
    (opened,) = items(a.store, need_type="lighting")
    assert a.sync().rejected == 0

    assert b.sync().rejected == 0
    (seen,) = [
        v for v in NeedService(b.store, today=TODAY).for_household(home.id) if v.need_type == "lighting"
    ]
    assert (seen.id, seen.status, seen.person_name) == (opened.id, "pending", "王芳")
    NeedService(b.store, today=TODAY).change("bob", seen.id, status="referred", referral_to="柯城区住建局")
    NeedService(b.store, today=TODAY).change(
        "bob", seen.id, status="closed", reason="已列入照明线路改造并完工"
    )
    assert b.sync().rejected == 0

    assert a.sync().rejected == 0
    with a.store.session() as s:
        item = s.get(NeedItem, opened.id)
    assert (item.status, item.referral_to, item.closed_kind, item.close_reason) == (
        "closed",
        "柯城区住建局",
        "manual",
        "已列入照明线路改造并完工",
    )
    assert snapshot(a.store)[0] == snapshot(b.store)[0]
