"""Synthetic data: deterministic, valid by every domain rule, roughly the intended mix."""

from collections import Counter
from datetime import date

import pytest

from app.domain.enums import (
    DisabilityCategory,
    DisabilityLevel,
    EconomicStatus,
    Gender,
    HouseGrade,
    PersonStatus,
)
from app.domain.ids import parse_disability_cert, parse_id_number
from app.domain.regions import UnknownRegion, default_catalog
from app.domain.synthetic import SyntheticHousehold, generate, villages_for

RELATIONS = {"户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹"}


@pytest.fixture(scope="module")
def sample() -> list[SyntheticHousehold]:
    return list(generate(4000, seed=7))


@pytest.fixture(scope="module")
def persons(sample) -> list[dict]:
    return [p for h in sample for p in h.persons]


def test_same_seed_same_data():
    assert list(generate(200, seed=3)) == list(generate(200, seed=3))


def test_different_seed_different_data():
    a = [h.household for h in generate(50, seed=1)]
    b = [h.household for h in generate(50, seed=2)]
    assert a != b


def test_prefix_of_a_longer_run_is_the_shorter_run():
    assert list(generate(30, seed=5)) == list(generate(300, seed=5))[:30]


def test_count_and_index(sample):
    assert len(sample) == 4000
    assert [h.index for h in sample] == list(range(4000))
    assert list(generate(0)) == []


def test_negative_count_is_refused_at_once():
    with pytest.raises(ValueError, match="户数"):
        generate(-1)


def test_every_id_number_is_valid_and_agrees_with_the_person(sample):
    catalog = default_catalog()
    for h in sample:
        county = catalog.county_of(h.household["region_code"]).code
        for p in h.persons:
            parsed = parse_id_number(p["id_number"], today=date(2023, 1, 1))
            assert parsed.value == p["id_number"]
            assert parsed.area_code == county
            assert parsed.birth_date == p["birth_date"]
            assert parsed.gender is p["gender"]
            assert date(1935, 1, 1) <= p["birth_date"] <= date(2022, 12, 31)


def test_every_certificate_matches_id_category_and_level(persons):
    for p in persons:
        cert = parse_disability_cert(
            p["cert_number"], id_number=p["id_number"], category=p["category"], level=p["level"]
        )
        assert cert.category is p["category"] and cert.level is p["level"]
        assert p["level"] is not DisabilityLevel.UNRATED


def test_id_numbers_are_unique_within_a_run(persons):
    ids = [p["id_number"] for p in persons]
    assert len(ids) == len(set(ids))


def test_households_are_in_quzhou_villages(sample):
    catalog = default_catalog()
    villages = {v.code for v in catalog.villages_under("3308")}
    used = {h.household["region_code"] for h in sample}
    assert used <= villages
    assert len(used) > len(villages) * 0.9  # spread over (nearly) all of them
    for h in sample[:200]:
        assert h.household["address"].startswith(
            catalog.full_name(h.household["region_code"], with_province=False)
        )


def test_regions_restrict_the_villages():
    out = list(generate(300, seed=1, regions=["330802", "330881001"]))
    assert all(h.household["region_code"].startswith(("330802", "330881001")) for h in out)
    assert {h.household["region_code"][:6] for h in out} == {"330802", "330881"}
    assert all(p["id_number"].startswith(h.household["region_code"][:6]) for h in out for p in h.persons)


def test_regions_without_villages_are_refused():
    with pytest.raises(UnknownRegion, match="没有村"):
        generate(5, regions=["3301"])
    with pytest.raises(UnknownRegion):
        villages_for(["330899"])


def test_today_caps_birth_dates():
    today = date(2010, 6, 30)
    for h in generate(300, seed=2, today=today):
        for p in h.persons:
            assert p["birth_date"] <= today
            parse_id_number(p["id_number"], today=today)


def test_household_fields(sample):
    for h in sample:
        hh = h.household
        assert set(hh) == {
            "region_code",
            "address",
            "phone",
            "economic_status",
            "head_name",
            "house_grade",
            "housing_type",
        }
        assert len(hh["region_code"]) == 12
        assert len(hh["phone"]) == 11 and hh["phone"].isdigit() and hh["phone"][0] == "1"
        assert isinstance(hh["economic_status"], EconomicStatus)
        assert hh["house_grade"] is None or isinstance(hh["house_grade"], HouseGrade)
        assert hh["housing_type"] and 2 <= len(hh["head_name"]) <= 4


def test_person_fields_and_relations(sample):
    for h in sample:
        assert 1 <= len(h.persons) <= 2
        relations = [p["relation"] for p in h.persons]
        assert set(relations) <= RELATIONS
        assert relations.count("户主") <= 1 and relations.count("配偶") <= 1
        for p in h.persons:
            assert isinstance(p["status"], PersonStatus)
            assert p["phone"] is None or (len(p["phone"]) == 11 and p["phone"].isdigit())
            if p["relation"] == "户主":
                assert p["name"] == h.household["head_name"]
            else:
                assert p["name"] != h.household["head_name"]


def test_community_and_village_addresses(sample):
    community = [h for h in sample if "社区" in h.household["address"]]
    village = [h for h in sample if "社区" not in h.household["address"]]
    assert community and village
    assert any("幢" in h.household["address"] and "单元" in h.household["address"] for h in community)
    assert any("自然村" in h.household["address"] for h in village)


def _shares(values) -> dict:
    counts = Counter(values)
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()}


def test_economic_status_mix(sample):
    shares = _shares(h.household["economic_status"] for h in sample)
    assert shares[EconomicStatus.DIBAO] == pytest.approx(0.25, abs=0.03)
    assert shares[EconomicStatus.DIBIAN] == pytest.approx(0.10, abs=0.02)
    assert shares[EconomicStatus.TEKUN] == pytest.approx(0.05, abs=0.015)
    assert shares[EconomicStatus.GENERAL] == pytest.approx(0.60, abs=0.03)


def test_house_grade_mix(sample):
    shares = _shares(h.household["house_grade"] for h in sample)
    assert shares[HouseGrade.A] > 0.5
    assert shares[HouseGrade.B] > shares[HouseGrade.C] > shares[HouseGrade.D] > 0


def test_disability_mix(persons):
    categories = _shares(p["category"] for p in persons)
    assert categories[DisabilityCategory.PHYSICAL] == pytest.approx(0.45, abs=0.03)
    ranked = sorted(categories, key=categories.get, reverse=True)
    assert ranked[0] is DisabilityCategory.PHYSICAL
    assert ranked[-1] is DisabilityCategory.SPEECH
    levels = _shares(p["level"] for p in persons)
    assert levels[DisabilityLevel.LEVEL_1] + levels[DisabilityLevel.LEVEL_2] == pytest.approx(0.30, abs=0.03)


def test_two_disabled_persons_in_about_one_household_in_ten(sample):
    assert sum(len(h.persons) == 2 for h in sample) / len(sample) == pytest.approx(0.10, abs=0.02)


def test_births_spread_over_the_whole_range(persons):
    years = Counter(p["birth_date"].year // 10 * 10 for p in persons)
    assert set(years) == {1930, 1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020}
    assert _shares(p["gender"] for p in persons)[Gender.MALE] == pytest.approx(0.55, abs=0.06)


def test_names_look_real(persons):
    names = [p["name"] for p in persons]
    short = sum(len(n) == 2 for n in names) / len(names)
    assert short == pytest.approx(0.25, abs=0.05)
    surnames = Counter(n[0] for n in names)
    top = {s for s, _ in surnames.most_common(6)}
    assert {"王", "李", "张"} <= top
    assert len(set(names)) > 0.6 * len(names)
