"""The month end over the API: pre-flight, publishing with gaps, targets, scorecards, weights."""

import datetime as dt

import pytest

from pipeline.models import PublishedLedger

D = dt.date
TARGETS = {
    "units": [{"unit": "jlp-econ", "signed_count": 4, "contract_investment": "84000.00", "started_count": 2}],
    "total": {
        "signed_count": 5,
        "contract_investment": 100000,
        "started_count": 3,
        "funds_in_place": "20000",
    },
}


def test_the_preflight_and_publishing_with_gaps(api, month_end_year, manager):
    client = api.as_user(manager)
    check = client.get("/api/v1/ledgers/2025-10/preflight/").json()
    assert (check["missing"], check["unreviewed"], check["gaps"]) == (1, 3, 4)
    refused = client.post("/api/v1/ledgers/2025-10/publish/", {}, format="json")
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        400,
        "gaps_not_confirmed",
        "confirm_gaps",
    )
    assert not PublishedLedger.objects.exists()
    published = client.post("/api/v1/ledgers/2025-10/publish/", {"confirm_gaps": True}, format="json")
    assert published.status_code == 201
    assert (published.json()["gaps"], published.json()["changes"]) == (4, None)
    again = client.post("/api/v1/ledgers/2025-10/publish/", {"confirm_gaps": True}, format="json").json()
    assert (again["version"], again["changes"]["count"], again["changes"]["previous_version"]) == (2, 0, 1)


def test_targets_are_read_and_set(api, unit, other_unit, manager, staff, city):
    client = api.as_user(manager)
    assert client.get("/api/v1/targets/2026/").json()["total"]["signed_count"] is None
    response = client.put("/api/v1/targets/2026/", TARGETS, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["district"] == "jiulongpo" and body["year"] == 2026
    assert body["units"][0] == {
        "unit": "jlp-econ",
        "name": "区经济信息委",
        "signed_count": 4,
        "contract_investment": "84000.00",
        "started_count": 2,
        "funds_in_place": None,
        "high_tech_signed_count": None,
        "advanced_signed_count": None,
        "advanced_contract_investment": None,
    }
    assert body["total"]["contract_investment"] == "100000.00"
    changed = {**TARGETS, "total": {**TARGETS["total"], "signed_count": 6}}
    missing = client.put("/api/v1/targets/2026/", changed, format="json")
    assert (missing.status_code, missing.json()["field"]) == (400, "reason")
    assert (
        client.put(
            "/api/v1/targets/2026/", {**changed, "reason": "区委下达新任务"}, format="json"
        ).status_code
        == 200
    )
    assert api.as_user(staff).put("/api/v1/targets/2026/", TARGETS, format="json").status_code == 403
    assert api.as_user(city).get("/api/v1/targets/2026/?district=jiulongpo").status_code == 200
    assert (
        api.as_user(city).put("/api/v1/targets/2026/?district=jiulongpo", TARGETS, format="json").status_code
        == 403
    )
    assert api.as_user(manager).put("/api/v1/targets/20x6/", TARGETS, format="json").json()["field"] == "year"


def test_the_scorecard(api, month_end_year, manager, staff):
    api.as_user(manager).put("/api/v1/targets/2025/", TARGETS, format="json")
    body = api.as_user(manager).get("/api/v1/scorecards/?from=2025-01-01&to=2025-10-31").json()
    assert body["time_progress"] == "83.29"  # 304 of 365 days
    rows = {row["unit"]: row for row in body["results"]}
    econ = rows["jlp-econ"]
    assert (
        econ["figures"]["signed_count"],
        econ["targets"]["signed_count"],
        econ["completion"]["signed_count"],
    ) == (
        2,
        4,
        "50.00",
    )
    assert rows["jlp-sci"]["completion"]["signed_count"] is None
    assert {row["rank"] for row in body["results"]} == {1, 2}
    assert body["stored_at"] is None
    mine = api.as_user(staff).get("/api/v1/scorecards/?year=2025").json()
    assert [row["unit"] for row in mine["results"]] == ["jlp-econ"]  # a clerk sees the own unit's row
    bad = api.as_user(manager).get("/api/v1/scorecards/?from=2024-12-01&to=2025-01-31")
    assert (bad.status_code, bad.json()["field"]) == (400, "to")
    assert api.as_user(manager).get("/api/v1/scorecards/?year=2025&from=2025-01-01").status_code == 400


def test_weights(api, district, manager, staff):
    client = api.as_user(manager)
    assert client.get("/api/v1/scorecards/weights/").json()["weights"]["signed_count"] == "20"
    saved = client.put(
        "/api/v1/scorecards/weights/", {"weights": {"signed_count": 50, "overdue_penalty": 2}}, format="json"
    )
    assert saved.status_code == 200
    assert saved.json()["weights"] == {"signed_count": "50.00", "overdue_penalty": "2.00"}
    bad = client.put("/api/v1/scorecards/weights/", {"weights": {"charm": 5}}, format="json")
    assert (bad.status_code, bad.json()["field"]) == (400, "weights")
    assert (
        api.as_user(staff)
        .put("/api/v1/scorecards/weights/", {"weights": {"signed_count": 1}}, format="json")
        .status_code
        == 403
    )


@pytest.mark.parametrize("url", ["/api/v1/targets/2025/", "/api/v1/scorecards/weights/"])
def test_unknown_parameters_are_refused(api, manager, url):
    assert api.as_user(manager).get(f"{url}?colour=1").json()["code"] == "unknown_parameter"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("2025-13/report.docx", "month"),
        ("2999-01/report.docx", "month"),
        ("2025-10/report.docx?version=x", "version"),
    ],
)
def test_a_bad_report_request_is_a_json_400(api, district, manager, query, field):
    response = api.as_user(manager).get(f"/api/v1/ledgers/{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["field"] == field
