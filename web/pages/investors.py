"""Investors (投资主体): a searchable list, create (warning of a likely duplicate) and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from projects.models import Investor, Project
from projects.selectors import investor_queryset
from web.pages.access import deny_unless
from web.pages.duplicates import likely_duplicate_investors
from web.pages.forms import InvestorForm

PAGE_SIZE = 20


@login_required
def investor_list(request):
    query = request.GET.get("q", "").strip()
    # Investors are shared; their project count is of the projects this user may see.
    scope = roles.project_scope(request.user, "projects__")
    queryset = investor_queryset().annotate(
        project_count=Count("projects", filter=scope) if scope else Count("projects")
    )
    if "\x00" in query:
        messages.error(request, _("搜索内容含有非法字符，请重新输入。"))
        query, queryset = "", queryset.none()
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query) | Q(credit_code=query.upper()) | Q(origin__icontains=query)
        )
    page = Paginator(queryset.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    editable = set(
        Investor.objects.filter(
            roles.investor_edit_scope(request.user, Project.objects.all()),
            pk__in=[investor.pk for investor in page],
        ).values_list("pk", flat=True)
    )
    for investor in page:
        investor.can_edit = investor.pk in editable
    return render(
        request,
        "web/pages/investor_list.html",
        {"page": page, "q": query, "can_write": roles.can_write(request.user)},
    )


def _next_url(request):
    target = request.GET.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None


@login_required
def investor_create(request):
    user = request.user
    deny_unless(roles.can_write(user))
    form = InvestorForm(request.POST or None, user=user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm_duplicate") != "1":
            duplicates = likely_duplicate_investors(
                name=form.cleaned_data["name"], credit_code=form.cleaned_data.get("credit_code") or ""
            )
        if not duplicates:
            investor = form.save()
            if investor is not None:
                messages.success(request, _("已登记投资主体“%(name)s”。") % {"name": investor.name})
                return redirect(_next_url(request) or "investors")
    return render(
        request, "web/pages/investor_form.html", {"form": form, "duplicates": duplicates, "creating": True}
    )


@login_required
def investor_edit(request, pk):
    user = request.user
    investor = get_object_or_404(investor_queryset(), pk=pk)
    deny_unless(roles.can_edit_investor(user, investor))
    form = InvestorForm(request.POST or None, instance=investor, user=user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved is not None:
            messages.success(request, _("投资主体信息已保存。"))
            return redirect("investors")
    return render(
        request, "web/pages/investor_form.html", {"form": form, "investor": investor, "creating": False}
    )
