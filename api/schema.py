"""What the OpenAPI document says about errors, shared by every endpoint."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text=gettext_lazy("错误说明（默认中文，Accept-Language: en 时为英文）。")
    )
    # Documented as the enum of api.errors.ERROR_CODES by api.openapi (the hook writes its description).
    code = serializers.CharField()
    field = serializers.CharField(required=False, help_text=gettext_lazy("出错的字段或参数名（如有）。"))


ERROR_EXAMPLES = {
    400: [
        OpenApiExample(
            "field_invalid",
            summary=gettext_lazy("字段校验失败"),
            value={
                "total_investment": [gettext_lazy("请确保总计不超过 16 个数字。")],
                "detail": gettext_lazy("请求有误，请检查：total_investment。请确保总计不超过 16 个数字。"),
                "code": "invalid_value",
                "field": "total_investment",
            },
            status_codes=["400"],
            response_only=True,
        ),
        OpenApiExample(
            "rule_refused",
            summary=gettext_lazy("业务规则拒绝"),
            value={
                "detail": gettext_lazy("项目当前为“在谈”，不能登记为“已签约”。"),
                "code": "illegal_transition",
                "field": "stage",
            },
            status_codes=["400"],
            response_only=True,
        ),
    ],
    412: [
        OpenApiExample(
            "version_conflict",
            summary=gettext_lazy("版本冲突"),
            value={
                "detail": gettext_lazy("该项目已被他人修改（当前版本 4，您提交的版本 3），请刷新后重试。"),
                "code": "conflict",
            },
            status_codes=["412"],
            response_only=True,
        )
    ],
}

DESCRIPTIONS = {
    400: gettext_lazy(
        "请求无效：JSON 格式错误、类型错误、代码不存在、数值超出范围、未知参数或业务规则不允许。"
        "字段校验错误时正文为“字段名 → 错误列表”，并附 detail、code、field。"
    ),
    401: gettext_lazy("未登录或令牌无效（Authorization: Token <key>）。"),
    403: gettext_lazy("无权进行该操作（角色、所属区县/单位或只读账号）。"),
    404: gettext_lazy("记录不存在或不在您的查看范围内。"),
    405: "不支持该请求方法。",
    412: gettext_lazy("If-Match 所带版本已过期：项目已被他人修改，未写入任何数据。"),
    413: gettext_lazy(
        "请求正文过大（超过 DATA_UPLOAD_MAX_MEMORY_SIZE，默认 5 MB），未处理（request_too_large）。"
    ),
    415: gettext_lazy("Content-Type 不受支持（请使用 application/json）。"),
    429: gettext_lazy("请求过于频繁，请稍后再试（限流频率见 THROTTLE_ANON / THROTTLE_USER）。"),
}


def errors(*statuses: int) -> dict:
    """Error responses for extend_schema(responses=...)."""
    return {
        status: OpenApiResponse(
            response=ErrorSerializer,
            description=DESCRIPTIONS[status],
            examples=ERROR_EXAMPLES.get(status, []),
        )
        for status in statuses
    }


def paged_list_errors() -> dict:
    """Error responses of a paged list: LIST_ERRORS, and 404 for a page past the end or a
    parent record the caller cannot see."""
    return {
        **errors(*LIST_ERRORS),
        404: OpenApiResponse(
            response=ErrorSerializer,
            description=gettext_lazy(
                "页码超出末页（?page=N 大于总页数），或上级记录不存在、不在您的查看范围内。"
            ),
        ),
    }


READ_ERRORS = (401, 403, 429)
LIST_ERRORS = (400, 401, 403, 429)
DETAIL_ERRORS = (401, 403, 404, 429)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 429)


def decimal_inputs_take_numbers(result, generator, request, public):
    """Money and areas are written as decimal strings ("520000.00", docs/api.md) and read also as
    JSON numbers (520000 or 520000.5), as the input serializers accept them: say so in every
    request body, so that a client's generated code and a schema checker both expect it."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):
            continue
        for node in component.get("properties", {}).values():
            if node.get("type") != "string" or node.get("format") != "decimal":
                continue
            as_string = {key: node.pop(key) for key in ("type", "format", "pattern")}
            number = {"type": "number"}
            number.update({key: node[key] for key in ("minimum", "maximum") if key in node})
            node["oneOf"] = [as_string, number]
    return result
