"""Finding 5 (issue 12) as a person sees it: after LOGIN_FAILURE_LIMIT wrong passwords the
sign-in page says the account or address is locked and for how long, and the right password
no longer signs in."""

import pytest
from django.conf import settings

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def attempt(page, live_server, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def test_the_sign_in_page_says_it_is_locked(page, live_server, staff):
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(page, live_server, f"wrong-{n}")
    alert = page.locator("[role=alert]")
    assert "登录失败次数过多" in alert.inner_text()
    assert f"{settings.LOGIN_LOCKOUT_MINUTES} 分钟" in alert.inner_text()
    attempt(page, live_server, "pass-1234")
    assert page.url.endswith("/login/")
    assert "登录失败次数过多" in page.locator("[role=alert]").inner_text()
    screenshot(page, "login-locked-out")
