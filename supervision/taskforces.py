"""专班 and 推进方案: the write.

    task_force_save(*, project, by, leader, lead_unit, plan="", members=(), steps=()) -> TaskForce
        Sets the project's 专班 as a whole (PUT): the leader (包抓领导), the lead unit (of the
        project's district), the plan text, the members [{"name", "unit", "role", "phone"}] and
        the plan's dated steps [{"name", "planned_on", "done_on"}] (done_on not in the future).
        Whoever may edit the project keeps it (accounts.roles.can_edit_task_force). Recorded as
        task_force.saved with what changed; saving the same 专班 again records nothing.

A step is late when its planned date has passed and it has no actual date (supervision.selectors).
"""

from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, diff, record, to_json
from core.errors import InvalidValue
from projects.locking import lock_project
from supervision.cleaning import any_day, clean_text, past_day, unit_of
from supervision.models import PlanStep, TaskForce, TaskForceMember

MEMBER_KEYS = ("name", "unit", "role", "phone")
STEP_KEYS = ("name", "planned_on", "done_on")


def _rows(value, field: str, keys) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(item, dict) for item in value):
        raise InvalidValue(_("%(field)s 应为对象列表。") % {"field": field}, field=field)
    for index, item in enumerate(value):
        unknown = set(item) - set(keys)
        if unknown:
            raise InvalidValue(
                _("第 %(n)s 项含有未知字段：%(keys)s。")
                % {"n": index + 1, "keys": "、".join(sorted(map(str, unknown)))},
                field=field,
            )
    return list(value)


def _members(value) -> list[dict]:
    members = []
    for item in _rows(value, "members", MEMBER_KEYS):
        members.append(
            {
                "name": clean_text(item.get("name"), "members", _("成员姓名"), max_length=32),
                "unit": clean_text(item.get("unit"), "members", _("成员单位"), required=False, max_length=64),
                "role": clean_text(item.get("role"), "members", _("专班职责"), required=False, max_length=32),
                "phone": clean_text(item.get("phone"), "members", _("电话"), required=False, max_length=32),
            }
        )
    return members


def _steps(value) -> list[dict]:
    steps = []
    for item in _rows(value, "steps", STEP_KEYS):
        done = item.get("done_on")
        steps.append(
            {
                "name": clean_text(item.get("name"), "steps", _("节点名称"), max_length=64),
                "planned_on": any_day(item.get("planned_on"), "steps", _("计划完成日期")),
                "done_on": past_day(done, "steps") if done not in (None, "") else None,
            }
        )
    return steps


def _state(force: TaskForce | None, members, steps) -> dict:
    if force is None:
        return {}
    return to_json(
        {
            "leader": force.leader,
            "lead_unit": force.lead_unit_id,
            "plan": force.plan,
            "members": members,
            "steps": steps,
        }
    )


def _stored(force: TaskForce) -> tuple[list[dict], list[dict]]:
    members = [{key: getattr(member, key) for key in MEMBER_KEYS} for member in force.members.order_by("id")]
    steps = [
        {key: getattr(step, key) for key in STEP_KEYS} for step in force.steps.order_by("planned_on", "id")
    ]
    return members, steps


@atomic
def task_force_save(*, project, by, leader, lead_unit, plan="", members=(), steps=()) -> TaskForce:
    project = lock_project(project.pk)
    roles.require(roles.can_edit_task_force(by, project), _("您只能维护本单位（本区）项目的专班。"))
    leader = clean_text(leader, "leader", _("包抓领导"), max_length=32)
    lead_unit = unit_of(project.district_id, lead_unit, "lead_unit")
    plan = clean_text(plan, "plan", _("推进方案"), required=False)
    members = _members(members)
    steps = sorted(_steps(steps), key=lambda step: step["planned_on"])
    force = TaskForce.objects.filter(project=project).first()
    before = _state(force, *_stored(force)) if force else {}
    if force is None:
        force = TaskForce(project=project)
    force.leader, force.lead_unit, force.plan = leader, lead_unit, plan
    after = _state(force, members, steps)
    changes = diff(before, after)
    if not changes:
        return force
    force.save()
    force.members.all().delete()
    force.steps.all().delete()
    TaskForceMember.objects.bulk_create(TaskForceMember(task_force=force, **member) for member in members)
    PlanStep.objects.bulk_create(PlanStep(task_force=force, **step) for step in steps)
    record("task_force.saved", force, by=by, changes=changes, project=project)
    return force
