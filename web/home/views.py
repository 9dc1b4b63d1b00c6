"""The home page: what the signed-in user acts on now, on the month being closed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.dates import local_today
from monthend.selectors import closing_month
from projects.models import District
from web.home.city import district_overview
from web.home.items import CITY, Home, home_kind
from web.home.providers import items_for


def _district(user):
    if user.unit_id:
        return user.unit.district
    return District.objects.filter(pk=user.home_district_id).first() if user.home_district_id else None


@login_required
def home(request):
    user = request.user
    today = local_today()
    kind = home_kind(user)
    district = _district(user) if kind != CITY else None
    current = Home(user=user, today=today, kind=kind, district=district, month=closing_month(district, today))
    context = {
        "home": current,
        "items": items_for(current),
        "overview": district_overview(user, today) if kind == CITY else None,
    }
    return render(request, "web/home/home.html", context)
