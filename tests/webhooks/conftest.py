from tests.api.conftest import _fresh_throttle_counts, api  # noqa: F401 (the API's client fixtures)
