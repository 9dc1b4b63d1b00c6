"""Annual targets (年度目标任务), per unit and for the whole district.

targets_of(district, year) -> dict
    {"district", "year", "advanced_industry", "units": [{"unit", "name", …figures}],
     "total": {…figures}, "history": [...]}; a figure with no target is None.
targets_set(*, district, year, by, units, total, reason="", advanced_industry=None)
    A manager of the district sets the year's targets (accounts.roles.can_set_targets).
    The first setting needs no reason; any later change does (missing_field `reason`), and
    every setting is kept (TargetChange: who, when, why, before and after). Setting the same
    values again changes nothing. Unknown units, negative or malformed numbers are refused
    naming the field.
"""

from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, record, to_json
from core.errors import InvalidValue, MissingField
from core.money import clean_money
from monthend.models import SUBSET_FIGURES, TARGET_FIGURES, Target, TargetChange, TargetSheet
from projects.models import Industry, Unit

FIELDS = (*TARGET_FIGURES, *SUBSET_FIGURES)
MONEY_FIELDS = ("contract_investment", "funds_in_place", "advanced_contract_investment")
MAX_COUNT = 1_000_000


def _labels():
    return {name: Target._meta.get_field(name).verbose_name for name in FIELDS}


def check_year(year) -> int:
    if isinstance(year, str):
        year = int(year) if year.isdigit() else None
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
        raise InvalidValue(_("年度应为四位年份。"), field="year")
    return year


def _values(target: Target | None) -> dict:
    return {name: (getattr(target, name) if target else None) for name in FIELDS}


def targets_of(district, year) -> dict:
    year = check_year(year)
    sheet = (
        TargetSheet.objects.filter(district=district, year=year).select_related("advanced_industry").first()
    )
    rows = {t.unit_id: t for t in Target.objects.filter(sheet=sheet)} if sheet else {}
    history = list(sheet.history.select_related("changed_by").order_by("id")) if sheet else []
    return {
        "district": district.code,
        "year": year,
        "advanced_industry": sheet.advanced_industry.code if sheet and sheet.advanced_industry else None,
        "units": [
            {"unit": unit.code, "name": unit.name, **_values(rows.get(unit.pk))}
            for unit in Unit.objects.filter(district=district).order_by("code")
        ],
        "total": _values(rows.get(None)),
        "history": [
            {
                "changed_at": change.changed_at,
                "changed_by": change.changed_by.get_full_name() or change.changed_by.username,
                "reason": change.reason,
            }
            for change in history
        ],
    }


def _clean_row(row, field: str) -> dict:
    if not isinstance(row, dict):
        raise InvalidValue(_("%(field)s 应为对象。") % {"field": field}, field=field)
    unknown = set(row) - set(FIELDS) - {"unit", "name"}
    if unknown:
        raise InvalidValue(_("不支持的字段“%(name)s”。") % {"name": sorted(unknown)[0][:64]}, field=field)
    labels = _labels()
    cleaned = {}
    for name in FIELDS:
        value = row.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            cleaned[name] = None
        elif name in MONEY_FIELDS:
            cleaned[name] = clean_money(field, value, label=labels[name])
        else:
            if isinstance(value, bool) or not (
                isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
            ):
                raise InvalidValue(_("%(label)s应为非负整数。") % {"label": labels[name]}, field=field)
            cleaned[name] = int(value)
            if cleaned[name] < 0:
                raise InvalidValue(_("%(label)s应为非负整数。") % {"label": labels[name]}, field=field)
            if cleaned[name] > MAX_COUNT:
                raise InvalidValue(_("%(label)s数值过大。") % {"label": labels[name]}, field=field)
    return cleaned


def _as_json(values: dict) -> dict:
    return to_json({key: value for key, value in values.items()})


@atomic
def targets_set(*, district, year, by, units, total, reason: str = "", advanced_industry=None) -> TargetSheet:
    """Set the district's targets of `year` (see the module docstring)."""
    roles.require(
        roles.can_set_targets(by, district.pk), _("只有本区招商投资局管理人员可以设定年度目标任务。")
    )
    year = check_year(year)
    if not isinstance(units, list | tuple):
        raise InvalidValue(_("units 应为列表。"), field="units")
    known = {unit.code: unit for unit in Unit.objects.filter(district=district)}
    wanted: dict = {None: _clean_row(total or {}, "total")}
    for row in units:
        code = row.get("unit") if isinstance(row, dict) else None
        if code not in known:
            raise InvalidValue(
                _("责任单位“%(code)s”不是%(district)s的单位。")
                % {"code": str(code)[:32], "district": district.name},
                field="units",
            )
        if known[code].pk in wanted:
            raise InvalidValue(_("责任单位“%(code)s”重复。") % {"code": code}, field="units")
        wanted[known[code].pk] = _clean_row(row, "units")
    industry = None
    if advanced_industry:
        industry = Industry.objects.filter(code=advanced_industry).first()
        if industry is None:
            raise InvalidValue(
                _("产业代码“%(code)s”不存在。") % {"code": str(advanced_industry)[:32]},
                field="advanced_industry",
            )
    sheet = TargetSheet.objects.select_for_update().filter(district=district, year=year).first()
    codes = {unit.pk: unit.code for unit in known.values()}

    def state(rows: dict, industry_code) -> dict:
        return {
            "advanced_industry": industry_code,
            "total": _as_json(rows.get(None, _values(None))),
            "units": {
                codes[pk]: _as_json(values)
                for pk, values in sorted(rows.items(), key=lambda item: codes.get(item[0], ""))
                if pk is not None and any(v is not None for v in values.values())
            },
        }

    after = state(wanted, industry.code if industry else None)
    before = None
    if sheet is not None:
        current = {t.unit_id: _values(t) for t in Target.objects.filter(sheet=sheet)}
        before = state(current, sheet.advanced_industry.code if sheet.advanced_industry_id else None)
        if before == after:
            return sheet
        if not (reason or "").strip():
            raise MissingField(_("调整已设定的年度目标须填写调整理由。"), field="reason")
        sheet.advanced_industry, sheet.updated_by = industry, by
        sheet.save()
        sheet.targets.all().delete()
    else:
        sheet = TargetSheet.objects.create(
            district=district, year=year, advanced_industry=industry, updated_by=by
        )
    Target.objects.bulk_create(
        Target(sheet=sheet, unit_id=pk, **values)
        for pk, values in wanted.items()
        if pk is None or any(v is not None for v in values.values())
    )
    TargetChange.objects.create(
        sheet=sheet, reason=(reason or "").strip(), before=before, after=after, changed_by=by
    )
    record(
        "target.updated",
        sheet,
        by=by,
        district_id=district.pk,
        changes={"year": [None, year], "targets": [before, after], "reason": [None, (reason or "").strip()]},
    )
    return sheet


def targets_map(district, year) -> tuple[dict, dict, str | None]:
    """({unit_id: {figure: target}}, {figure: district target}, advanced industry code)."""
    sheet = (
        TargetSheet.objects.filter(district=district, year=year).select_related("advanced_industry").first()
    )
    if sheet is None:
        return {}, _values(None), None
    rows = {t.unit_id: _values(t) for t in Target.objects.filter(sheet=sheet)}
    return (
        {pk: values for pk, values in rows.items() if pk is not None},
        rows.get(None, _values(None)),
        sheet.advanced_industry.code if sheet.advanced_industry_id else None,
    )
