"""Forms of the staff pages. They translate input into service calls and show a refusal
(ServiceError or the model's ValidationError) beside the field it names; no rule lives here."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Role
from core.errors import ServiceError
from pipeline.forms import MilestoneForm, version_field
from pipeline.intake import project_create
from pipeline.models import MonthlyProgress, Review
from pipeline.progress import progress_save
from pipeline.transitions import review_record
from projects.filters import ProjectFilter
from projects.lifecycle import STEPS, Stage
from projects.models import Investor, Park, Project, Unit
from projects.services import (
    INVESTOR_FIELDS,
    PROJECT_EDITABLE_FIELDS,
    investor_create,
    investor_update,
    project_update,
)


class IsoDateInput(forms.DateInput):
    """<input type=date>: browsers read and send its value as YYYY-MM-DD in every language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def add_service_error(form, error: ServiceError) -> None:
    """Show a service's refusal beside the field it names (or above the form). A model
    validation refusal carries every field's messages; each goes beside its own field."""
    by_field = error.params.get("errors")
    if isinstance(by_field, dict) and by_field:
        for field, messages in by_field.items():
            form.add_error(field if field in form.fields else None, list(messages))
        return
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def add_validation_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def units_for(user):
    """Units whose records `user` may see (its district's, or all for city users)."""
    return Unit.objects.filter(roles.district_scope(user)).select_related("district")


def writable_units(user):
    """Units `user` may create projects in (accounts.roles.unit_scope)."""
    return Unit.objects.filter(roles.unit_scope(user)).select_related("district")


class PageProjectFilter(ProjectFilter):
    """The shared project filters, with choices narrowed to what the user can see."""

    PAGE_FIELDS = (
        "search",
        "stage",
        "industry",
        "park",
        "unit",
        "is_overdue",
        "signed_from",
        "signed_to",
        "started_from",
        "started_to",
        "min_investment",
        "max_investment",
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        for name in ("signed_from", "signed_to", "started_from", "started_to"):
            self.filters[name].extra["widget"] = IsoDateInput()
        self.filters["stage"].extra["widget"] = forms.CheckboxSelectMultiple
        self.filters["search"].extra["widget"] = forms.TextInput(
            attrs={"placeholder": _("项目名称、编号或投资主体"), "type": "search"}
        )
        self.filters["is_overdue"].extra["widget"] = forms.Select(
            choices=[("", _("全部")), ("true", _("仅逾期")), ("false", _("未逾期"))]
        )
        self.user = user

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.fields["unit"].queryset = units_for(self.user)
            form.fields["park"].queryset = Park.objects.filter(roles.district_scope(self.user))
            form.fields["unit"].label_from_instance = lambda unit: unit.name
            if "district" in form.fields and self.user.role != Role.CITY:
                del form.fields["district"]
        return self._form


class ProjectForm(forms.ModelForm):
    """Create or edit a project's facts through projects.services."""

    negotiation_started_on = forms.DateField(
        label=_("开始洽谈日期"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("留空则为今天。"),
    )
    version = version_field()

    class Meta:
        model = Project
        fields = PROJECT_EDITABLE_FIELDS
        widgets = {
            "planned_sign_date": IsoDateInput(),
            "planned_start_date": IsoDateInput(),
            "planned_production_date": IsoDateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        creating = self.instance.pk is None
        if creating:
            self.fields.pop("version")
        else:
            self.fields.pop("negotiation_started_on")
            self.initial.setdefault("version", self.instance.version)
        units = writable_units(user)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.name
        if creating and user.role == Role.UNIT_STAFF and user.unit_id:
            self.initial.setdefault("unit", user.unit_id)
        district_id = self.instance.district_id or user.home_district_id
        parks = Park.objects.all() if district_id is None else Park.objects.filter(district_id=district_id)
        self.fields["park"].queryset = parks
        self.fields["investor"].queryset = Investor.objects.order_by("name")
        self.fields["industry"].label_from_instance = lambda industry: (
            f"{industry.code} {industry.name}" if industry.parent_id else industry.name
        )

    def _post_clean(self):
        # The service validates the whole record; the form only parses the input.
        pass

    def save(self, commit=True):
        fields = {name: self.cleaned_data.get(name) for name in PROJECT_EDITABLE_FIELDS}
        for name in ("lead_official", "task_force", "description"):
            fields[name] = fields[name] or ""
        if fields.get("total_investment") is None:
            fields["total_investment"] = 0
        try:
            if self.instance.pk is None:
                return project_create(
                    by=self.user,
                    negotiation_started_on=self.cleaned_data.get("negotiation_started_on"),
                    **fields,
                )
            return project_update(
                project=self.instance,
                by=self.user,
                expected_version=self.cleaned_data.get("version"),
                **fields,
            )
        except ServiceError as error:
            add_service_error(self, error)
        except ValidationError as error:
            add_validation_error(self, error)
        return None


class InvestorForm(forms.ModelForm):
    class Meta:
        model = Investor
        fields = INVESTOR_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _post_clean(self):
        pass

    def save(self, commit=True):
        fields = {name: self.cleaned_data.get(name) for name in INVESTOR_FIELDS}
        fields["credit_code"] = fields["credit_code"] or ""
        fields["origin"] = fields["origin"] or ""
        try:
            if self.instance.pk is None:
                return investor_create(by=self.user, **fields)
            return investor_update(investor=Investor.objects.get(pk=self.instance.pk), by=self.user, **fields)
        except ServiceError as error:
            add_service_error(self, error)
        except ValidationError as error:
            add_validation_error(self, error)
        return None


class StaffMilestoneForm(MilestoneForm):
    """The milestone form of pipeline.forms, offering only the stages the user may record,
    plus the review's decision: a rejecting review is kept and the project stays negotiating."""

    decision = forms.ChoiceField(
        label=_("审议结论"),
        choices=Review.RECORDED_DECISIONS,
        initial=Review.Decision.APPROVED,
        required=False,
    )

    # Which target stages each optional field belongs to (the page shows/hides them).
    FIELD_STAGES = {
        "decision": (Stage.APPROVED,),
        "industry_opinion": (Stage.APPROVED,),
        "expert_opinion": (Stage.APPROVED,),
        "department_opinion": (Stage.APPROVED,),
        "contract_no": (Stage.SIGNED,),
        "contract_investment": (Stage.SIGNED,),
        "actual_output": (Stage.AT_CAPACITY,),
        "reason": (Stage.TERMINATED,),
        "reclaimed_land_mu": (Stage.TERMINATED,),
        "reclaimed_building_m2": (Stage.TERMINATED,),
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["stage"].choices = [
            (value, label)
            for value, label in self.fields["stage"].choices
            if roles.can_record_step(user, self.project, STEPS[value])
        ]
        self.order_fields(["stage", "date", "decision"])
        self.fields["date"].widget = IsoDateInput()
        for name, field in self.fields.items():
            if name in self.FIELD_STAGES:
                field.stages = " ".join(self.FIELD_STAGES[name])

    def save(self, by):
        data = self.cleaned_data
        if data["stage"] == Stage.APPROVED and data.get("decision") == Review.Decision.REJECTED:
            return self.run(
                lambda: review_record(
                    project=self.project,
                    by=by,
                    decision=Review.Decision.REJECTED,
                    date=data["date"],
                    industry_opinion=data.get("industry_opinion") or "",
                    expert_opinion=data.get("expert_opinion") or "",
                    department_opinion=data.get("department_opinion") or "",
                    note=data.get("note") or "",
                    expected_version=data.get("version"),
                )
            )
        return super().save(by)


class ProgressRowForm(forms.Form):
    """One project's row of the month's progress sheet."""

    project = forms.IntegerField(widget=forms.HiddenInput)
    funds_in_place = forms.DecimalField(
        label=_("当月资金到位（万元）"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
    investment_completed = forms.DecimalField(
        label=_("当月完成投资（万元）"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
    progress = forms.CharField(label=_("进展情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def save(self, *, project, by, month):
        data = self.cleaned_data
        try:
            return progress_save(
                project=project,
                by=by,
                month=month,
                funds_in_place=data.get("funds_in_place"),
                investment_completed=data.get("investment_completed"),
                progress=data.get("progress") or "",
                problems=data.get("problems") or "",
            )
        except ServiceError as error:
            add_service_error(self, error)
        return None

    @staticmethod
    def initial_for(project, record: MonthlyProgress | None) -> dict:
        if record is None:
            return {"project": project.pk}
        return {
            "project": project.pk,
            "funds_in_place": record.funds_in_place,
            "investment_completed": record.investment_completed,
            "progress": record.progress,
            "problems": record.problems,
        }


ProgressFormSet = forms.formset_factory(ProgressRowForm, extra=0)
