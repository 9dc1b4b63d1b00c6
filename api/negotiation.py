"""``?format=``: a value no renderer of the view knows is a 400 naming the parameter (DRF
would raise Django's Http404, which says nothing about what was wrong)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class StrictContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            choices = "、".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise ValidationError(
                {
                    "format": [
                        _("不支持的格式“%(value)s”，可选：%(choices)s。")
                        % {"value": str(format)[:32], "choices": choices}
                    ]
                },
                code="invalid_value",
            )
        return matching
