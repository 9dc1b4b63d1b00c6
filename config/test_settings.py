"""Settings for the test suite: the product's settings, with static files served from the
app folders (no collectstatic) and a fast password hasher."""

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests count queries precisely; throttle counters stay in memory here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
