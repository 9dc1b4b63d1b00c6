from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo district: data and the builder behind `manage.py load_demo`. Nothing of the
    product imports it; it stands above every app and goes through their services."""

    name = "demo"
    verbose_name = "演示数据"
