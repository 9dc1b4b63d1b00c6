"""A permission matrix generated from the URL configuration (issue 12): every route × every
role × GET and POST, with the expected outcome in one table. A route added without a row here
fails the test, as does any outcome that differs from the table, and any 5xx.

Roles: anon (not signed in), clerk (unit staff of the project's unit), manager (its district's,
with staff status), foreign (another district's manager), city (read-only city user), reader
(read-only system account, by token), admin (superuser). Outcomes (matrix_world.outcome):
ok = past the permission check (bad input is still ok: the role may try), login = asked to
sign in, no = refused or not shown (403/404), 405 = the route has no such method. A row lists,
per method, the roles that get each outcome other than the row's default.

Beside the table: no GET, and no request of anon, city or reader, writes anything to the change
log, whatever the route answers (a page refusing by a redirect with a message counts as "ok" in
the table, so this is what shows it wrote nothing).

The admin's routes (205 at the merge of supervision) follow one rule instead of rows
(test_the_admin_follows_one_rule)."""

import os

import pytest

from changes.models import Change
from tests.security.matrix_world import METHODS, ROLES, clients, concrete, outcome, routes, world

READ_ONLY = ("anon", "city", "reader")

# Which id a route's `pk` (or `code`) means: the project's (the district's code), unless named here.
PK_OF = {
    "task-detail": "task",
    "task-report": "task",
    "task-verify": "task",
    "task-reject": "task",
    "task-reassign": "task",
    "api-v1:task-detail": "task",
    "api-v1:task-report": "task",
    "api-v1:task-verify": "task",
    "api-v1:task-reject": "task",
    "api-v1:task-reassign": "task",
    "letter-reply": "reminder",
    "api-v1:reminder-reply": "reminder",
    "exit-review": "exit_review",
    "exit-review-opinion": "exit_review",
    "exit-review-decide": "exit_review",
    "exit-review-detail": "exit_review",
    "exit-review-opinions": "exit_review",
    "api-v1:unit-detail": "unit_code",
    "api-v1:park-detail": "park_code",
    "api-v1:industry-detail": "industry_code",
    "reminder-detail": "reminder",
    "reminder-acknowledge": "reminder",
    "api-v1:reminder-detail": "reminder",
    "api-v1:reminder-acknowledge": "reminder",
    "investor-edit": "investor",
    "api-v1:investor-detail": "investor",
}

# route name: (GET, POST), each the outcome for
#                                 anon clerk manager foreign city reader admin
# + ok   L login   x no (403/404)   - no such method (405)
EXPECTED = {
    "api-docs": ("+ + + + + + +", "- - - - - - -"),
    "api-import": ("L x x x x x x", "L - - - x x -"),
    "api-import-errors": ("L x x x x x x", "L - - - x x -"),
    "api-imports": ("L - - - - - -", "L + + + x x +"),
    "api-ledger": ("L + + + + + +", "L - - - x x -"),
    "api-ledger-xlsx": ("L + + + + + +", "L - - - x x -"),
    "api-ledger-preflight": ("L x + + + + +", "L - - - x x -"),
    "api-ledger-publish": ("L - - - - - -", "L x + + x x +"),
    "api-ledger-report": ("L x + + + + +", "L - - - x x -"),
    "api-scorecard-weights": ("L + + + + + +", "L - - - x x -"),
    "api-scorecards": ("L + + + + + +", "L - - - x x -"),
    "api-screening": ("L + + + + + +", "L - - - x x -"),
    "api-stats": ("L + + + + + +", "L - - - x x -"),
    "api-stats-xlsx": ("L + + + + + +", "L - - - x x -"),
    "api-targets": ("L + + + + + +", "L - - - x x -"),
    "api-v1:api-stats-tasks": ("L + + + + + +", "L - - - x x -"),
    "api-v1:change-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:district-detail": ("L + + + + + +", "L - - - x x -"),
    "api-v1:district-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:event-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:export-events": ("L + + + + + +", "L - - - x x -"),
    "api-v1:export-progress": ("L + + + + + +", "L - - - x x -"),
    "api-v1:export-projects": ("L + + + + + +", "L - - - x x -"),
    "api-v1:export-requests": ("L + + + + + +", "L - - - x x -"),
    "api-v1:export-reviews": ("L + + + + + +", "L - - - x x -"),
    "api-v1:export-tasks": ("L + + + + + +", "L - - - x x -"),
    "api-v1:industry-detail": ("L + + + + + +", "L - - - x x -"),
    "api-v1:industry-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:investor-detail": ("L + + + + + +", "L - - - x x -"),
    "api-v1:investor-list": ("L + + + + + +", "L + + + x x +"),
    "api-v1:meeting-detail": ("L x x x x x x", "L - - - x x -"),
    "api-v1:meeting-list": ("L + + + + + +", "L + + + x x +"),
    "api-v1:park-detail": ("L + + + + + +", "L - - - x x -"),
    "api-v1:park-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:progress-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:project-detail": ("L + + x + + +", "L - - - x x -"),
    "api-v1:project-event-void": ("L - - - - - -", "L x + x x x +"),
    "api-v1:project-events": ("L + + x + + +", "L + + x x x +"),
    "api-v1:project-history": ("L + + x + + +", "L - - - x x -"),
    "api-v1:project-list": ("L + + + + + +", "L + + + x x +"),
    "api-v1:project-progress": ("L + + x + + +", "L - - - x x -"),
    "api-v1:project-progress-month": ("L + + x + + +", "L - - - x x -"),
    "api-v1:project-reviews": ("L + + x + + +", "L + + x x x +"),
    "api-v1:project-task-force": ("L x x x x x x", "L - - - x x -"),
    "api-v1:reminder-acknowledge": ("L - - - - - -", "L + + x x x +"),
    "api-v1:reminder-detail": ("L + + x + + +", "L - - - x x -"),
    "api-v1:reminder-issue": ("L - - - - - -", "L + + + x x +"),
    "api-v1:reminder-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:reminder-reply": ("L - - - - - -", "L + + x x x +"),
    "api-v1:request-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:review-list": ("L + + + + + +", "L - - - x x -"),
    "api-v1:task-detail": ("L + + x + + +", "L - - - x x -"),
    "api-v1:task-list": ("L + + + + + +", "L + + + x x +"),
    "api-v1:task-reassign": ("L - - - - - -", "L + + + x x +"),
    "api-v1:task-reject": ("L - - - - - -", "L + + + x x +"),
    "api-v1:task-report": ("L - - - - - -", "L + + + x x +"),
    "api-v1:task-verify": ("L - - - - - -", "L x + x x x +"),
    "api-v1:unit-detail": ("L + + + + + +", "L - - - x x -"),
    "api-v1:unit-list": ("L + + + + + +", "L - - - x x -"),
    "dashboard": ("L + + + + L +", "L + + + + L +"),
    "districts": ("L + + + + L +", "L + + + + L +"),
    "event-void": ("L x + x x L +", "L x + x x L +"),
    "exit-review": ("L + + x + L +", "L + + x + L +"),
    "exit-review-decide": ("L - - - - L -", "L x + x x L +"),
    "exit-review-detail": ("L + + x + + +", "L - - - x x -"),
    "exit-review-list": ("L + + + + + +", "L - - - x x -"),
    "exit-review-open": ("L - - - - L -", "L + + x x L +"),
    "exit-review-opinion": ("L - - - - L -", "L + + x x L +"),
    "exit-review-opinions": ("L - - - - - -", "L + + + x x +"),
    "home": ("L + + + + L +", "L + + + + L +"),
    "import-commit": ("L - - - - L -", "L x x x x L x"),
    "import-detail": ("L x x x x L x", "L x x x x L x"),
    "import-report": ("L x x x x L x", "L x x x x L x"),
    "import-status": ("L x x x x L x", "L x x x x L x"),
    "imports": ("L x + + x L +", "L x + + x L +"),
    "investor-create": ("L + + + x L +", "L + + + x L +"),
    "investor-edit": ("L + + + x L +", "L + + + x L +"),
    "investors": ("L + + + + L +", "L + + + + L +"),
    "ledger": ("L + + + + L +", "L + + + + L +"),
    "ledger-export": ("L + + + + L +", "L + + + + L +"),
    "ledger-month": ("L + + + + L +", "L + + + + L +"),
    "ledger-publish": ("L - - - - L -", "L + + + + L +"),
    "ledger-report": ("L x + + + L +", "L x + + + L +"),
    "ledger-report-docx": ("L x + + x L +", "L x + + x L +"),
    "letter-reply": ("L x x x x L x", "L x x x x L x"),
    "login": ("+ + + + + + +", "+ + + + + + +"),
    "logout": ("- - - - - - -", "L L L L L L L"),
    "meeting-create": ("L x + + x L +", "L x + + x L +"),
    "meeting-detail": ("L x x x x L x", "L x x x x L x"),
    "meetings": ("L + + + + L +", "L + + + + L +"),
    "milestone-record": ("L + + x x L +", "L + + x x L +"),
    "month-end": ("L x + + + L +", "L x + + + L +"),
    "month-end-latest": ("L + + + + L +", "L + + + + L +"),
    "month-end-publish": ("L - - - - L -", "L x + + x L +"),
    "progress": ("L + + + x L +", "L + + + x L +"),
    "project-create": ("L + + + x L +", "L + + + x L +"),
    "project-detail": ("L + + x + L +", "L + + x + L +"),
    "project-edit": ("L + + x x L +", "L + + x x L +"),
    "project-exit-reviews": ("L + + x + + +", "L + + x x x +"),
    "projects": ("L + + + + L +", "L + + + + L +"),
    "projects-export": ("L + + + + L +", "L + + + + L +"),
    "reminder-acknowledge": ("L - - - - L -", "L + + x x L +"),
    "reminder-detail": ("L + + x + L +", "L + + x + L +"),
    "reminders": ("L + + + + L +", "L + + + + L +"),
    "reminders-issue": ("L - - - - L -", "L x + + x L +"),
    "request-create": ("L + + x x L +", "L + + x x L +"),
    "requests": ("+ + + + + + +", "+ + + + + + +"),
    "schema": ("+ + + + + + +", "- - - - - - -"),
    "scorecard": ("L + + + x L +", "L + + + x L +"),
    "scorecard-export": ("L + + + x L +", "L + + + x L +"),
    "set_language": ("+ + + + + + +", "+ + + + + + +"),
    "stats": ("L + + + + L +", "L + + + + L +"),
    "stats-export": ("L + + + + L +", "L + + + + L +"),
    "supervision": ("L + + + + L +", "L + + + + L +"),
    "targets": ("L + + + x L +", "L x + + x L +"),
    "task-create": ("L x + + x L +", "L x + + x L +"),
    "task-detail": ("L + + x + L +", "L + + x + L +"),
    "task-force-edit": ("L + + x x L +", "L + + x x L +"),
    "task-reassign": ("L - - - - L -", "L x + x x L +"),
    "task-reject": ("L - - - - L -", "L x + x x L +"),
    "task-report": ("L - - - - L -", "L + + x x L +"),
    "task-verify": ("L - - - - L -", "L x + x x L +"),
    "webhooks:webhook-deliveries": ("L x x x x x x", "L x x x x - -"),
    "webhooks:webhook-detail": ("L x x x x x x", "L x x x x - -"),
    "webhooks:webhook-list": ("L x x x x + +", "L x x x x + +"),
    "webhooks:webhook-redeliver": ("L x x x x - -", "L x x x x x x"),
}
CODES = {"+": "ok", "L": "login", "x": "no", "-": "405"}


def observe(make, ids):
    seen = {}
    role_clients = {role: make(role) for role in ROLES}
    for pattern, name in routes():
        if pattern.startswith("admin/"):
            continue
        own = ids[PK_OF[name]] if name in PK_OF else None
        url = concrete(pattern, {**ids, "pk": own or ids["pk"], "code": own or ids["code"]})
        row = {}
        for method in METHODS:
            for role in ROLES:
                client = make(role) if name == "logout" else role_clients[role]
                before = Change.objects.count()
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, {}, content_type="application/json")
                row.setdefault(method, {})[role] = outcome(response)
                if role in READ_ONLY or method == "GET":
                    # Whatever the page answers, a reader's request writes nothing, nor does a GET.
                    assert Change.objects.count() == before, (name, method, role)
        seen[name] = row
    return seen


@pytest.fixture
def setting(unit, foreign_unit, industry, manager, district):
    ids = world(unit, foreign_unit, industry, manager)
    return clients(unit, foreign_unit, district, manager), ids


def test_every_route_for_every_role_is_in_the_table(setting):
    role_clients, ids = setting
    seen = observe(role_clients, ids)
    if os.environ.get("MATRIX_PRINT"):
        import json

        print("\nMATRIX=" + json.dumps(seen, ensure_ascii=False, sort_keys=True))
    assert set(seen) == set(EXPECTED), "routes without a row, or rows without a route"
    wrong = {}
    for name, row in seen.items():
        for method, codes in zip(METHODS, EXPECTED[name], strict=True):
            for role, code in zip(ROLES, codes.split(), strict=True):
                if CODES[code] != row[method][role]:
                    wrong[(name, method, role)] = (CODES[code], row[method][role])
    assert not wrong


def test_the_admin_follows_one_rule(setting):
    """Every admin route: those not let into the admin (anon, clerk, city, reader) are sent to
    its login; a manager gets in, limited by permissions and scope; the administrator reads
    every page; nobody gets a 5xx."""
    make, ids = setting
    role_clients = {role: make(role) for role in ROLES}
    admin_routes = [(pattern, name) for pattern, name in routes() if pattern.startswith("admin/")]
    assert len(admin_routes) > 100
    for pattern, name in admin_routes:
        if name in ("admin:logout", "admin:login"):
            continue
        url = concrete(pattern, {**ids, "app_label": "projects", "object_id": ids["pk"], "url": "x"})
        for role in ROLES:
            response = role_clients[role].get(url)
            assert response.status_code < 500, (url, role)
            if role in ("anon", "clerk", "city", "reader"):
                assert response.status_code == 302, (url, role)
                assert response["Location"].startswith("/admin/login/"), (url, role)
            else:
                assert "/admin/login/" not in response.get("Location", ""), (url, role)
