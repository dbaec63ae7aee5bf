"""Need alerts (需求预警): rules from resources/alerts.json over person facts and answers.

The context an alert sees is flat: person facts under their own names (``level``,
``category``, ``age``, ``economic_status``, ``has_care_subsidy``,
``has_accessibility_project``, ... — see ``app.contract.forms.model.CONTEXT_KEYS``) and
the latest answers of each form as ``<form_id>.<question_id>``; a question inside
a repeat gives the list of its values over the entries. Build it with
``build_alert_context``; rules are checked against the known names when loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from app.contract.forms.catalogs import RESOURCES, load_catalog
from app.contract.forms.definition import load_all_forms
from app.contract.forms.engine import FormSession
from app.contract.forms.errors import ExpressionError, FormDefinitionError
from app.contract.forms.expr import Expression
from app.contract.forms.expr import types as T
from app.contract.forms.expr.values import to_date, truthy
from app.contract.forms.model import CONTEXT_KEYS, FormDefinition, question_value_type
from app.domain.enums import ProjectStatus
from app.domain.ids import InvalidIdNumber, parse_id_number

ALERTS_FILE = RESOURCES / "alerts.json"
SEVERITIES = ("high", "medium", "low")
# A project answers a need while it is open or just accepted; an archived one (done long ago) or
# one terminated/given up does not, so a need found later alerts again.
SETTLED_PROJECTS = (ProjectStatus.ARCHIVED.value, ProjectStatus.TERMINATED.value)


@dataclass(frozen=True)
class AlertRule:
    """One rule: id, Chinese title and message, severity and its checked expression."""

    id: str
    title: str
    severity: str
    message: str
    expression: Expression
    title_en: str = ""
    message_en: str = ""


@dataclass(frozen=True)
class Alert:
    """A rule that fired for one person."""

    rule_id: str
    title: str
    severity: str
    message: str
    title_en: str = ""
    message_en: str = ""


class _AlertScope:
    """Names an alert may use: person facts and ``form.question`` of the known forms."""

    def __init__(self, forms: Mapping[str, FormDefinition]) -> None:
        self.types = dict(CONTEXT_KEYS)
        for form in forms.values():
            for q in form.questions.values():
                if q.has_value:
                    kind = T.LIST if q.repeat else question_value_type(q)
                    if q.type == "calculate" and not q.repeat and q.calculate is not None:
                        kind = q.value_type or q.calculate.type
                    self.types[f"{form.id}.{q.id}"] = kind

    def ref_type(self, name: str) -> str | None:
        return self.types.get(name)

    def current_type(self) -> str | None:
        return None

    def attr_type(self, name: str) -> str | None:
        return None

    def catalog_field_type(self, catalog: str, field: str) -> str | None:
        try:
            return load_catalog(catalog).field_type(field)
        except FormDefinitionError:
            return None


class _AlertEnv:
    """Run-time values of an alert context."""

    def __init__(self, context: Mapping[str, object]) -> None:
        self.context = context
        self._today = to_date(context.get("today")) or dt.date.today()

    def ref(self, name: str) -> object:
        return self.context.get(name)

    def current(self) -> object:
        return None

    def attr(self, name: str) -> object:
        return None

    def today(self) -> dt.date:
        return self._today

    def catalog(self, catalog: str, key: object, field: str) -> object:
        try:
            return load_catalog(catalog).lookup(key, field)
        except FormDefinitionError:
            return None


def load_alert_rules(
    path: str | Path | None = None, forms: Mapping[str, FormDefinition] | None = None
) -> list[AlertRule]:
    """Read and check the rules; ``FormDefinitionError`` names the rule and position."""
    path = Path(path or ALERTS_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FormDefinitionError(f"预警规则文件无法读取：{path.name}（{exc}）", form_id="alerts") from exc
    scope = _AlertScope(forms if forms is not None else load_all_forms())
    params = data.get("parameters") or {}
    rules: list[AlertRule] = []
    for raw in data.get("rules", []):
        rule_id = str(raw.get("id", ""))
        if not rule_id or not raw.get("title") or raw.get("severity") not in SEVERITIES:
            raise FormDefinitionError(
                f"规则需要 id、中文 title 和 severity（{'/'.join(SEVERITIES)}）",
                form_id="alerts",
                question_id=rule_id,
            )
        try:
            expr = Expression.compile(
                _with_parameters(str(raw.get("expression", "")), params, rule_id), scope
            )
        except ExpressionError as exc:
            raise FormDefinitionError(
                exc.message,
                form_id="alerts",
                question_id=rule_id,
                attribute="expression",
                position=exc.position,
            ) from exc
        if not T.fits(expr.type, T.BOOL):
            raise FormDefinitionError("预警表达式应为是/否条件", form_id="alerts", question_id=rule_id)
        message = _with_parameters(str(raw.get("message", "")), params, rule_id)
        message_en = _with_parameters(str(raw.get("message_en", "")), params, rule_id)
        rules.append(
            AlertRule(
                rule_id,
                str(raw["title"]),
                raw["severity"],
                message,
                expr,
                str(raw.get("title_en", "")),
                message_en,
            )
        )
    return rules


_PARAM = re.compile(r"\[\[([a-z_][a-z0-9_]*)\]\]")


def _with_parameters(text: str, params: Mapping[str, object], rule_id: str) -> str:
    """``[[name]]`` replaced by the number in the file's ``parameters`` (a federation tunes it there)."""

    def one(match: re.Match[str]) -> str:
        value = params.get(match[1])
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormDefinitionError(
                f"参数 {match[1]} 未在 parameters 中定义为数值", form_id="alerts", question_id=rule_id
            )
        return str(value)

    return _PARAM.sub(one, text)


def build_alert_context(
    person: Mapping[str, object],
    responses: Mapping[str, Mapping[str, object]],
    forms: Mapping[str, FormDefinition] | None = None,
    names: Collection[str] | None = None,
) -> dict[str, object]:
    """Person facts plus ``form.question`` values from the latest answers of each form.

    Calculations are recomputed (a device passes its service life without anyone
    editing the form) and only relevant answers count. ``names``: only these
    ``form.question`` values are wanted (the rules' references), the others are left out.
    """
    forms = forms if forms is not None else load_all_forms()
    context: dict[str, object] = dict(person)
    for form_id, answers in responses.items():
        definition = forms.get(form_id)
        if definition is None:
            continue
        session = FormSession(definition, answers, person)
        for q in definition.questions.values():
            if not q.has_value:
                continue
            name = f"{form_id}.{q.id}"
            if names is not None and name not in names:
                continue
            if q.repeat is None:
                context[name] = session.value(q.id) if session.is_relevant(q.id) else None
            else:
                keys = [f"{q.repeat}[{e}].{q.id}" for e in session.entries(q.repeat)]
                context[name] = [session.value(k) for k in keys if session.is_relevant(k)]
    return context


def evaluate_alerts(context: Mapping[str, object], rules: list[AlertRule] | None = None) -> list[Alert]:
    """Alerts that fire for ``context``, most severe first."""
    env = _AlertEnv(context)
    fired = []
    for rule in rules if rules is not None else load_alert_rules():
        try:
            hit = truthy(rule.expression.evaluate(env))
        except ExpressionError:
            hit = False
        if hit:
            fired.append(
                Alert(rule.id, rule.title, rule.severity, rule.message, rule.title_en, rule.message_en)
            )
    return sorted(fired, key=lambda a: SEVERITIES.index(a.severity))


def registry_facts(
    person: Mapping[str, object],
    household: Mapping[str, object],
    projects: Iterable[tuple[str, object]],
    overdue_need_items: int,
    today: dt.date,
) -> dict[str, object]:
    """The registry facts an alert reads about one person (``CONTEXT_KEYS``).

    ``person`` and ``household`` are their rows' fields by column name; ``projects`` the
    (kind, person id) of the household's projects that are not settled (``SETTLED_PROJECTS``):
    a project for nobody in particular counts for every member. The laptop reads them with
    SQL, the server out of its synced records; both end here.
    """
    pid = person.get("id")
    kinds = {kind for kind, who in projects if who in (None, "", pid)}
    facts: dict[str, object] = {
        "name": person.get("name"),
        "gender": person.get("gender"),
        "category": person.get("category"),
        "level": person.get("level"),
        "has_care_subsidy": bool(person.get("has_care_subsidy")),
        "has_living_subsidy": bool(person.get("has_living_subsidy")),
        "region_code": person.get("region_code"),
        "address": household.get("address"),
        "economic_status": household.get("economic_status"),
        "has_accessibility_project": "accessibility" in kinds,
        "has_lighting_project": "lighting" in kinds,
        "has_dangerous_house_project": "dangerous_house" in kinds,
        "has_clean_bright_project": "clean_bright" in kinds,
        "today": today.isoformat(),
        "overdue_need_items": overdue_need_items,
    }
    try:
        facts["age"] = parse_id_number(str(person.get("id_number") or "")).age_on(today)
    except InvalidIdNumber:
        pass
    return facts


def person_alerts(
    facts: Mapping[str, object],
    responses: Mapping[str, Mapping[str, object]],
    house_grade: object,
    rules: list[AlertRule],
    forms: Mapping[str, FormDefinition],
) -> list[Alert]:
    """The alerts of one person: ``registry_facts`` plus the latest completed answers of each form."""
    names = frozenset().union(*(rule.expression.refs for rule in rules))
    context = build_alert_context(facts, responses, forms, names)
    # The registry's house grade counts like a surveyed one.
    if house_grade in ("C", "D") and not context.get("housing_condition.danger_grade"):
        context["housing_condition.danger_grade"] = house_grade
    return evaluate_alerts(context, rules)
