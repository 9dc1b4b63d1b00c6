"""The home page's items: what the signed-in user should act on now, each a link to where it is done.

A home page is a list of items. Each app's part of the work contributes items through a provider
(a function of the `Home` — who, which district, which month is being closed — returning
`HomeItem`s or nothing); web.home.providers lists the providers of each kind of home, so an app
added later contributes its own items by adding its provider there.
"""

import datetime as dt
from dataclasses import dataclass, field

from accounts import roles
from accounts.models import Role

SHOWN = 8  # rows listed per item; the item's link leads to all of them

CLERK, MANAGER, CITY = "clerk", "manager", "city"


@dataclass(frozen=True)
class Home:
    user: object
    today: dt.date
    kind: str  # CLERK, MANAGER or CITY
    district: object | None  # the user's district (None for city-wide readers)
    month: dt.date  # the month being closed (monthend.selectors.closing_month)


@dataclass
class Row:
    label: str
    url: str
    meta: str = ""
    action: str = ""  # a button's label, when the row's work is done elsewhere than its link
    action_url: str = ""
    action_posts: bool = False  # the button posts to action_url (done in one click, back home)


@dataclass
class HomeItem:
    key: str  # the section's id on the page
    title: str
    count: int
    url: str  # where the work is done, or the full list
    rows: list[Row] = field(default_factory=list)
    hint: str = ""
    empty: str = ""  # said when count is 0 (the item is then shown as done)
    tone: str = "info"  # danger, warn or info: how urgent
    order: int = 50


def home_kind(user) -> str:
    """Unit staff get the clerk's home; whoever may write for a district the manager's; read-only
    users (city, read-only system accounts) the city's overview."""
    if roles.is_unit_staff(user):
        return CLERK
    if roles.can_write(user) and (user.is_superuser or user.role != Role.CITY):
        return MANAGER
    return CITY


def shown(queryset) -> tuple[list, int]:
    """The first rows of a list and how many there are (two queries, whatever the size)."""
    return list(queryset[:SHOWN]), queryset.count()
