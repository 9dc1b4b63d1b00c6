from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonthendConfig(AppConfig):
    name = "monthend"
    verbose_name = _("月末工作与考核")
