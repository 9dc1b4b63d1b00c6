from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExitsConfig(AppConfig):
    name = "exits"
    verbose_name = _("逾期筛查与退出审议")

    def ready(self):
        # The period figures count the exit reviews decided each way (pipeline.stats).
        from exits.figures import register_figures

        register_figures()
