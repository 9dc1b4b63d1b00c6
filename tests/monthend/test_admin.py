"""The month end's records are read in the admin, never written there."""

from monthend.models import Publication
from monthend.publication import month_publish
from tests.factories import UserFactory


def test_the_admin_lists_and_shows_the_month_end_read_only(client, month_end_year, district, manager):
    publication = month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    for model in ("publication", "targetsheet", "targetchange", "scoreweights", "scorecard"):
        assert client.get(f"/admin/monthend/{model}/").status_code == 200, model
    assert client.get("/admin/exits/exitreview/").status_code == 200
    page = client.get(f"/admin/monthend/publication/{publication.pk}/change/")
    assert page.status_code == 200 and "保存" not in page.content.decode().split("submit-row")[-1][:300]
    assert (
        client.post(f"/admin/monthend/publication/{publication.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Publication.objects.filter(pk=publication.pk).exists()
