"""THROTTLE_ANON and THROTTLE_USER (docs/api.md, 限流) come from the environment."""

import importlib

import pytest
from rest_framework.throttling import SimpleRateThrottle

import config.settings


@pytest.fixture
def settings_module(monkeypatch):
    """config.settings re-read under the environment the test sets; re-read again afterwards
    under the original one, so nothing else sees the test's values."""

    def read(**env):
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return importlib.reload(config.settings)

    yield read
    monkeypatch.undo()
    importlib.reload(config.settings)


def _rates(module) -> dict:
    return module.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]


def test_the_rates_are_read_from_the_environment(settings_module):
    rates = _rates(settings_module(THROTTLE_ANON="7/minute", THROTTLE_USER="250/hour"))
    assert rates == {"anon": "7/minute", "user": "250/hour"}
    # In the form DRF's throttles parse.
    assert SimpleRateThrottle.parse_rate(None, rates["anon"]) == (7, 60)
    assert SimpleRateThrottle.parse_rate(None, rates["user"]) == (250, 3600)


def test_each_rate_is_read_on_its_own(settings_module):
    rates = _rates(settings_module(THROTTLE_ANON="5/second", THROTTLE_USER=None))
    assert rates["anon"] == "5/second"
    assert rates["user"] == "100000/hour"


def test_without_the_environment_the_defaults_apply(settings_module):
    assert _rates(settings_module(THROTTLE_ANON=None, THROTTLE_USER=None)) == {
        "anon": "60/minute",
        "user": "100000/hour",
    }


def test_the_settings_are_restored_after_each_test():
    assert _rates(config.settings)["anon"] != "7/minute"


@pytest.mark.parametrize("value", ["lots", "0/minute", "10/fortnight", "/hour", "10"])
def test_a_malformed_rate_stops_the_start_up_naming_the_variable(settings_module, value):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="THROTTLE_USER"):
        settings_module(THROTTLE_USER=value)
