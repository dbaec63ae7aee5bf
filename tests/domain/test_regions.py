"""Region catalogue: integrity of regions.json, lookups, and the scope rule."""

import json

import pytest

from app.domain.regions import (
    CATALOG_PATH,
    CODE_LENGTHS,
    InvalidRegionCode,
    Region,
    RegionCatalog,
    RegionLevel,
    UnknownRegion,
    area_code,
    covers,
    default_catalog,
    normalise_prefix,
    scopes_overlap,
    village_area_code,
)

QUZHOU_COUNTIES = {
    "330802": "柯城区",
    "330803": "衢江区",
    "330822": "常山县",
    "330824": "开化县",
    "330825": "龙游县",
    "330881": "江山市",
}


@pytest.fixture(scope="module")
def catalog() -> RegionCatalog:
    return default_catalog()


# --- integrity of the shipped file ------------------------------------------------


def test_file_rows_have_the_documented_shape():
    rows = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    assert rows, "regions.json is empty"
    for row in rows:
        assert set(row) == {"code", "name", "level", "parent"}
        level = RegionLevel(row["level"])
        assert row["code"].isdigit() and len(row["code"]) == CODE_LENGTHS[level], row
        assert row["name"].strip() == row["name"] and row["name"]


def test_codes_are_unique():
    rows = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))


def test_every_parent_exists_one_level_up_and_prefixes_its_children(catalog):
    order = list(RegionLevel)
    for region in catalog:
        if region.level is RegionLevel.PROVINCE:
            assert region.parent is None
            continue
        parent = catalog.get(region.parent)
        assert order.index(parent.level) == order.index(region.level) - 1, region
        assert region.code.startswith(parent.code), region


def test_zhejiang_has_eleven_cities_and_ninety_counties(catalog):
    assert catalog.name("33") == "浙江省"
    cities = catalog.children("33")
    assert len(cities) == 11
    assert sum(len(catalog.children(c.code)) for c in cities) == 90


def test_quzhou_has_its_six_counties(catalog):
    assert {r.code: r.name for r in catalog.children("3308")} == QUZHOU_COUNTIES


@pytest.mark.parametrize("county", sorted(QUZHOU_COUNTIES))
def test_every_quzhou_township_has_villages(catalog, county):
    townships = catalog.children(county)
    assert len(townships) >= 10
    minimum = 5 if county in ("330802", "330803") else 3
    for township in townships:
        assert len(catalog.children(township.code)) >= minimum, township


def test_at_least_300_villages(catalog):
    assert len(catalog.villages_under("33")) >= 300


def test_kecheng_townships_named_in_the_brief_are_present(catalog):
    names = {r.name for r in catalog.children("330802")}
    for name in ("信安街道", "府山街道", "荷花街道", "花园街道", "白云街道", "衢化街道", "航埠镇", "石梁镇"):
        assert name in names
    for name in ("万田乡", "九华乡", "七里乡", "华墅乡", "沟溪乡", "姜家山乡", "黄家乡"):
        assert name in names


# --- lookups --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("33", "33"),
        ("330000", "33"),
        ("330800", "3308"),
        ("3308", "3308"),
        ("330802", "330802"),
        ("330802000000", "330802"),
        ("330802001000", "330802001"),
        ("330802001001", "330802001001"),
        (" 330802 ", "330802"),
        ("３３０８０２", "330802"),
        ("330800000000", "3308"),
    ],
)
def test_normalise_prefix(text, expected):
    assert normalise_prefix(text) == expected


@pytest.mark.parametrize("text", ["", "3", "33080", "3308020", "33a802", "000000", "3308020010011"])
def test_normalise_prefix_rejects_bad_text_in_chinese(text):
    with pytest.raises(InvalidRegionCode, match="区划代码"):
        normalise_prefix(text)


def test_get_accepts_padded_codes(catalog):
    assert catalog.get("330800").name == "衢州市"
    assert catalog.get("330802000000").name == "柯城区"


def test_unknown_code_raises_value_error_with_chinese_message(catalog):
    with pytest.raises(UnknownRegion, match="不在区划目录中") as info:
        catalog.get("330899")
    assert isinstance(info.value, ValueError)
    assert "330899" not in catalog


def test_full_name(catalog):
    village = catalog.children(catalog.children("330802")[0].code)[0]
    township = catalog.get(village.parent)
    assert catalog.full_name(village.code) == f"浙江省衢州市柯城区{township.name}{village.name}"
    assert (
        catalog.full_name(village.code, with_province=False) == f"衢州市柯城区{township.name}{village.name}"
    )
    assert catalog.full_name("33") == "浙江省"
    assert catalog.full_name("3308", with_province=False) == "衢州市"


def test_children_of_none_is_the_province(catalog):
    assert [r.code for r in catalog.children(None)] == ["33"]


def test_villages_under_prefix(catalog):
    kecheng = catalog.villages_under("330802")
    assert kecheng and all(v.code.startswith("330802") and v.level is RegionLevel.VILLAGE for v in kecheng)
    assert [v.code for v in kecheng] == sorted(v.code for v in kecheng)
    quzhou = catalog.villages_under("330800")
    assert len(quzhou) == sum(len(catalog.villages_under(c)) for c in QUZHOU_COUNTIES)
    assert catalog.villages_under("3301") == []  # Hangzhou is listed only to county level
    one = kecheng[0]
    assert catalog.villages_under(one.code) == [one]


def test_county_of(catalog):
    village = catalog.villages_under("330881")[0]
    assert catalog.county_of(village.code).name == "江山市"
    assert catalog.county_of("330881").code == "330881"
    with pytest.raises(UnknownRegion, match="县级以上"):
        catalog.county_of("3308")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("330802001001", "330802"),
        ("330802001", "330802"),
        ("330802", "330802"),
        ("3308", "330800"),
        ("33", "330000"),
    ],
)
def test_area_code(code, expected):
    assert area_code(code) == expected


def test_village_area_code():
    assert village_area_code("330803101201") == "330803"
    with pytest.raises(InvalidRegionCode, match="12位"):
        village_area_code("330803101")


@pytest.mark.parametrize(
    ("name", "code"),
    [("柯城区", "330802"), ("衢州市柯城区", "330802"), ("330800", "3308"), ("浙江省衢州市江山市", "330881")],
)
def test_resolve(catalog, name, code):
    assert catalog.resolve(name).code == code


def test_resolve_ambiguous_and_missing(catalog):
    with pytest.raises(UnknownRegion, match="找不到"):
        catalog.resolve("火星区")
    # Village names repeat across townships (as in real life); a bare name is then ambiguous.
    names = [r.name for r in catalog.villages_under("3308")]
    duplicate = next(n for n in names if names.count(n) > 1)
    with pytest.raises(UnknownRegion, match="同名"):
        catalog.resolve(duplicate)


def test_duplicate_codes_are_refused():
    r = Region("33", "浙江省", RegionLevel.PROVINCE, None)
    with pytest.raises(ValueError, match="重复"):
        RegionCatalog([r, r])


# --- scope rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefixes", "code", "expected"),
    [
        (["330802"], "330802001001", True),
        (["330802"], "330803101201", False),
        (["33"], "330881001001", True),
        (["330000"], "330881001001", True),
        (["330800"], "330802001001", True),
        (["3308"], "331102001001", False),
        (["330802001"], "330802001002", True),
        (["330802001"], "330802002001", False),
        (["330802001001"], "330802001001", True),
        (["330802001001"], "330802001002", False),
        (["330803", "330802"], "330802001001", True),
        ([], "330802001001", False),
    ],
)
def test_covers(catalog, prefixes, code, expected):
    assert covers(prefixes, code) is expected
    assert catalog.covers(prefixes, code) is expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (["330802001"], ["3308"], True),  # a worker under a supervisor, either way round
        (["3308"], ["330802001"], True),
        (["330800"], ["330802001001"], True),  # padded prefixes read as ``covers`` reads them
        (["330802001"], ["330802002"], False),  # two townships of one county
        (["330881", "330802"], ["330802001"], True),
        ([], ["33"], False),
        (["33"], [], False),
    ],
)
def test_scopes_overlap(first, second, expected):
    assert scopes_overlap(first, second) is expected


def test_covers_rejects_malformed_prefix():
    with pytest.raises(InvalidRegionCode):
        covers(["33x"], "330802001001")


def test_no_village_name_under_two_townships_of_one_county(catalog):
    from collections import defaultdict

    townships: dict[tuple[str, str], set[str]] = defaultdict(set)
    for village in catalog.villages_under("3308"):
        townships[(village.code[:6], village.name)].add(village.code[:9])
    assert {k: v for k, v in townships.items() if len(v) > 1} == {}
    jinxing = [v for v in catalog.villages_under("330824") if v.name == "金星村"]
    assert [catalog.full_name(v.code, with_province=False) for v in jinxing] == ["衢州市开化县华埠镇金星村"]


@pytest.mark.parametrize(("code", "name"), [("330825207", "罗家乡"), ("330803208", "黄坛口乡")])
def test_townships_added(catalog, code, name):
    assert catalog.full_name(code, with_province=False).endswith(name)
    assert catalog.villages_under(code)
