"""Forms of the 督办 pages: they turn input into one service call and show a refusal beside the
field it names; no rule lives here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import ServiceError
from projects.models import Project, Unit
from supervision.letters import letter_reply
from supervision.meetings import meeting_record
from supervision.models import Meeting, Task
from supervision.taskforces import task_force_save
from supervision.tasks import task_create, task_reassign, task_reject, task_report, task_verify
from web.pages.forms import IsoDateInput, add_service_error


def _unit_choices(field, district_id):
    field.queryset = Unit.objects.filter(district_id=district_id).order_by("code")
    field.label_from_instance = lambda unit: unit.name


class ServiceForm(forms.Form):
    def call(self, service, **kwargs):
        try:
            return service(**kwargs)
        except ServiceError as error:
            add_service_error(self, error)
        return None


class TaskForm(ServiceForm):
    """A manager's task, or (with a project and a category) a project's 诉求."""

    category = forms.ChoiceField(label=_("诉求类别"), choices=Task.Category.choices)
    content = forms.CharField(label=_("督办内容"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none())
    due_date = forms.DateField(label=_("办结时限"), widget=IsoDateInput())

    def __init__(self, *args, district_id, project=None, request=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.request = project, request
        _unit_choices(self.fields["unit"], district_id)
        if not request:
            del self.fields["category"]

    def save(self, by):
        data = dict(self.cleaned_data)
        if self.request:
            data["source"] = Task.Source.REQUEST
        return self.call(task_create, by=by, project=self.project, **data)


class ReportForm(ServiceForm):
    text = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 2}))
    date = forms.DateField(
        label=_("办理日期"), required=False, widget=IsoDateInput(), help_text=_("留空则为今天。")
    )

    def save(self, task, by):
        return self.call(task_report, task=task, by=by, **self.cleaned_data)


class VerifyForm(ServiceForm):
    note = forms.CharField(label=_("验收意见"), required=False)
    date = forms.DateField(label=_("销号日期"), required=False, widget=IsoDateInput())

    def save(self, task, by):
        return self.call(task_verify, task=task, by=by, **self.cleaned_data)


class RejectForm(ServiceForm):
    reason = forms.CharField(label=_("退回理由"))

    def save(self, task, by):
        return self.call(task_reject, task=task, by=by, **self.cleaned_data)


class ReassignForm(ServiceForm):
    unit = forms.ModelChoiceField(label=_("改派至"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("改派理由"))

    def __init__(self, *args, district_id, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_choices(self.fields["unit"], district_id)

    def save(self, task, by):
        return self.call(task_reassign, task=task, by=by, **self.cleaned_data)


class MeetingForm(ServiceForm):
    date = forms.DateField(label=_("会议日期"), widget=IsoDateInput())
    kind = forms.ChoiceField(label=_("会议类别"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=128)
    chair = forms.CharField(label=_("主持人"), max_length=32)
    units = forms.ModelMultipleChoiceField(
        label=_("参会单位"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("研究项目"), queryset=Project.objects.none(), required=False
    )
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, district, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        _unit_choices(self.fields["units"], district.pk)
        self.fields["projects"].queryset = projects
        self.fields["projects"].label_from_instance = lambda project: f"{project.code} {project.name}"

    def save(self, by, tasks):
        return self.call(meeting_record, by=by, district=self.district, tasks=tasks, **self.cleaned_data)


class MeetingTaskForm(forms.Form):
    """One 交办事项 row of the meeting form; an empty row is skipped."""

    content = forms.CharField(label=_("交办内容"), required=False)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none(), required=False)
    project = forms.ModelChoiceField(label=_("项目"), queryset=Project.objects.none(), required=False)
    due_date = forms.DateField(label=_("办结时限"), required=False, widget=IsoDateInput())

    def __init__(self, *args, district_id, projects, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_choices(self.fields["unit"], district_id)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda project: project.name

    def item(self):
        data = self.cleaned_data
        if not data.get("content") and not data.get("unit"):
            return None
        return {
            "content": data.get("content"),
            "unit": data.get("unit"),
            "due_date": data.get("due_date"),
            "project": data.get("project"),
        }


MeetingTaskFormSet = forms.formset_factory(MeetingTaskForm, extra=4, max_num=30)


def _lines(text: str, keys: tuple[str, ...]) -> list[dict]:
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.replace("｜", "|").split("|")]
        rows.append({key: (parts[i] if i < len(parts) and parts[i] else None) for i, key in enumerate(keys)})
    return rows


class TaskForceForm(ServiceForm):
    leader = forms.CharField(label=_("包抓领导"), max_length=32)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())
    plan = forms.CharField(label=_("推进方案"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    members = forms.CharField(
        label=_("专班成员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一人：姓名 | 单位 | 职责 | 电话"),
    )
    steps = forms.CharField(
        label=_("推进节点"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一个节点：节点名称 | 计划完成日期 | 实际完成日期（YYYY-MM-DD，未完成留空）"),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        _unit_choices(self.fields["lead_unit"], project.district_id)

    def save(self, by):
        data = dict(self.cleaned_data)
        members = [
            {k: v or "" for k, v in row.items()}
            for row in _lines(data.pop("members"), ("name", "unit", "role", "phone"))
        ]
        steps = _lines(data.pop("steps"), ("name", "planned_on", "done_on"))
        return self.call(task_force_save, project=self.project, by=by, members=members, steps=steps, **data)


class ReplyForm(ServiceForm):
    text = forms.CharField(label=_("回复内容（整改措施）"), widget=forms.Textarea(attrs={"rows": 4}))
    date = forms.DateField(
        label=_("回复日期"), required=False, widget=IsoDateInput(), help_text=_("留空则为今天。")
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects
        for project in projects:
            self.fields[f"measures_{project['id']}"] = forms.CharField(
                label=_("%(name)s：整改措施") % {"name": project["name"]}, required=False
            )
            self.fields[f"expected_{project['id']}"] = forms.DateField(
                label=_("预计完成日期"), required=False, widget=IsoDateInput()
            )

    def save(self, letter, by):
        items = [
            {
                "project": p["id"],
                "measures": self.cleaned_data[f"measures_{p['id']}"],
                "expected_date": self.cleaned_data[f"expected_{p['id']}"],
            }
            for p in self.projects
            if self.cleaned_data.get(f"measures_{p['id']}")
        ]
        return self.call(
            letter_reply,
            letter=letter,
            by=by,
            text=self.cleaned_data["text"],
            date=self.cleaned_data["date"],
            items=items,
        )
