"""Placeholders so the navigation can link here; the ledger work replaces them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def placeholder(request, **kwargs):
    return HttpResponse("…")
