"""Use cases of the household registry (户档): validate, create, edit, read.

``validate_person``/``validate_household`` return a message per field so a
dialog can show each one next to its input; ``save_*`` validate again and
raise ``ValidationFailed`` without writing anything when something is wrong.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlmodel import select

from app.contract.values import check_field
from app.domain.enums import DisabilityCategory, DisabilityLevel, EconomicStatus, PersonStatus
from app.domain.ids import InvalidDisabilityCert, InvalidIdNumber, parse_disability_cert, parse_id_number
from app.domain.regions import UnknownRegion, default_catalog
from app.services import needs
from app.store.models import Household, Person
from app.store.read import persons
from app.store.read.households import HouseholdDetail, read_household_record
from app.store.read.persons import read_person_record, reveal_id_number
from app.store.search import PersonHit, SearchFilters, count_persons, search_persons
from app.store.store import Store

__all__ = ["HouseholdDetail", "RegistryService", "ValidationFailed", "validate_household", "validate_person"]

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_NAME = re.compile(r"^[\u3400-\u9fff·•A-Za-z ]{2,20}$")


def _contract_errors(table: str, data: dict[str, Any], errors: dict[str, str]) -> None:
    """Add what the server's value rule (``check_field``) would refuse, where nothing else did."""
    for name, value in data.items():
        if name in errors or not isinstance(value, str):
            continue
        error = check_field(table, name, value.strip())
        if error is not None and error.reason != "unknown_field":
            errors[name] = error.message


class ValidationFailed(ValueError):
    """Some fields are invalid; ``errors`` maps field name to a Chinese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("；".join(errors.values()))


def validate_phone(phone: str) -> str | None:
    if phone and not _PHONE.match(phone.strip()):
        return "电话号码格式不正确：手机号为11位，座机如 0570-1234567"
    return None


def validate_household(data: dict[str, Any]) -> dict[str, str]:
    """Messages for the household fields that are wrong (empty dict: all good)."""
    errors: dict[str, str] = {}
    if not str(data.get("address", "")).strip():
        errors["address"] = "请填写家庭住址"
    code = str(data.get("region_code", ""))
    try:
        region = default_catalog().get(code)
        if region.level != "village":
            errors["region_code"] = "请选择到村（社区）一级"
    except UnknownRegion as exc:
        errors["region_code"] = str(exc)
    if msg := validate_phone(str(data.get("phone", ""))):
        errors["phone"] = msg
    if data.get("economic_status", "general") not in {e.value for e in EconomicStatus}:
        errors["economic_status"] = "请选择家庭经济状况"
    _contract_errors("household", data, errors)
    return errors


def validate_person(
    data: dict[str, Any],
    *,
    store: Store | None = None,
    person_id: str | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """Messages for the person fields that are wrong; checks ID uniqueness when ``store`` is given."""
    errors: dict[str, str] = {}
    name = str(data.get("name", "")).strip()
    if not name:
        errors["name"] = "请填写姓名"
    elif not _NAME.match(name):
        errors["name"] = "姓名应为2到20个汉字或字母"
    id_value = None
    try:
        id_value = parse_id_number(str(data.get("id_number", "")), today=today).value
    except InvalidIdNumber as exc:
        errors["id_number"] = str(exc)
    category, level = data.get("category") or "", data.get("level") or ""
    if category and category not in {c.value for c in DisabilityCategory}:
        errors["category"] = "残疾类别无效"
    if level and level not in {lv.value for lv in DisabilityLevel}:
        errors["level"] = "残疾等级无效"
    cert = str(data.get("cert_number", "") or "").strip()
    if cert:
        if not category:
            errors["category"] = "填写了残疾人证号，请同时选择残疾类别"
        if not level or level == DisabilityLevel.UNRATED:
            errors["level"] = "填写了残疾人证号，请同时选择残疾等级"
        if "category" not in errors and "level" not in errors:
            try:
                parse_disability_cert(cert, id_number=id_value, category=category, level=level, today=today)
            except InvalidDisabilityCert as exc:
                errors["cert_number"] = str(exc)
    if msg := validate_phone(str(data.get("phone", "") or "")):
        errors["phone"] = msg
    if data.get("status", PersonStatus.REGISTERED) not in {s.value for s in PersonStatus}:
        errors["status"] = "人员状态无效"
    _contract_errors("person", data, errors)
    if store is not None and id_value and "id_number" not in errors:
        with store.session() as s:
            other = persons.by_id_number(s, id_value)
        if other is not None and other.id != person_id:
            errors["id_number"] = f"该身份证号已登记为“{other.name}”，请勿重复登记"
    return errors


class RegistryService:
    """Households and persons, written through the store's unit of work."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def search(
        self, query: str, filters: SearchFilters | None = None, *, limit: int | None = 30
    ) -> list[PersonHit]:
        """Persons matching ``query`` and ``filters`` (the screens' search; ``limit=None`` for all)."""
        return search_persons(self.store.engine, query, filters, limit=limit)

    def registered_count(self) -> int:
        """Persons on the register (在册), for the status bar."""
        return count_persons(self.store.engine)

    def save_household(self, actor: str, data: dict[str, Any], household_id: str | None = None) -> Household:
        errors = validate_household(data)
        if errors:
            raise ValidationFailed(errors)
        values = {
            "address": data["address"].strip(),
            "region_code": data["region_code"],
            "phone": str(data.get("phone", "")).strip(),
            "economic_status": data.get("economic_status", "general"),
            "head_name": str(data.get("head_name", "")).strip(),
            "house_grade": data.get("house_grade") or None,
            "housing_type": data.get("housing_type", ""),
            "note": data.get("note", ""),
        }
        with self.store.unit_of_work(actor) as uow:
            if household_id is None:
                return uow.add(Household(**values))
            household = uow.update(uow.get(Household, household_id), **values)
            # Members follow their household's region, so scope and search stay right.
            for person in uow.session.exec(select(Person).where(Person.household_id == household_id)):
                uow.update(person, region_code=values["region_code"])
            return household

    def save_person(
        self, actor: str, household_id: str, data: dict[str, Any], person_id: str | None = None
    ) -> Person:
        errors = validate_person(data, store=self.store, person_id=person_id)
        if errors:
            raise ValidationFailed(errors)
        idn = parse_id_number(data["id_number"])
        values = {
            "name": data["name"].strip(),
            "id_number": idn.value,
            "gender": idn.gender.value,
            "birth_date": idn.birth_date.isoformat(),
            "cert_number": str(data.get("cert_number", "") or "").strip().upper(),
            "category": data.get("category") or "",
            "level": data.get("level") or "",
            "status": data.get("status", PersonStatus.REGISTERED.value),
            "phone": str(data.get("phone", "") or "").strip(),
            "relation": data.get("relation", ""),
            "has_living_subsidy": bool(data.get("has_living_subsidy", False)),
            "has_care_subsidy": bool(data.get("has_care_subsidy", False)),
        }
        with self.store.unit_of_work(actor) as uow:
            household = uow.get(Household, household_id)
            values["region_code"] = household.region_code
            if person_id is None:
                return uow.add(Person(household_id=household_id, **values))
            person = uow.update(uow.get(Person, person_id), **values)
            needs.close_for_subsidies(uow, person)  # a subsidy that started closes its need item
            return person

    def delete_person(self, actor: str, person_id: str) -> None:
        with self.store.unit_of_work(actor) as uow:
            uow.delete(uow.get(Person, person_id))

    def get_person(self, actor: str, person_id: str) -> Person:
        """A full record; the read is audited (PIPL): ``app.store.read.persons.read_person_record``."""
        with self.store.session() as s:
            return read_person_record(s, person_id, actor)

    def reveal_id_number(self, actor: str, person_id: str) -> str:
        """A person's full ID number, shown unmasked on request; audited as ``unmask`` (PIPL)."""
        with self.store.session() as s:
            return reveal_id_number(s, person_id, actor)

    def household_detail(self, actor: str, household_id: str) -> HouseholdDetail:
        """A household's full record; the read is audited (PIPL): ``read_household_record``."""
        with self.store.session() as s:
            return read_household_record(s, household_id, actor)
