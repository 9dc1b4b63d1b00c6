"""Who may see and change what. The one place where querysets are scoped by role.

- unit staff: see and edit the projects of their own unit; record signing, start,
  production and capacity; file progress; raise requests.
- district managers: everything in their district, including reviews, exits, voiding
  events and publishing the month.
- city users: read every district, change nothing.
- system accounts (API): read their district (or all when none is set); write like a
  manager of that scope unless marked read-only.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.models import Role
from core.errors import Forbidden


def _is_admin(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


def project_scope(user, prefix: str = "") -> Q:
    """A Q limiting projects (or records reached through `prefix`, e.g. "project__") to `user`."""
    if not user or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if _is_admin(user) or user.role == Role.CITY:
        return Q()
    if user.role == Role.UNIT_STAFF:
        return Q(**{f"{prefix}unit_id": user.unit_id}) if user.unit_id else Q(pk__in=[])
    district_id = user.home_district_id
    if user.role == Role.SYSTEM and district_id is None:
        return Q()
    if district_id is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}district_id": district_id})


def sees_whole_district(user, district_id) -> bool:
    """Whether `user` sees every project of the district, not just a unit's (what project_scope
    grants: administrators, city users and city-wide system accounts see every district)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if _is_admin(user) or user.role == Role.CITY:
        return True
    if user.role == Role.UNIT_STAFF:
        return False
    if user.role == Role.SYSTEM and user.home_district_id is None:
        return True
    return user.home_district_id is not None and user.home_district_id == district_id


def scope_projects(user, queryset):
    return queryset.filter(project_scope(user))


def district_scope(user, field: str = "district_id") -> Q:
    """A Q limiting district-level records (published ledgers, reminders) to `user`."""
    if not user or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if _is_admin(user) or user.role == Role.CITY:
        return Q()
    district_id = user.home_district_id
    if district_id is None:
        return Q() if user.role == Role.SYSTEM else Q(pk__in=[])
    return Q(**{field: district_id})


def sees_several_districts(user) -> bool:
    """Whether `user` reads every district (city users, administrators, city-wide system
    accounts): pages then name each record's district and offer the district filter."""
    return district_scope(user) == Q()


def unit_scope(user, prefix: str = "") -> Q:
    """A Q limiting units (or records reached through `prefix`, e.g. "unit__") to those whose
    projects `user` may create or edit: a clerk's own unit, a manager's (or a district system
    account's) district's, every unit for an administrator or a city-wide system account; none
    for read-only users."""
    if not can_write(user):
        return Q(pk__in=[])
    if _is_admin(user):
        return Q()
    if user.role == Role.UNIT_STAFF:
        return Q(**{f"{prefix}pk": user.unit_id}) if user.unit_id else Q(pk__in=[])
    if user.home_district_id is None:
        return Q() if user.role == Role.SYSTEM else Q(pk__in=[])
    return Q(**{f"{prefix}district_id": user.home_district_id})


def investor_edit_scope(user, projects) -> Q:
    """A Q limiting investors to those `user` may change: every project of theirs (`projects`,
    the Project queryset, handed in so that this layer imports no domain model) lies in a unit
    the user may write to. An investor's facts (high-tech, say) count in the figures of every
    district it invests in, so one district's clerk cannot rewrite another's."""
    if not can_write(user):
        return Q(pk__in=[])
    if _is_admin(user):
        return Q()
    beyond = projects.filter(investor=OuterRef("pk")).exclude(unit_scope(user, "unit__"))
    return Q(~Exists(beyond))


def can_edit_investor(user, investor) -> bool:
    if not can_write(user):
        return False
    if _is_admin(user):
        return True
    return not investor.projects.exclude(unit_scope(user, "unit__")).exists()


def request_scope(user) -> Q:
    """A Q limiting 诉求 to `user`: those of the projects it sees, plus those assigned to its
    unit (the assigned unit sees the request, though not always the project)."""
    query = project_scope(user, "project__")
    if user and user.is_authenticated and user.is_active and user.unit_id:
        query |= Q(assigned_unit_id=user.unit_id)
    return query


def change_scope(user) -> Q:
    """A Q limiting change-log rows (the changes feed, webhooks, the audit trail) to `user`: a
    project's changes to those who see the project (by the unit and district it had when the
    change was made), a district's own (published ledgers, targets) to those who see the
    district, and changes of shared records (investors, reference data) to everyone signed in."""
    if not user or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return (
        (Q(project_id__isnull=False) & project_scope(user))
        | (Q(project_id__isnull=True, district_id__isnull=False) & district_scope(user))
        | Q(project_id__isnull=True, district_id__isnull=True)
    )


def can_manage_webhooks(user) -> bool:
    """Webhook subscriptions are for system accounts (read-only ones too: a subscription
    changes no fact) and administrators."""
    return bool(
        user and user.is_authenticated and user.is_active and (_is_admin(user) or user.role == Role.SYSTEM)
    )


def webhook_scope(user) -> Q:
    """A Q limiting webhook subscriptions to their owner's (all of them for an administrator)."""
    if not can_manage_webhooks(user):
        return Q(pk__in=[])
    return Q() if _is_admin(user) else Q(owner_id=user.pk)


def can_write(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (_is_admin(user) or (user.role != Role.CITY and not user.read_only))
    )


def is_manager_of(user, district_id) -> bool:
    if not can_write(user):
        return False
    if _is_admin(user):
        return True
    if user.role == Role.DISTRICT_MANAGER:
        return user.district_id == district_id
    if user.role == Role.SYSTEM:
        return user.district_id in (None, district_id)
    return False


def can_edit_project(user, project) -> bool:
    if not can_write(user):
        return False
    if user.role == Role.UNIT_STAFF and not _is_admin(user):
        return project.unit_id == user.unit_id
    return is_manager_of(user, project.district_id)


def can_change_project(user, project) -> bool:
    """A project's facts are changed, and 诉求 raised for it, by whoever may edit it, while it
    is not terminated: a terminated project stays as it left the pool, read-only (its last
    month's progress is still filed, and a manager may void the termination to reopen it)."""
    return can_edit_project(user, project) and getattr(project, "terminated_on", None) is None


def can_create_in_unit(user, unit) -> bool:
    if not can_write(user):
        return False
    if user.role == Role.UNIT_STAFF and not _is_admin(user):
        return unit.pk == user.unit_id
    return is_manager_of(user, unit.district_id)


def can_record_step(user, project, step) -> bool:
    """A milestone the bureau decides (a review, an exit: `step.decided_by_manager`, from
    projects.lifecycle) is a manager's; the others are for whoever may edit the project."""
    if step.decided_by_manager:
        return is_manager_of(user, project.district_id)
    return can_edit_project(user, project)


def can_void(user, project) -> bool:
    return is_manager_of(user, project.district_id)


def can_publish(user, district_id) -> bool:
    return is_manager_of(user, district_id)


def can_issue_reminders(user, district_id) -> bool:
    """工作提示函/催办函 are the district bureau's letters: its managers issue them."""
    return is_manager_of(user, district_id)


def is_unit_staff(user) -> bool:
    """A clerk of a responsible unit (an administrator is never one, whatever its role)."""
    return bool(user and user.is_authenticated and user.role == Role.UNIT_STAFF and not _is_admin(user))


def can_file_progress(user) -> bool:
    """Monthly progress is filed by anyone who writes, except a clerk with no unit."""
    if not can_write(user):
        return False
    return _is_admin(user) or user.role != Role.UNIT_STAFF or user.unit_id is not None


def can_create_projects(user) -> bool:
    """Whoever may file progress may take new projects in (into the units unit_scope allows)."""
    return can_file_progress(user)


def can_resolve_request(user, request_obj) -> bool:
    """The assigned unit's staff, or a manager of the district, resolves a 诉求."""
    if not can_write(user):
        return False
    if is_manager_of(user, request_obj.assigned_unit.district_id):
        return True
    return user.unit_id is not None and user.unit_id == request_obj.assigned_unit_id


def can_propose_exit(user, project) -> bool:
    """An exit review (提请退出 / 申请保留) is proposed by whoever may edit the project — its
    unit's staff — or opened by a manager of the district; both also record its opinions."""
    return can_edit_project(user, project)


def can_decide_exit(user, project) -> bool:
    """The decision of an exit review (退出 / 保留) is the district bureau's: its managers'."""
    return is_manager_of(user, project.district_id)


def can_set_targets(user, district_id) -> bool:
    """Annual targets (年度目标任务) and the scorecard's weights are set by the district's managers."""
    return is_manager_of(user, district_id)


def can_import(user, district_id) -> bool:
    """A 台账 workbook is imported into a district by its managers (or a system account with
    write rights over it): an import records reviews and exits, which are the bureau's."""
    return is_manager_of(user, district_id)


def require(allowed: bool, message=None) -> None:
    if not allowed:
        raise Forbidden(message)


def reminder_scope(user) -> Q:
    """A Q limiting reminders (工作提示函/催办函) to `user`: unit staff see their own unit's,
    everyone else the reminders of the districts they see (city users: all)."""
    staff = user and user.is_authenticated and user.is_active and user.role == Role.UNIT_STAFF
    if staff and not _is_admin(user):
        return Q(unit_id=user.unit_id) if user.unit_id else Q(pk__in=[])
    return district_scope(user, "unit__district_id")


def can_acknowledge_reminder(user, reminder) -> bool:
    """Staff of the reminded unit, or a manager of its district, sign for it (签收)."""
    if not can_write(user):
        return False
    if user.role == Role.UNIT_STAFF and not _is_admin(user):
        return bool(user.unit_id) and reminder.unit_id == user.unit_id
    return is_manager_of(user, reminder.unit.district_id)


# --- 督办 (supervision): task forces, meetings, tasks, letters ---------------------------------


def task_scope(user) -> Q:
    """A Q limiting 督办事项 to `user`: unit staff see the tasks their unit must act on and those
    of their unit's projects; everyone else the tasks of the districts they see."""
    if is_unit_staff(user):
        if not user.is_active or not user.unit_id:
            return Q(pk__in=[])
        return Q(unit_id=user.unit_id) | Q(project__unit_id=user.unit_id)
    return district_scope(user, "district_id")


def meeting_scope(user) -> Q:
    """Scheduling meetings (调度会商) are the district's: everyone who sees the district sees them."""
    if is_unit_staff(user):
        district_id = user.home_district_id if user.is_active else None
        return Q(district_id=district_id) if district_id else Q(pk__in=[])
    return district_scope(user, "district_id")


def can_manage_tasks(user, district_id) -> bool:
    """A manager of the district assigns tasks, records meetings, verifies (验收销号), sends back and
    reassigns tasks: the bureau's side of 督办."""
    return is_manager_of(user, district_id)


def can_report_task(user, task) -> bool:
    """The acting unit's staff (or a manager of the district) report what was done (办理情况)."""
    if not can_write(user):
        return False
    if is_unit_staff(user):
        return bool(user.unit_id) and user.unit_id == task.unit_id
    return is_manager_of(user, task.district_id)


def can_raise_request(user, project) -> bool:
    """A 诉求 is raised for a project by whoever may edit it, while it is not terminated
    (can_change_project: a terminated project is read-only)."""
    return can_change_project(user, project)


def can_edit_task_force(user, project) -> bool:
    """The 专班 and its 推进方案 are kept by the project's unit or a manager of the district."""
    return can_edit_project(user, project)


def can_reply_letter(user, reminder) -> bool:
    """The addressed unit replies to a letter in writing (a manager may enter it on its behalf)."""
    return can_acknowledge_reminder(user, reminder)


def can_use_admin(user) -> bool:
    """The admin (/admin/) is for administrators and for district managers, who see there only
    their district, as everywhere. Clerks, city users and system accounts use the pages and the
    API: the admin is a second, rawer way in that they do not need."""
    if not user or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    return _is_admin(user) or (user.role == Role.DISTRICT_MANAGER and user.district_id is not None)


def can_manage_accounts(user) -> bool:
    """Users, their roles and tokens: administrators only (a manager who could edit users could
    make itself an administrator)."""
    return _is_admin(user)


def reference_scope(user, field: str = "district_id") -> Q:
    """A Q limiting the reference records of the admin (districts: field "pk"; units and parks)
    to the districts `user` sees."""
    return district_scope(user, field)


def can_attach_investor(user, investor, district_id) -> bool:
    """Whether `user` may put `investor` on a project of district `district_id` (creating it or
    changing its investor): only an investor with no project in another district. Attaching
    another district's investor would lock that district out of editing it
    (investor_edit_scope); an investor that really invests in two districts is joined by an
    administrator (or a city-wide system account)."""
    if not can_write(user):
        return False
    if _is_admin(user) or (user.role == Role.SYSTEM and user.home_district_id is None):
        return True
    return not investor.projects.exclude(district_id=district_id).exists()


def can_sign_in_with_password(user) -> bool:
    """People sign in with a password; a system account calls the API with its token only,
    unless an administrator marked it otherwise (password_sign_in)."""
    if not user or not user.is_active:
        return False
    return _is_admin(user) or user.role != Role.SYSTEM or user.password_sign_in
