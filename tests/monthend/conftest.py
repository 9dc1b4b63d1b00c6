from tests.api.conftest import api, foreign_manager  # noqa: F401 (shared fixtures)
