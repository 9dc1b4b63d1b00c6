"""Small helpers that read settings from the environment (healthchecks style)."""

import os


def env_str(name: str, default: str = "") -> str:
    return os.getenv(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.getenv(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.getenv(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate, `N/period` (period: second, minute, hour or day, or their first
    letter). A malformed value stops the start-up naming the variable, rather than making
    every API request fail later."""
    from django.core.exceptions import ImproperlyConfigured

    value = os.getenv(name, default).strip()
    count, _, period = value.partition("/")
    if not (count.isdigit() and int(count) > 0 and period[:1] in ("s", "m", "h", "d")):
        raise ImproperlyConfigured(
            f"{name}={value!r}: expected N/period, e.g. 60/minute or 100000/hour "
            f"(period: second, minute, hour or day)."
        )
    return value
