"""Forms that translate a person's input into service calls (shared by the admin and pages).

They hold no rules: the services decide, and a ServiceError is shown beside its field.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import local_today
from core.errors import ServiceError
from core.money import AREA_M2, AREA_MU
from pipeline.models import ExitReason
from pipeline.transitions import event_void, milestone_record
from projects.lifecycle import NEXT_STAGE, STAGE_DATA_FIELDS, TRANSITIONS, Stage


def version_field() -> forms.IntegerField:
    """The project's version the page was drawn from: a change made on an older one is refused
    (conflict). Always sent by the page; a post without it is refused too, never let through."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("页面缺少项目版本信息，请刷新页面后重新提交。"),
            "invalid": _("项目版本信息无效，请刷新页面后重新提交。"),
        },
    )


class ServiceForm(forms.Form):
    """A form whose save() calls a service; refusals become field errors."""

    def run(self, call):
        try:
            return call()
        except ServiceError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, str(error.message))
            return None


class MilestoneForm(ServiceForm):
    """Record the next milestone; the fields shown follow the target stage."""

    stage = forms.ChoiceField(label=_("登记阶段"), choices=())
    date = forms.DateField(
        label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}), initial=local_today
    )
    industry_opinion = forms.CharField(
        label=_("行业评估意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    expert_opinion = forms.CharField(
        label=_("专家论证意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    department_opinion = forms.CharField(
        label=_("部门联动意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    contract_no = forms.CharField(label=_("合同编号"), max_length=64, required=False)
    contract_investment = forms.DecimalField(
        label=_("合同投资额（万元）"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
    actual_output = forms.DecimalField(
        label=_("实际年产值（万元）"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
    reason = forms.ChoiceField(label=_("退出原因"), choices=[("", "—")] + ExitReason.choices, required=False)
    reclaimed_land_mu = forms.DecimalField(label=_("收回土地（亩）"), **AREA_MU, required=False, min_value=0)
    reclaimed_building_m2 = forms.DecimalField(
        label=_("收回厂房（平方米）"), **AREA_M2, required=False, min_value=0
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = version_field()

    def __init__(self, *args, project, stage=None, **kwargs):
        self.project = project
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("stage", stage or NEXT_STAGE.get(project.stage) or "")
        initial.setdefault("version", project.version)
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(project.stage, frozenset())
        self.fields["stage"].choices = [(s.value, s.label) for s in Stage if s in allowed]

    @staticmethod
    def fields_for(stage: str) -> tuple[str, ...]:
        return STAGE_DATA_FIELDS.get(stage, ())

    def save(self, by):
        data = self.cleaned_data
        stage = data["stage"]
        extra = {field: data.get(field) for field in self.fields_for(stage)}
        return self.run(
            lambda: milestone_record(
                project=self.project,
                by=by,
                stage=stage,
                date=data["date"],
                note=data.get("note", ""),
                expected_version=data.get("version"),
                **extra,
            )
        )


class VoidForm(ServiceForm):
    reason = forms.CharField(label=_("作废原因"), widget=forms.Textarea(attrs={"rows": 2}))
    version = version_field()

    def __init__(self, *args, project, **kwargs):
        self.project = project
        kwargs.setdefault("initial", {}).setdefault("version", project.version)
        super().__init__(*args, **kwargs)

    def save(self, by):
        return self.run(
            lambda: event_void(
                project=self.project,
                by=by,
                reason=self.cleaned_data["reason"],
                expected_version=self.cleaned_data.get("version"),
            )
        )
