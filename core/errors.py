"""Typed refusals raised by the services. Each has a stable code and a Chinese message.

A service that raises one of these has written nothing (it runs in one transaction).
The API maps them to HTTP statuses; pages show the message beside `field` when set.
"""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    code = "invalid"
    status = 400
    default_message = _("请求无效。")

    def __init__(self, message=None, *, field: str | None = None, **params):
        self.field = field
        self.params = params
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def __str__(self):
        return str(self.message)

    def as_dict(self) -> dict:
        data = {"detail": str(self.message), "code": self.code}
        if self.field:
            data["field"] = self.field
        return data


class IllegalTransition(ServiceError):
    code = "illegal_transition"
    default_message = _("当前阶段不允许进行该操作。")


class DateOutOfOrder(ServiceError):
    code = "date_out_of_order"
    default_message = _("日期不能早于上一节点的日期。")


class DateInFuture(ServiceError):
    code = "date_in_future"
    default_message = _("日期不能晚于今天。")


class MissingField(ServiceError):
    code = "missing_field"
    default_message = _("缺少必填项。")


class InvalidValue(ServiceError):
    code = "invalid_value"
    default_message = _("填写的值无效。")


class Conflict(ServiceError):
    code = "conflict"
    status = 412
    default_message = _("该项目已被他人修改，请刷新后重试。")


class NotVoidable(ServiceError):
    code = "not_voidable"
    default_message = _("该节点不能作废。")


class Forbidden(ServiceError):
    code = "forbidden"
    status = 403
    default_message = _("您没有权限进行该操作。")


class Duplicate(ServiceError):
    code = "duplicate"
    default_message = _("记录已存在。")


class GapsNotConfirmed(ServiceError):
    """A month published with gaps (progress not filed, overdue projects not reviewed) needs the
    publisher's explicit confirmation (monthend.publication)."""

    code = "gaps_not_confirmed"
    default_message = _("发布前检查发现未完成事项，请确认后再发布。")
