"""Likely duplicates, warned about before a project or an investor is created.

A project is a likely duplicate of an existing one when its investor carries the same unified
social credit code (the investor already has a project: a second one is confirmed, not assumed),
or when the investor has the same name (foreign investors often have no code) and the project
names are similar. The candidates are few (one investor's projects), so similarity is compared
here after one query.
"""

import re
from difflib import SequenceMatcher

from django.db.models import Q

from pipeline.stages import Stage
from projects.models import Investor, Project

SIMILARITY = 0.6
_NOISE = re.compile(r"[\s（）()【】\[\]·、，,。.\-—_]+|项目$")


def _normalize(name: str) -> str:
    return _NOISE.sub("", (name or "").strip().lower())


def names_similar(a: str, b: str) -> bool:
    a, b = _normalize(a), _normalize(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return SequenceMatcher(None, a, b).ratio() >= SIMILARITY


def likely_duplicate_projects(*, name: str, investor: Investor | None, limit: int = 10) -> list[Project]:
    """Existing projects (terminated ones excluded) that the new one probably repeats."""
    if investor is None:
        return []
    same_investor = Q(investor=investor) | Q(investor__name=investor.name)
    same_code = Q(investor__credit_code=investor.credit_code) if investor.credit_code else Q(pk__in=[])
    candidates = (
        Project.objects.filter(same_investor | same_code)
        .exclude(stage=Stage.TERMINATED)
        .select_related("unit", "investor")
        .order_by("-id")[:200]
    )
    found = []
    for project in candidates:
        by_code = bool(investor.credit_code) and project.investor.credit_code == investor.credit_code
        if by_code or names_similar(project.name, name):
            found.append(project)
    return found[:limit]


def likely_duplicate_investors(*, name: str, credit_code: str, exclude_pk=None) -> list[Investor]:
    """Investors registered under the same name or the same credit code."""
    query = Q(name__iexact=(name or "").strip())
    if credit_code:
        query |= Q(credit_code=credit_code.strip().upper())
    return list(Investor.objects.filter(query).exclude(pk=exclude_pk)[:10])
