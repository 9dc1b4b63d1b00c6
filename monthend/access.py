"""Which district a month-end request is about, and whether the reader may see it whole."""

from django.utils.translation import gettext as _

from accounts import roles
from core.errors import InvalidValue
from pipeline.publishing import reader_district
from projects.models import District


def district_for(user, code: str | None):
    """The district named by `code`, or the reader's own; the month end's pages and reports are
    the whole district's, so the reader must see all of it (unit staff see their unit's rows
    of the scorecard through scorecard.visible_rows instead)."""
    district = reader_district(user, {"district": code} if code else None)
    if district is None and not code and getattr(user, "home_district_id", None):
        district = District.objects.filter(pk=user.home_district_id).first()  # a clerk's own
    if district is None:
        if code:
            raise InvalidValue(_("区县代码“%(code)s”不存在。") % {"code": code[:32]}, field="district")
        raise InvalidValue(_("请指定区县（district）。"), field="district")
    return district


def whole_district_for(user, code: str | None):
    district = district_for(user, code)
    roles.require(roles.sees_whole_district(user, district.pk), _("只有能查看全区项目的用户可以查看该内容。"))
    return district
