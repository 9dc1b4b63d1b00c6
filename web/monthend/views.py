"""The month end's pages: the month-end desk (screening list, pre-flight, publishing), the exit
review page, the printable 专项报告 and its .docx. Thin views over exits and monthend."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.dates import add_months, format_month, local_today, month_end, month_start, parse_month
from core.errors import ServiceError
from exits.screening import KINDS, kept_until, screening
from exits.selectors import exit_review_queryset, project_exit_reviews
from exits.services import exit_review_add_opinion, exit_review_decide, exit_review_open
from monthend.access import district_for, whole_district_for
from monthend.preflight import preflight
from monthend.publication import month_publish
from monthend.report import text
from monthend.report.content import report_for
from monthend.report.files import report_file
from monthend.selectors import publication_of
from pipeline import charts
from pipeline.models import ExitReason
from projects.lifecycle import Stage
from projects.models import District
from web.pages.access import deny_unless, visible_project

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _month(value: str):
    try:
        return parse_month(value)
    except ValueError:
        raise Http404 from None


def _district(request, *, whole: bool = True):
    """The district of the page (?district= or the reader's own); the desk and the report are
    the whole district's, the scorecard shows a clerk the unit's own row."""
    find = whole_district_for if whole else district_for
    try:
        return find(request.user, request.GET.get("district"))
    except ServiceError as error:
        raise Http404(error.message) from None


def _district_choice(request, first, title):
    """For a reader of several districts who has not named one: the districts to choose from
    (the desk and the report are a district's), instead of a bare 404."""
    if request.GET.get("district") or not roles.sees_several_districts(request.user):
        return None
    districts = District.objects.filter(roles.district_scope(request.user, "pk")).order_by("code")
    context = {"title": title, "month": format_month(first), "districts": districts}
    return render(request, "web/monthend/choose_district.html", context)


@login_required
def month_end_latest(request):
    return redirect("month-end", month=format_month(add_months(month_start(local_today()), -1)))


@login_required
def month_end_desk(request, month: str):
    """The manager's afternoon: the screening list, the exit reviews, the pre-flight, publishing."""
    first = _month(month)
    if first > month_start(local_today()):
        raise Http404
    choice = _district_choice(request, first, _("月末工作"))
    if choice is not None:
        return choice
    district = _district(request)
    listed = screening(first, user=request.user, filters={"district": district.code})
    publication = publication_of(district, first)
    can_publish = roles.can_publish(request.user, district.pk) and month_end(first) <= local_today()
    context = {
        "district": district,
        "month": format_month(first),
        "month_label": _("%(year)s年%(month)s月") % {"year": first.year, "month": first.month},
        "screening": listed,
        "kind_counts": [(kind, label, listed["counts"][kind]) for kind, label in KINDS.items()],
        "check": preflight(district=district, month=first) if can_publish else None,
        "publication": publication,
        "can_publish": can_publish,
        "previous_month": format_month(add_months(first, -1)),
        "next_month": format_month(add_months(first, 1)) if first < month_start(local_today()) else None,
        "proposals": [("exit", _("提请退出")), ("keep", _("申请保留"))],
    }
    return render(request, "web/monthend/month_end.html", context)


@login_required
@require_POST
def publish(request, month: str):
    first = _month(month)
    district = _district(request)
    target = reverse("month-end", kwargs={"month": format_month(first)})
    try:
        publication = month_publish(
            district=district,
            month=first,
            by=request.user,
            note=request.POST.get("note", ""),
            confirm_gaps=request.POST.get("confirm_gaps") == "on",
        )
    except ServiceError as error:  # gaps not confirmed among them: the desk shows them
        messages.error(request, error.message)
        return redirect(target)
    record = publication.ledger
    messages.success(
        request,
        _("已发布%(district)s %(month)s 台账（第%(version)s版）。")
        % {"district": district.name, "month": format_month(first), "version": record.version},
    )
    return redirect(target)


@login_required
@require_POST
def review_open(request, pk: int):
    project = visible_project(request.user, pk)
    deny_unless(roles.can_propose_exit(request.user, project))
    opinions = []
    if request.POST.get("opinion_text", "").strip():
        opinions.append(
            {"from": request.POST.get("opinion_from", ""), "text": request.POST.get("opinion_text", "")}
        )
    try:
        review = exit_review_open(
            project=project,
            by=request.user,
            proposal=request.POST.get("proposal", ""),
            reason=request.POST.get("reason", ""),
            opinions=opinions,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(request.POST.get("next") or reverse("project-detail", args=[project.pk]))
    messages.success(request, _("已提请退出审议。"))
    return redirect("exit-review", pk=review.pk)


@login_required
def review_detail(request, pk: int):
    review = get_object_or_404(exit_review_queryset(request.user), pk=pk)
    project = review.project
    context = {
        "review": review,
        "project": project,
        "history": project_exit_reviews(request.user, project),
        "can_add_opinion": not review.decision and roles.can_propose_exit(request.user, project),
        "can_decide": not review.decision and roles.can_decide_exit(request.user, project),
        "exit_reasons": ExitReason.choices,
        "today": local_today(),
        "form": request.session.pop(f"exit-review-{pk}", {}),
        "errors": request.session.pop(f"exit-review-{pk}-errors", {}),
    }
    return render(request, "web/monthend/review.html", context)


@login_required
@require_POST
def review_opinion(request, pk: int):
    review = get_object_or_404(exit_review_queryset(request.user), pk=pk)
    deny_unless(roles.can_propose_exit(request.user, review.project))
    try:
        exit_review_add_opinion(
            review=review,
            by=request.user,
            source=request.POST.get("source", ""),
            text=request.POST.get("text", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("exit-review", pk=pk)


@login_required
@require_POST
def review_decide(request, pk: int):
    review = get_object_or_404(exit_review_queryset(request.user), pk=pk)
    deny_unless(roles.can_decide_exit(request.user, review.project))
    post = request.POST
    decision = post.get("decision", "")
    data = {
        "decision": decision,
        "date": post.get("date", ""),
        "reason": post.get("reason", ""),
    }
    if decision == "exit":
        data.update(
            reclaimed_land_mu=post.get("reclaimed_land_mu") or None,
            reclaimed_building_m2=post.get("reclaimed_building_m2") or None,
            exit_reason=post.get("exit_reason") or None,
        )
    else:
        data["keep_until"] = post.get("keep_until") or None
    try:
        exit_review_decide(review=review, by=request.user, **data)
    except ServiceError as error:
        # Every field's refusal comes back at once beside its field, with the manager's input;
        # nothing was written.
        errors = error.params.get("errors") or {error.field or "": [str(error.message)]}
        messages.error(request, _("决定未保存：请按提示修改标红的 %(n)d 项。") % {"n": len(errors)})
        request.session[f"exit-review-{pk}"] = {
            key: str(value or "") for key, value in post.items() if key != "csrfmiddlewaretoken"
        }
        request.session[f"exit-review-{pk}-errors"] = {
            field: [str(message) for message in field_messages] for field, field_messages in errors.items()
        }
        return redirect("exit-review", pk=pk)
    messages.success(request, _("已作出退出审议决定。"))
    return redirect("exit-review", pk=pk)


def project_exit_context(user, project) -> dict:
    """The exit reviews on a project's page: its reviews, whether one is under way, whether a
    review keeps it in the pool today (已审议保留至 …), and whether `user` may propose one."""
    reviews = list(project_exit_reviews(user, project))
    under_way = next((review for review in reviews if not review.decision), None)
    return {
        "exit_reviews": reviews,
        "exit_review_open": under_way,
        "kept_until": kept_until(project),
        "can_propose_exit": under_way is None
        and project.stage not in (Stage.AT_CAPACITY, Stage.TERMINATED)
        and roles.can_propose_exit(user, project),
        "proposals": [("exit", _("提请退出")), ("keep", _("申请保留"))],
    }


def _report(request, month: str):
    first = _month(month)
    if first > month_start(local_today()):
        raise Http404
    version = request.GET.get("version")
    return first, _district(request), int(version) if version and version.isdigit() else None


@login_required
def report_page(request, month: str):
    """The 专项报告 as a printable page: the same data and sentences as the .docx."""
    choice = _district_choice(request, _month(month), _("专项报告"))
    if choice is not None:
        return choice
    first, district, version = _report(request, month)
    data, publication = report_for(district=district, month=first, version=version)
    overview = data["overview"]
    context = {
        "data": data,
        "publication": publication,
        "headings": [str(heading) for heading in text.HEADINGS],
        "meta": text.meta_line(data),
        "overview_paragraphs": text.overview_paragraphs(data),
        "key_intro": text.key_projects_intro(data),
        "problems": text.problems_paragraph(data),
        "problem_header": text.problem_header(),
        "problem_rows": [text.problem_row(row) for row in text.problem_rows(data)],
        "exit_paragraphs": text.exits_paragraphs(data),
        "decision_rows": [text.decision_row(row) for row in data["exits"]["decisions"]],
        "score_paragraph": text.scorecard_paragraph(data),
        "score_header": text.scorecard_header(),
        "score_rows": text.scorecard_rows(data),
        "columns": [{**c, "amount": text.wan(c["total_investment"])} for c in overview["columns"]],
        "totals_amount": text.wan(overview["totals"]["total_investment"]),
        "key_projects": [
            {**row, "amount": text.wan(row["total_investment"])} for row in data["key_projects"]
        ],
        "funnel": charts.funnel(
            [(c["label"], c["count"], c["total_investment"]) for c in overview["columns"]],
            title=_("项目阶段漏斗"),
        ),
        "trend": charts.monthly_trend(
            data["trend"]["months"],
            [(_("签约"), data["trend"]["signed"]), (_("开工"), data["trend"]["started"])],
            (_("资金到位"), data["trend"]["funds"]),
            title=_("近12个月签约、开工与资金到位"),
        ),
        "month": data["month"],
        "query": request.GET.urlencode(),
    }
    return render(request, "web/monthend/report.html", context)


@login_required
def report_docx(request, month: str):
    first, district, version = _report(request, month)
    content, filename = report_file(district=district, month=first, version=version)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
