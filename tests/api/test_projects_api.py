import datetime as dt
from decimal import Decimal

import pytest

from projects.lifecycle import Stage
from projects.models import Project
from tests import factories
from tests.api.helpers import bulk_projects

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"

CONTRACT_FIELDS = {
    # writable
    "name", "investor", "industry", "park", "unit", "source", "total_investment", "expected_output",
    "land_area_mu", "building_area_m2", "planned_sign_date", "planned_start_date",
    "planned_production_date", "description",
    # read-only
    "id", "code", "district", "stage", "stage_since", "months_in_stage", "is_overdue", "approved_on",
    "signed_on", "started_on", "producing_on", "at_capacity_on", "terminated_on", "contract_investment",
    "funds_in_place_total", "version", "created_at", "updated_at",
}  # fmt: skip


def detail(project):
    return f"{URL}{project.pk}/"


def new_project_payload(**overrides):
    payload = {
        "name": "西部科学城芯片封测项目",
        "industry": "ADV-EIT",
        "unit": "jlp-econ",
        "source": "exhibition",
        "total_investment": "520000.00",
        "negotiation_started_on": "2025-03-01",
    }
    return {**payload, **overrides}


# --- list ---------------------------------------------------------------------------------


def test_list_items_carry_every_field_of_the_contract(api, manager, project):
    response = api.as_user(manager).get(URL)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "next", "previous", "results"}
    item = data["results"][0]
    assert set(item) >= CONTRACT_FIELDS
    assert item["code"] == "JLP-2025-0001"
    assert item["district"] == "jiulongpo"
    assert item["unit"] == "jlp-econ"
    assert item["industry"] == "ADV-EIT"
    assert item["total_investment"] == "10000.00"
    assert item["funds_in_place_total"] == "0.00"
    assert item["updated_at"].endswith("+08:00")


def test_unit_staff_list_only_their_units_projects(
    api, staff, staff_project, colleague, other_unit, industry
):
    factories.make_project(unit=other_unit, industry=industry, name="同区其他单位项目")
    codes = [p["name"] for p in api.as_user(staff).get(URL).json()["results"]]
    assert codes == ["渝西智造基地"]


def test_manager_lists_the_district_and_city_lists_all(api, manager, city, project, foreign_project):
    assert api.as_user(manager).get(URL).json()["count"] == 1
    assert api.as_user(city).get(URL).json()["count"] == 2


def test_system_account_reads_its_district_or_everything(api, system, project, foreign_project):
    assert api.as_user(system).get(URL).json()["count"] == 1
    everywhere = factories.system_user(None, username="all-districts")
    assert api.as_user(everywhere).get(URL).json()["count"] == 2


def test_list_filters_of_the_contract(api, city, unit, other_unit, industry, district):
    child = factories.IndustryFactory(code="ADV-EIT-IC", name="集成电路", parent=industry)
    park = factories.ParkFactory(code="jlp-park", district=district)
    tech = factories.InvestorFactory(is_high_tech=True, name="高新投资公司")
    signed = factories.make_project(
        unit=unit, industry=child, park=park, investor=tech, name="签约项目", total_investment=Decimal("500")
    )
    factories.reach(signed, Stage.SIGNED, start=dt.date(2025, 3, 1))
    started = factories.make_project(unit=other_unit, industry=industry, name="开工项目", source="fund")
    factories.reach(started, Stage.STARTED, start=dt.date(2025, 2, 1))
    idle = factories.make_project(unit=unit, industry=factories.IndustryFactory(code="SVC"), name="在谈项目")
    client = api.as_user(city)

    def names(query):
        response = client.get(URL + query)
        assert response.status_code == 200, response.json()
        return {item["name"] for item in response.json()["results"]}

    assert names("?stage=signed&stage=started") == {"签约项目", "开工项目"}
    assert names("?district=jiulongpo") == {"签约项目", "开工项目", "在谈项目"}
    assert names("?unit=jlp-sci") == {"开工项目"}
    assert names("?park=jlp-park") == {"签约项目"}
    assert names("?industry=ADV-EIT") == {"签约项目", "开工项目"}
    assert names("?industry=ADV-EIT-IC") == {"签约项目"}
    assert names("?source=fund") == {"开工项目"}
    assert names("?is_overdue=true") == {"签约项目", "在谈项目"}
    assert names(f"?investor={tech.pk}") == {"签约项目"}
    assert names("?is_high_tech=true") == {"签约项目"}
    assert names("?min_investment=600") == {"开工项目", "在谈项目"}
    assert names("?max_investment=500") == {"签约项目"}
    assert names("?signed_from=2025-03-01&signed_to=2025-03-31") == {"签约项目"}
    assert names("?started_from=2025-02-01&started_to=2025-02-28") == {"开工项目"}
    assert names("?search=签约") == {"签约项目"}
    assert names(f"?search={signed.code}") == {"签约项目"}
    assert names("?search=高新投资") == {"签约项目"}
    Project.objects.filter(pk=idle.pk).update(updated_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert names("?updated_since=2029-12-31T00:00:00%2B08:00") == {"在谈项目"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?colour=red", "colour"),
        ("?district=atlantis", "district"),
        ("?unit=nope", "unit"),
        ("?industry=nope", "industry"),
        ("?park=nope", "park"),
        ("?investor=abc", "investor"),
        ("?investor=999999", "investor"),
        ("?investor=99999999999999999999999", "investor"),
        ("?stage=dreaming", "stage"),
        ("?source=rumour", "source"),
        ("?signed_from=2025-13-01", "signed_from"),
        ("?updated_since=yesterday", "updated_since"),
        ("?min_investment=lots", "min_investment"),
        ("?is_overdue=maybe", "is_overdue"),
        ("?ordering=colour", "ordering"),
        ("?page_size=501", "page_size"),
        ("?page_size=0", "page_size"),
        ("?page_size=ten", "page_size"),
        ("?page=abc", "page"),
        ("?search=a%00b", "search"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(api, manager, project, query, field):
    response = api.as_user(manager).get(URL + query)
    assert response.status_code == 400
    data = response.json()
    assert field in data
    assert data["field"] == field
    assert data["code"] in {"invalid_value", "unknown_parameter"}
    assert data["detail"]


def test_unknown_parameter_has_its_own_code(api, manager):
    data = api.as_user(manager).get(URL + "?stgae=signed").json()
    assert data["code"] == "unknown_parameter"
    assert "stgae" in data["detail"]


def test_a_page_past_the_end_is_404(api, manager, project):
    response = api.as_user(manager).get(URL + "?page=9")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"].startswith("第 9 页不存在")


def test_ordering_by_a_field_and_descending(api, manager, unit, industry):
    for name, amount in [("乙", "300"), ("甲", "100"), ("丙", "200")]:
        factories.make_project(unit=unit, industry=industry, name=name, total_investment=Decimal(amount))
    client = api.as_user(manager)
    by_amount = [p["name"] for p in client.get(URL + "?ordering=total_investment").json()["results"]]
    assert by_amount == ["甲", "丙", "乙"]
    newest_first = [p["name"] for p in client.get(URL + "?ordering=-id").json()["results"]]
    assert newest_first == ["丙", "甲", "乙"]


def test_paging_while_projects_are_added_misses_nothing(api, manager, unit, industry):
    first = [factories.make_project(unit=unit, industry=industry).pk for _ in range(5)]
    client = api.as_user(manager)
    page1 = client.get(URL + "?page_size=3").json()
    factories.make_project(unit=unit, industry=industry, name="翻页期间新增")
    page2 = client.get(page1["next"]).json()
    seen = [p["id"] for p in page1["results"] + page2["results"]]
    assert set(first) <= set(seen)
    assert len(seen) == len(set(seen))


def test_equal_sort_keys_are_tie_broken_on_id(api, manager, unit, industry):
    ids = [factories.make_project(unit=unit, industry=industry, name="同名").pk for _ in range(4)]
    client = api.as_user(manager)
    pages = [client.get(URL + f"?ordering=name&page_size=2&page={n}").json()["results"] for n in (1, 2)]
    assert [p["id"] for page in pages for p in page] == sorted(ids)


def test_project_list_queries_do_not_grow_with_rows(api, manager, unit, industry, django_assert_num_queries):
    client = api.as_user(manager)
    bulk_projects(unit, industry, 1, prefix="ONE")
    with django_assert_num_queries(2):  # count + page (joins and sums in the same query)
        assert len(client.get(URL + "?page_size=500").json()["results"]) == 1
    bulk_projects(unit, industry, 499, prefix="MANY")
    with django_assert_num_queries(2):
        assert len(client.get(URL + "?page_size=500").json()["results"]) == 500


def test_filtered_list_queries_do_not_grow_with_rows(api, manager, unit, industry, django_assert_num_queries):
    client = api.as_user(manager)
    query = (
        URL
        + "?page_size=500&district=jiulongpo&industry=ADV&stage=negotiating&search=批量&ordering=-updated_at"
    )
    bulk_projects(unit, industry, 1, prefix="ONE")
    # district lookup, industry lookup, industry tree, count, page
    with django_assert_num_queries(5):
        assert client.get(query).json()["count"] == 1
    bulk_projects(unit, industry, 499, prefix="MANY")
    with django_assert_num_queries(5):
        assert client.get(query).json()["count"] == 500


# --- detail ---------------------------------------------------------------------------------


def test_detail_sends_the_version_as_etag(api, manager, project):
    response = api.as_user(manager).get(detail(project))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_detail_answers_304_when_the_etag_still_matches(api, manager, project):
    response = api.as_user(manager).get(detail(project), HTTP_IF_NONE_MATCH='"1"')
    assert response.status_code == 304


def test_detail_sums_the_funds_in_place(api, manager, project):
    from pipeline.progress import progress_save

    progress_save(project=project, by=manager, month=dt.date(2025, 2, 1), funds_in_place=Decimal("12.50"))
    progress_save(project=project, by=manager, month=dt.date(2025, 3, 1), funds_in_place=Decimal("7.50"))
    assert api.as_user(manager).get(detail(project)).json()["funds_in_place_total"] == "20.00"


def test_detail_is_one_query(api, manager, project, django_assert_num_queries):
    client = api.as_user(manager)
    with django_assert_num_queries(1):
        assert client.get(detail(project)).status_code == 200


@pytest.mark.parametrize("who", ["foreign_staff", "foreign_manager", "colleague"])
def test_projects_outside_the_scope_are_not_found(api, project, who, request):
    user = request.getfixturevalue(who)
    response = api.as_user(user).get(detail(project))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_city_user_reads_any_district(api, city, foreign_project):
    assert api.as_user(city).get(detail(foreign_project)).status_code == 200


def test_unknown_or_huge_ids_are_404(api, manager):
    client = api.as_user(manager)
    assert client.get(URL + "424242/").status_code == 404
    assert client.get(URL + "99999999999999999999999/").status_code == 404
    assert client.get(URL + "abc/").status_code == 404


# --- create ---------------------------------------------------------------------------------


def test_staff_create_a_project_in_their_unit(api, staff, industry):
    response = api.as_user(staff).post(URL, new_project_payload(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["code"] == "JLP-2025-0001"
    assert data["stage"] == "negotiating"
    assert data["stage_since"] == "2025-03-01"
    assert data["district"] == "jiulongpo"
    assert data["total_investment"] == "520000.00"
    assert response["ETag"] == '"1"'
    project = Project.objects.get(pk=data["id"])
    assert project.events.get().stage == Stage.NEGOTIATING


def test_create_without_a_start_date_starts_today(api, manager, industry, unit):
    payload = new_project_payload()
    del payload["negotiation_started_on"]
    data = api.as_user(manager).post(URL, payload, format="json").json()
    from core.dates import local_today

    assert data["negotiation_started_on"] == local_today().isoformat()


def test_staff_cannot_create_in_another_unit(api, staff, other_unit, industry):
    response = api.as_user(staff).post(URL, new_project_payload(unit="jlp-sci"), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Project.objects.exists()


def test_manager_cannot_create_in_another_district(api, manager, foreign_unit, industry):
    response = api.as_user(manager).post(URL, new_project_payload(unit="jj-invest"), format="json")
    assert response.status_code == 403
    assert not Project.objects.exists()


@pytest.mark.parametrize("who", ["city", "read_only_system"])
def test_read_only_users_cannot_create(api, who, request, unit, industry):
    response = api.as_user(request.getfixturevalue(who)).post(URL, new_project_payload(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Project.objects.exists()


def test_system_account_writes_in_its_district(api, system, unit, industry):
    assert api.as_user(system).post(URL, new_project_payload(), format="json").status_code == 201


def test_create_names_the_missing_fields(api, manager):
    response = api.as_user(manager).post(URL, {}, format="json")
    assert response.status_code == 400
    data = response.json()
    assert {"name", "industry", "unit"} <= set(data)
    assert data["code"] == "missing_field"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"industry": "NOPE"}, "industry"),
        ({"unit": "nope"}, "unit"),
        ({"park": "nope"}, "park"),
        ({"investor": 999999}, "investor"),
        ({"investor": "abc"}, "investor"),
        ({"investor": 99999999999999999999999}, "investor"),
        ({"source": "rumour"}, "source"),
        ({"total_investment": "abc"}, "total_investment"),
        ({"total_investment": "-1"}, "total_investment"),
        ({"total_investment": "1e20"}, "total_investment"),
        ({"total_investment": "1.234"}, "total_investment"),
        ({"total_investment": [1]}, "total_investment"),
        ({"land_area_mu": "NaN"}, "land_area_mu"),
        ({"planned_sign_date": "2025-02-30"}, "planned_sign_date"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"stage": "signed"}, "stage"),
        ({"colour": "red"}, "colour"),
        ({"negotiation_started_on": "2999-01-01"}, "negotiation_started_on"),
    ],
)
def test_bad_values_are_400_naming_the_field_and_write_nothing(api, manager, unit, industry, change, field):
    response = api.as_user(manager).post(URL, new_project_payload(**change), format="json")
    assert response.status_code == 400, response.json()
    data = response.json()
    assert data["field"] == field
    assert data["code"]
    assert not Project.objects.exists()


def test_a_park_of_another_district_is_refused(api, manager, unit, industry, other_district):
    factories.ParkFactory(code="jj-park", district=other_district)
    response = api.as_user(manager).post(URL, new_project_payload(park="jj-park"), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "park"


def test_planned_dates_out_of_order_are_refused(api, manager, unit, industry):
    payload = new_project_payload(planned_sign_date="2025-06-01", planned_start_date="2025-05-01")
    response = api.as_user(manager).post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "planned_start_date"


# --- edit -------------------------------------------------------------------------------------


def test_patch_changes_only_the_sent_facts_and_moves_the_version(api, staff, staff_project):
    response = api.as_user(staff).patch(
        detail(staff_project), {"total_investment": "8000.50", "description": "二期"}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["total_investment"] == "8000.50"
    assert data["description"] == "二期"
    assert data["name"] == "渝西智造基地"
    assert data["version"] == 2
    assert response["ETag"] == '"2"'


def test_patch_with_the_current_version_succeeds(api, manager, project):
    response = api.as_user(manager).patch(
        detail(project), {"name": "新名称"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200


def test_patch_with_an_older_version_is_412_and_writes_nothing(api, manager, project):
    client = api.as_user(manager)
    client.patch(detail(project), {"name": "第一次修改"}, format="json", HTTP_IF_MATCH='"1"')
    response = client.patch(detail(project), {"name": "过期的修改"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert response.json()["code"] == "conflict"
    project.refresh_from_db()
    assert project.name == "第一次修改"


def test_an_unreadable_if_match_is_400(api, manager, project):
    response = api.as_user(manager).patch(detail(project), {"name": "x"}, format="json", HTTP_IF_MATCH="soon")
    assert response.status_code == 400
    assert response.json()["field"] == "If-Match"


def test_patch_cannot_touch_derived_fields(api, manager, project):
    response = api.as_user(manager).patch(detail(project), {"stage": "signed", "version": 9}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field"
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_a_project_cannot_move_to_another_district(api, manager, project, foreign_unit):
    response = api.as_user(manager).patch(detail(project), {"unit": "jj-invest"}, format="json")
    assert response.status_code in (400, 403)
    assert response.json()["code"] in ("forbidden", "invalid_value")
    project.refresh_from_db()
    assert project.unit.code == "jlp-econ"


def test_staff_cannot_edit_another_units_project_in_their_district(api, colleague, project):
    response = api.as_user(colleague).patch(detail(project), {"name": "x"}, format="json")
    assert response.status_code == 404


def test_foreign_manager_cannot_edit(api, foreign_manager, project):
    assert (
        api.as_user(foreign_manager).patch(detail(project), {"name": "x"}, format="json").status_code == 404
    )


@pytest.mark.parametrize("who", ["city", "read_only_system"])
def test_read_only_users_cannot_edit(api, project, who, request):
    response = api.as_user(request.getfixturevalue(who)).patch(detail(project), {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_projects_are_never_deleted_or_replaced(api, manager, project):
    client = api.as_user(manager)
    assert client.delete(detail(project)).status_code == 405
    assert client.put(detail(project), {"name": "x"}, format="json").status_code == 405
    assert client.delete(detail(project)).json()["code"] == "method_not_allowed"
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize(
    ("payload", "content_type", "status", "code"),
    [
        ('{"name": ', "application/json", 400, "parse_error"),
        ('{"name": NaN}', "application/json", 400, "parse_error"),
        ("[1, 2]", "application/json", 400, "invalid_value"),
        ('"just a string"', "application/json", 400, "invalid_value"),
        ("name=x", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_malformed_bodies_are_refused(api, manager, project, payload, content_type, status, code):
    response = api.as_user(manager).patch(detail(project), payload, content_type=content_type)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]
    project.refresh_from_db()
    assert project.version == 1


def test_the_fast_representation_matches_the_declared_fields(manager, unit, industry, district):
    """ProjectSerializer writes its fields by hand for speed; DRF's generic path over the
    same declared fields must give the identical document."""
    from rest_framework import serializers

    from api.projects import ProjectSerializer
    from pipeline.progress import progress_save
    from pipeline.selectors import project_with_totals

    bare = factories.make_project(unit=unit, industry=industry, name="空白项目")
    full = factories.make_project(
        unit=unit,
        industry=industry,
        name="完整项目",
        park=factories.ParkFactory(district=district),
        investor=factories.InvestorFactory(),
        expected_output=Decimal("1234.5"),
        land_area_mu=Decimal("35"),
        building_area_m2=Decimal("12000.25"),
        planned_sign_date=dt.date(2025, 3, 1),
        planned_start_date=dt.date(2025, 5, 1),
        planned_production_date=dt.date(2026, 1, 1),
    )
    factories.reach(full, Stage.PRODUCING, start=dt.date(2025, 2, 1))
    progress_save(project=full, by=manager, month=dt.date(2025, 3, 1), funds_in_place=Decimal("10.5"))
    for project in project_with_totals(manager).filter(pk__in=[bare.pk, full.pk]):
        serializer = ProjectSerializer(context={"today": dt.date(2025, 12, 1)})
        generic = serializers.ModelSerializer.to_representation(serializer, project)
        assert serializer.to_representation(project) == dict(generic)


def test_later_pages_load_only_their_rows(api, manager, unit, industry, django_assert_num_queries):
    ids = [p.pk for p in bulk_projects(unit, industry, 7)]
    client = api.as_user(manager)
    with django_assert_num_queries(3):  # count, the page's ids, the page's rows
        page = client.get(URL + "?page_size=3&page=2").json()
    assert [p["id"] for p in page["results"]] == sorted(ids)[3:6]
    last = client.get(URL + "?page_size=3&page=3&ordering=-id").json()
    assert [p["id"] for p in last["results"]] == sorted(ids, reverse=True)[6:]
    assert last["results"][0]["funds_in_place_total"] == "5.00"
