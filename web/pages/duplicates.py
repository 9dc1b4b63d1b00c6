"""Likely duplicates, warned about before a project or an investor is created.

A project is a likely duplicate of an existing one when its investor carries the same unified
social credit code (the investor already has a project: a second one is confirmed, not assumed),
or when the investor has the same name (foreign investors often have no code) and the project
names are similar. The candidates are few (one investor's projects), so similarity is compared
here after one query.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Q

from accounts import roles
from projects.lifecycle import Stage
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


@dataclass
class Duplicates:
    """The likely duplicates `visible` to the user, and how many more lie beyond their scope
    (another unit's or district's: counted, never named)."""

    visible: list[Project] = field(default_factory=list)
    elsewhere: int = 0

    def __bool__(self) -> bool:
        return bool(self.visible or self.elsewhere)

    def __iter__(self):
        return iter(self.visible)


def likely_duplicate_projects(*, user, name: str, investor: Investor | None, limit: int = 10) -> Duplicates:
    """Existing projects (terminated ones excluded) that the new one probably repeats.

    The whole city is searched (two districts courting one investor is worth knowing), but
    only what `user` may see is shown."""
    if investor is None:
        return Duplicates()
    same_investor = Q(investor=investor) | Q(investor__name=investor.name)
    same_code = Q(investor__credit_code=investor.credit_code) if investor.credit_code else Q(pk__in=[])
    candidates = (
        Project.objects.filter(same_investor | same_code)
        .exclude(stage=Stage.TERMINATED)
        .select_related("unit", "investor")
        .order_by("-id")[:200]
    )
    matching = [
        project
        for project in candidates
        if (investor.credit_code and project.investor.credit_code == investor.credit_code)
        or names_similar(project.name, name)
    ]
    in_scope = set(
        Project.objects.filter(roles.project_scope(user), pk__in=[p.pk for p in matching]).values_list(
            "pk", flat=True
        )
    )
    found = Duplicates()
    for project in matching:
        if project.pk in in_scope:
            found.visible.append(project)
        else:
            found.elsewhere += 1
    found.visible = found.visible[:limit]
    return found


def likely_duplicate_investors(*, name: str, credit_code: str, exclude_pk=None) -> list[Investor]:
    """Investors registered under the same name or the same credit code."""
    query = Q(name__iexact=(name or "").strip())
    if credit_code:
        query |= Q(credit_code=credit_code.strip().upper())
    return list(Investor.objects.filter(query).exclude(pk=exclude_pk)[:10])
