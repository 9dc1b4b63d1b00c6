"""Writes to investors and projects' facts. A project is created with its first stage event
(pipeline.intake); its stage and dates change only through pipeline.transitions."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, created, diff, record, snapshot
from core.errors import Duplicate, Forbidden, InvalidValue, MissingField
from projects.credit_code import normalize_credit_code
from projects.locking import lock_project
from projects.models import PROJECT_FACTS, Investor, Project, ProjectCodeSequence

# The services accept exactly a project's facts (never its stage or dates).
PROJECT_EDITABLE_FIELDS = PROJECT_FACTS
INVESTOR_FIELDS = ("name", "credit_code", "origin", "is_high_tech", "is_foreign", "is_listed")


def validate_model(instance, **kwargs) -> None:
    """Model validation as a ServiceError naming the first bad field (nothing is saved):
    missing_field for an empty required field, invalid_value otherwise."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        by_field = getattr(error, "error_dict", None) or {NON_FIELD_ERRORS: error.error_list}
        field, errors = next(iter(by_field.items()))
        field = None if field == NON_FIELD_ERRORS else field
        error_class = (
            MissingField if any(e.code in ("required", "blank", "null") for e in errors) else InvalidValue
        )
        text = "；".join(message for e in errors for message in e.messages)
        if field:
            text = f"{instance._meta.get_field(field).verbose_name}：{text}"
        messages = {key: [m for e in value for m in e.messages] for key, value in by_field.items()}
        raise error_class(text, field=field, errors=messages) from None


def refuse_unknown_fields(fields, allowed) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidValue(_("不能修改字段：%(fields)s。") % {"fields": "、".join(unknown)}, field=unknown[0])


def _save_investor(investor: Investor) -> Investor:
    investor.credit_code = normalize_credit_code(investor.credit_code)
    if (
        investor.credit_code
        and Investor.objects.filter(credit_code=investor.credit_code).exclude(pk=investor.pk).exists()
    ):
        raise Duplicate(
            _("统一社会信用代码 %(code)s 已登记为其他投资主体。") % {"code": investor.credit_code},
            field="credit_code",
        )
    validate_model(investor)
    investor.save()
    return investor


@atomic
def investor_create(*, by, **fields) -> Investor:
    """Register an investor. Its credit code, when given, passes the GB 32100 checksum and is
    not already registered (duplicate)."""
    roles.require(roles.can_write(by))
    refuse_unknown_fields(fields, INVESTOR_FIELDS)
    investor = _save_investor(Investor(**fields))
    record("investor.created", investor, by=by, changes=created(snapshot(investor, INVESTOR_FIELDS)))
    return investor


@atomic
def investor_update(*, investor: Investor, by, **fields) -> Investor:
    """Change an investor's facts: only someone who may write to every unit holding one of its
    projects (accounts.roles.investor_edit_scope); checksum and duplicate rules as on create."""
    roles.require(roles.can_write(by))
    refuse_unknown_fields(fields, INVESTOR_FIELDS)
    investor = Investor.objects.select_for_update().get(pk=investor.pk)
    roles.require(
        roles.can_edit_investor(by, investor),
        _("该投资主体还有您无权修改的单位或区县的项目，请由区招商投资局（或市级管理员）修改。"),
    )
    before = snapshot(investor, INVESTOR_FIELDS)
    for field, value in fields.items():
        setattr(investor, field, value)
    investor = _save_investor(investor)
    record("investor.updated", investor, by=by, changes=diff(before, snapshot(investor, INVESTOR_FIELDS)))
    # Projects show their investor (name, high-tech): incremental pulls of projects see it.
    Project.objects.filter(investor=investor).update(updated_at=timezone.now())
    return investor


def check_investor_attachable(by, investor, district_id) -> None:
    """Refuse to put on a project of `district_id` an investor of another district's projects
    (accounts.roles.can_attach_investor)."""
    if investor is not None and not roles.can_attach_investor(by, investor, district_id):
        raise Forbidden(
            _("投资主体“%(name)s”已有其他区县的项目，不能由本区关联；请联系系统管理员。")
            % {"name": investor.name},
            field="investor",
        )


def project_code_issue(district, year: int) -> str:
    """The next code for a district and year, e.g. JLP-2025-0007. The sequence row is locked,
    so two projects created at the same moment get different numbers."""
    return project_codes_issue(district, year, 1)[0]


def project_codes_issue(district, year: int, count: int) -> list[str]:
    """The next `count` codes for a district and year, taken at once under the sequence row's
    lock (an import creating thousands of projects); the same codes one call each would give."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProjectCodeSequence.objects.get_or_create(district=district, year=year)
        except IntegrityError:
            pass  # created by a concurrent caller; the locked read below sees it
        sequence = ProjectCodeSequence.objects.select_for_update().get(district=district, year=year)
        first = sequence.last_value + 1
        sequence.last_value += count
        sequence.save(update_fields=["last_value"])
    return [f"{district.short_code}-{year}-{number:04d}" for number in range(first, first + count)]


@atomic
def project_update(*, project: Project, by, expected_version: int | None = None, **fields) -> Project:
    """Change a project's facts (never its stage or dates). Moving it to a unit of another
    district is refused: a project stays in its district."""
    refuse_unknown_fields(fields, PROJECT_EDITABLE_FIELDS)
    project = lock_project(project.pk, expected_version)
    roles.require(roles.can_edit_project(by, project), _("您只能修改本单位（本区）的项目。"))
    roles.require(roles.can_change_project(by, project), _("项目已终止，信息不能再修改。"))
    if "unit" in fields and fields["unit"] is not None:
        roles.require(roles.can_create_in_unit(by, fields["unit"]), _("不能将项目移交给该单位。"))
    if "investor" in fields and getattr(fields["investor"], "pk", None) != project.investor_id:
        check_investor_attachable(by, fields["investor"], project.district_id)
    before = snapshot(project, PROJECT_EDITABLE_FIELDS)
    for field, value in fields.items():
        setattr(project, field, value)
    if project.unit_id is None:
        raise MissingField(_("请选择责任单位。"), field="unit")
    if project.unit.district_id != project.district_id:
        raise InvalidValue(_("责任单位不属于项目所在区县，项目不能移交到其他区县。"), field="unit")
    validate_model(project)
    project.version += 1
    project.save()
    changes = diff(before, snapshot(project, PROJECT_EDITABLE_FIELDS))
    if changes:
        record("project.updated", project, by=by, changes=changes)
    return project


@atomic
def investor_delete(*, investor: Investor, by) -> None:
    """Delete an investor (the admin's; one with projects is protected by the database), leaving
    `investor.deleted` with what it was, so a consumer of the changes feed drops it too."""
    roles.require(roles.can_edit_investor(by, investor))
    before = snapshot(investor, INVESTOR_FIELDS)
    record("investor.deleted", investor, by=by, changes=diff(before, {}))
    investor.delete()


@atomic
def reference_delete(*, obj, by) -> None:
    """Delete a district, unit, park or industry (the admin's), leaving `reference.deleted`
    with its kind, code and name (reference data is addressed by code)."""
    roles.require(bool(by and by.is_active and by.is_superuser))
    before = {"model": obj._meta.model_name, "code": obj.code, "name": obj.name}
    record("reference.deleted", obj, by=by, changes=diff(before, {}))
    obj.delete()
