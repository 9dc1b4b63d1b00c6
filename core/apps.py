from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The base every other app stands on: typed refusals, local dates and months, money."""

    name = "core"
    verbose_name = "基础"
