import pytest

from tests import factories
from tests.api.helpers import bulk_investors

pytestmark = pytest.mark.django_db


def test_reference_lists_are_addressed_by_code(api, staff, district, unit, industry):
    factories.ParkFactory(code="jlp-park", name="西部科学城重庆高新区", district=district)
    client = api.as_user(staff)
    listed = client.get("/api/v1/districts/").json()["results"][0]
    assert {k: listed[k] for k in ("code", "name", "short_code")} == {
        "code": "jiulongpo",
        "name": "九龙坡区",
        "short_code": "JLP",
    }
    assert listed["updated_at"]
    units = client.get("/api/v1/units/").json()["results"]
    assert {"code": "jlp-econ", "district": "jiulongpo"}.items() <= units[0].items()
    park = client.get("/api/v1/parks/jlp-park/").json()
    assert (park["name"], park["district"]) == ("西部科学城重庆高新区", "jiulongpo")
    industries = {i["code"]: i["parent"] for i in client.get("/api/v1/industries/").json()["results"]}
    assert industries == {"ADV": None, "ADV-EIT": "ADV"}
    assert client.get("/api/v1/industries/ADV-EIT/").json()["name"] == "新一代电子信息"


def test_reference_filters(api, city, unit, foreign_unit, industry):
    client = api.as_user(city)
    assert [u["code"] for u in client.get("/api/v1/units/?district=jiangjin").json()["results"]] == [
        "jj-invest"
    ]
    assert [i["code"] for i in client.get("/api/v1/industries/?parent=ADV").json()["results"]] == ["ADV-EIT"]
    assert client.get("/api/v1/units/?district=atlantis").json()["field"] == "district"
    assert client.get("/api/v1/districts/?updated_since=2999-01-01T00:00:00Z").json()["count"] == 0
    assert client.get("/api/v1/parks/?colour=red").status_code == 400


def test_unknown_codes_are_404(api, city, district):
    response = api.as_user(city).get("/api/v1/districts/atlantis/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_reference_data_is_read_only(api, manager, district):
    client = api.as_user(manager)
    assert client.post("/api/v1/districts/", {"code": "x", "name": "x"}, format="json").status_code == 405
    assert client.delete("/api/v1/districts/jiulongpo/").status_code == 405


def test_anonymous_callers_get_401(api, district):
    response = api.get("/api/v1/districts/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


# --- investors ------------------------------------------------------------------------------------

INVESTORS = "/api/v1/investors/"


def valid_code(seed="91500107000000001"):
    from projects.credit_code import make_credit_code

    return make_credit_code(seed)


def test_investors_are_read_by_everyone_signed_in(api, staff, city):
    investor = factories.InvestorFactory(name="长安汽车", is_listed=True)
    for user in (staff, city):
        data = api.as_user(user).get(INVESTORS).json()["results"][0]
        assert data["name"] == "长安汽车"
        assert set(data) >= {
            "id",
            "name",
            "credit_code",
            "origin",
            "is_high_tech",
            "is_foreign",
            "is_listed",
            "updated_at",
        }
    assert api.as_user(city).get(f"{INVESTORS}{investor.pk}/").json()["is_listed"] is True


def test_register_and_edit_an_investor(api, staff):
    client = api.as_user(staff)
    code = valid_code()
    created = client.post(
        INVESTORS, {"name": "赛力斯", "credit_code": code.lower(), "is_high_tech": True}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["credit_code"] == code
    edited = client.patch(f"{INVESTORS}{created.json()['id']}/", {"origin": "重庆市"}, format="json")
    assert edited.status_code == 200
    assert edited.json()["origin"] == "重庆市"
    assert edited.json()["is_high_tech"] is True


def test_investor_refusals(api, staff, city):
    client = api.as_user(staff)
    code = valid_code()
    client.post(INVESTORS, {"name": "甲", "credit_code": code}, format="json")
    duplicate = client.post(INVESTORS, {"name": "乙", "credit_code": code}, format="json")
    assert (duplicate.status_code, duplicate.json()["code"], duplicate.json()["field"]) == (
        400,
        "duplicate",
        "credit_code",
    )
    bad = client.post(INVESTORS, {"name": "丙", "credit_code": code[:-1] + "0"}, format="json")
    assert (bad.status_code, bad.json()["field"]) == (400, "credit_code")
    assert client.post(INVESTORS, {"credit_code": ""}, format="json").json()["field"] == "name"
    assert (
        client.post(INVESTORS, {"name": "丁", "is_listed": "perhaps"}, format="json").json()["field"]
        == "is_listed"
    )
    assert client.put(f"{INVESTORS}1/", {"name": "x"}, format="json").status_code == 405
    assert client.delete(f"{INVESTORS}1/").status_code == 405
    refused = api.as_user(city).post(INVESTORS, {"name": "戊"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")


def test_investor_filters(api, staff):
    factories.InvestorFactory(name="高新企业", is_high_tech=True)
    factories.InvestorFactory(name="普通企业")
    client = api.as_user(staff)
    assert [i["name"] for i in client.get(INVESTORS + "?is_high_tech=true").json()["results"]] == ["高新企业"]
    assert client.get(INVESTORS + "?search=普通").json()["count"] == 1
    assert [i["name"] for i in client.get(INVESTORS + "?ordering=-name").json()["results"]] == [
        "高新企业",
        "普通企业",
    ]
    assert client.get(INVESTORS + "?is_high_tech=perhaps").status_code == 400


def test_investor_list_queries_do_not_grow_with_rows(api, staff, django_assert_num_queries):
    client = api.as_user(staff)
    bulk_investors(1)
    with django_assert_num_queries(2):
        assert client.get(INVESTORS + "?page_size=500").json()["count"] == 1
    bulk_investors(499)
    with django_assert_num_queries(2):
        assert len(client.get(INVESTORS + "?page_size=500").json()["results"]) == 500
