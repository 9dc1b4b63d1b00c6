"""Forms that translate a person's input into service calls (shared by the admin and pages).

They hold no rules: the services decide, and a ServiceError is shown beside its field.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import local_today
from core.errors import ServiceError
from core.money import AREA_M2, AREA_MU
from pipeline.models import ExitReason
from pipeline.transitions import clean_stage_data, event_void, milestone_record
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


def add_refusal(form, error: ServiceError) -> None:
    """A service's refusal beside the field it names; one that found several problems
    (params["errors"]: field → messages) shows each beside its own field, all at once."""
    by_field = error.params.get("errors")
    if isinstance(by_field, dict) and by_field:
        for field, messages in by_field.items():
            form.add_error(field if field in form.fields else None, list(messages))
        return
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


class ServiceForm(forms.Form):
    """A form whose save() calls a service; refusals become field errors."""

    def run(self, call):
        try:
            return call()
        except ServiceError as error:
            add_refusal(self, error)
            return None


def amount_field(label, *, positive: bool = False, **shape) -> forms.DecimalField:
    """An amount (万元, 亩, m²) with the bureau's own messages instead of Django's generic ones."""
    messages = {
        "invalid": _("%(label)s应为数字，如 1200 或 1200.50。") % {"label": label},
        "min_value": (_("%(label)s应大于 0。") if positive else _("%(label)s不能为负数。"))
        % {"label": label},
        "max_digits": _("%(label)s数值过大，请核对单位（万元 / 亩 / 平方米）。") % {"label": label},
        "max_decimal_places": _("%(label)s最多保留两位小数。") % {"label": label},
        "max_whole_digits": _("%(label)s数值过大，请核对单位（万元 / 亩 / 平方米）。") % {"label": label},
    }
    return forms.DecimalField(label=label, required=False, min_value=0, error_messages=messages, **shape)


class MilestoneForm(ServiceForm):
    """Record the next milestone; the fields shown follow the target stage."""

    stage = forms.ChoiceField(label=_("登记阶段"), choices=())
    date = forms.DateField(
        label=_("发生日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=local_today,
        error_messages={
            "required": _("请填写发生日期。"),
            "invalid": _("发生日期应为 YYYY-MM-DD 格式的日期。"),
        },
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
    contract_investment = amount_field(
        _("合同投资额（万元）"), positive=True, max_digits=16, decimal_places=2
    )
    actual_output = amount_field(_("实际年产值（万元）"), max_digits=16, decimal_places=2)
    reason = forms.ChoiceField(label=_("退出原因"), choices=[("", "—")] + ExitReason.choices, required=False)
    reclaimed_land_mu = amount_field(_("收回土地（亩）"), **AREA_MU)
    reclaimed_building_m2 = amount_field(_("收回厂房（平方米）"), **AREA_M2)
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

    def clean(self):
        """Every problem at once: the stage's data is checked by the service's own rule
        (pipeline.transitions.clean_stage_data) beside the fields' own checks, so a date error
        and three empty opinions are shown together."""
        data = super().clean()
        stage = data.get("stage")
        if stage in STAGE_DATA_FIELDS and self.checks_stage_data():
            extra = {
                field: data.get(field)
                for field in self.fields_for(stage)
                if field not in self.errors and field in self.fields
            }
            try:
                clean_stage_data(stage, extra)
            except ServiceError as error:
                by_field = error.params.get("errors") or {error.field: [str(error.message)]}
                for field, messages in by_field.items():
                    if field not in self.errors:  # a field's own error (not a number…) says enough
                        self.add_error(field if field in self.fields else None, messages)
        return data

    def checks_stage_data(self) -> bool:
        return True

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
