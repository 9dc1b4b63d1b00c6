"""The project admin: a project with its lifecycle records (read only) and the stage forms
that record and void milestones through pipeline.transitions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.roles import project_scope
from pipeline import intake
from pipeline.forms import MilestoneForm, VoidForm
from pipeline.models import MonthlyProgress, Request, Review, StageEvent
from projects import services
from projects.admin import ServiceRefusalsAsFormErrors
from projects.models import PROJECT_DERIVED, PROJECT_FACT_GROUPS, Industry, Park, Project, Unit
from projects.overdue import overdue_expression, overdue_q


class IndustrySubtreeFilter(admin.SimpleListFilter):
    title = _("产业（含下级）")
    parameter_name = "industry_tree"

    def lookups(self, request, model_admin):
        return [(i.code, f"{'— ' if i.parent_id else ''}{i.name}") for i in Industry.objects.order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            root = Industry.objects.filter(code=self.value()).first()
            if root:
                return queryset.filter(industry_id__in=Industry.objects.subtree_ids(root))
        return queryset


class UnitListFilter(admin.RelatedFieldListFilter):
    """The responsible units of the user's district (all for city-wide users), their
    districts joined in the same query."""

    def field_choices(self, field, request, model_admin):
        units = Unit.objects.filter(roles.district_scope(request.user)).select_related("district")
        return [(unit.pk, str(unit)) for unit in units]


class OverdueFilter(admin.SimpleListFilter):
    title = _("是否逾期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("逾期")), ("no", _("未逾期"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q())
        if self.value() == "no":
            return queryset.exclude(overdue_q())
        return queryset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StageEventInline(ReadOnlyInline):
    model = StageEvent
    fields = (
        "stage",
        "date",
        "contract_no",
        "contract_investment",
        "reason",
        "note",
        "recorded_by",
        "recorded_at",
        "voided_at",
        "void_reason",
    )
    readonly_fields = fields
    ordering = ("date", "id")
    verbose_name_plural = _("阶段节点（只读，通过“登记节点”“作废节点”修改）")


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ("date", "decision", "industry_opinion", "expert_opinion", "department_opinion")
    readonly_fields = fields


class MonthlyProgressInline(ReadOnlyInline):
    model = MonthlyProgress
    fields = ("month", "funds_in_place", "investment_completed", "progress", "problems")
    readonly_fields = fields
    ordering = ("-month",)


class RequestInline(ReadOnlyInline):
    model = Request
    fk_name = "project"
    fields = ("category", "description", "assigned_unit", "raised_on", "due_date", "status", "resolved_on")
    readonly_fields = fields
    ordering = ("status", "due_date")


class ProjectAddForm(forms.ModelForm):
    negotiation_started_on = forms.DateField(
        label=_("开始洽谈日期"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("留空则为今天；项目的起始节点（在谈）以此日期登记。"),
    )

    class Meta:
        model = Project
        fields = services.PROJECT_EDITABLE_FIELDS


@admin.register(Project)
class ProjectAdmin(ServiceRefusalsAsFormErrors, admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "district",
        "unit",
        "industry",
        "stage",
        "stage_since",
        "total_investment",
        "overdue_flag",
    )
    list_filter = (
        "district",
        "stage",
        IndustrySubtreeFilter,
        ("unit", UnitListFilter),
        OverdueFilter,
        "source",
    )
    search_fields = ("name", "code", "investor__name", "investor__credit_code")
    list_select_related = ("district", "unit__district", "industry")
    autocomplete_fields = ("investor",)
    _derived = ("district", *PROJECT_DERIVED, "version")
    readonly_fields = ("code", *_derived, "stage_actions")
    fieldsets = (
        *(
            (title, {"fields": ("code", *names) if title is None else names})
            for title, names in PROJECT_FACT_GROUPS
        ),
        (_("阶段（由节点自动生成）"), {"fields": ("stage_actions", *_derived)}),
    )
    inlines = (StageEventInline, ReviewInline, MonthlyProgressInline, RequestInline)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Offer only the units and parks of the user's own district (all for city-wide users)."""
        user = request.user
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(roles.unit_scope(user))
        elif db_field.name == "park":
            kwargs["queryset"] = Park.objects.filter(roles.district_scope(user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(is_overdue=overdue_expression())
        return queryset.filter(project_scope(request.user))

    @admin.display(description=_("逾期"), boolean=True, ordering="is_overdue")
    def overdue_flag(self, obj):
        return obj.is_overdue

    @admin.display(description=_("节点操作"))
    def stage_actions(self, obj):
        if not obj.pk:
            return _("保存后可登记节点。")
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
            reverse("admin:projects_project_milestone", args=[obj.pk]),
            _("登记节点"),
            reverse("admin:projects_project_void", args=[obj.pk]),
            _("作废最近节点"),
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return tuple(f for f in self.readonly_fields if f != "negotiation_started_on")
        return self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            first = ("name", "investor", "industry", "unit", "park", "source", "negotiation_started_on")
            return ((None, {"fields": first}), *self.fieldsets[1:3])
        return self.fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            # A form field of its own, not the model's (the model's date is derived).
            kwargs["form"] = ProjectAddForm
            kwargs["fields"] = [
                f for f in flatten_fieldsets(self.get_fieldsets(request)) if f != "negotiation_started_on"
            ]
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in services.PROJECT_EDITABLE_FIELDS if f in form.cleaned_data}
        if change:
            services.project_update(project=obj, by=request.user, **fields)
        else:
            created = intake.project_create(
                by=request.user,
                negotiation_started_on=form.cleaned_data.get("negotiation_started_on"),
                **fields,
            )
            obj.pk, obj.code = created.pk, created.code

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/milestone/",
                self.admin_site.admin_view(self.milestone_view),
                name="projects_project_milestone",
            ),
            path("<int:pk>/void/", self.admin_site.admin_view(self.void_view), name="projects_project_void"),
        ]
        return extra + super().get_urls()

    def _stage_form_view(self, request, pk, form_class, title, done):
        project = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, project):
            raise PermissionDenied
        form = form_class(request.POST or None, project=project)
        if request.method == "POST" and form.is_valid() and form.save(request.user) is not None:
            self.message_user(request, done, messages.SUCCESS)
            return redirect("admin:projects_project_change", project.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": project,
            "title": title,
            "form": form,
            "events": project.events.order_by("date", "id"),
        }
        return TemplateResponse(request, "admin/projects/project/stage_form.html", context)

    def milestone_view(self, request, pk):
        return self._stage_form_view(request, pk, MilestoneForm, _("登记节点"), _("节点已登记。"))

    def void_view(self, request, pk):
        return self._stage_form_view(
            request, pk, VoidForm, _("作废最近节点"), _("节点已作废，项目回到上一阶段。")
        )
