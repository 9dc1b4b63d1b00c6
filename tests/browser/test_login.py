import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_a_clerk_logs_in_and_sees_the_home_page(page, live_server, staff):
    login(page, live_server, "clerk")
    assert page.url.rstrip("/") == live_server.url
    assert page.locator("h1").first.inner_text()
    screenshot(page, "home")
