"""Which items each kind of home shows, in order: add an app's provider to its lists here."""

from web.home import work
from web.home.items import CITY, CLERK, MANAGER, HomeItem

PROVIDERS = {
    CLERK: [
        work.reminders_to_sign,
        work.progress_owed,
        work.milestones_due,
        work.overdue_projects,
        work.late_tasks,
    ],
    MANAGER: [
        work.month_to_publish,
        work.reviews_waiting,
        work.exit_reviews_to_decide,
        work.tasks_to_verify,
        work.overdue_projects,
        work.late_tasks,
    ],
    CITY: [],  # the city's home is the districts' overview (web.home.city); items may be added
}


def items_for(home) -> list:
    """A provider returns one HomeItem, several, or None (nothing to show to this user)."""
    items = []
    for provider in PROVIDERS[home.kind]:
        given = provider(home)
        items += [given] if isinstance(given, HomeItem) else list(given or ())
    return sorted(items, key=lambda item: item.order)
