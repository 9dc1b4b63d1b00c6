"""The OpenAPI document as a client generator reads it (SPECTACULAR_SETTINGS' hooks).

A client generated from /api/schema/ must come out the same whatever the language the schema
was read in, with names a programming language accepts, and valid under strict OpenAPI 3.0.3:

- enum components are named from their values, never their (translated) labels, so `Kind…Enum`
  does not change with Accept-Language (`stable_enum_ids`, run before drf-spectacular's own
  enum hook; ENUM_NAME_OVERRIDES in settings names the sets that share a field name);
- tags are ASCII names (module names of a generated client), their human name in the tag's
  description; schema `title`s taken from model verbose names are dropped (a generator turns
  them into class names);
- a nullable reference is `oneOf: [$ref, null]` (3.0.3 ignores `nullable` beside a bare `allOf`);
- `Error.code` is an enum of every code the API sends (api.errors.ERROR_CODES);
- a 201 names the new record's address in `Location`; `servers` names the site.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import list_hash

from api.errors import ERROR_CODES

# The human names of the tags the views use, and the ASCII name a client sees for each. A view
# tagged with a name not listed here is tagged with its path's first segment instead.
TAGS = {
    "基础数据": ("reference", gettext_lazy("基础数据：区县、责任单位、园区、产业")),
    "投资主体": ("investors", gettext_lazy("投资主体")),
    "项目": ("projects", gettext_lazy("项目")),
    "阶段节点": ("events", gettext_lazy("阶段节点（里程碑）")),
    "审议": ("reviews", gettext_lazy("审议")),
    "月度进展": ("progress", gettext_lazy("月度进展")),
    "增量同步": ("sync", gettext_lazy("增量同步：全部可见记录的列表、变更流与批量导出")),
    "台账导入": ("imports", gettext_lazy("台账导入（Excel）")),
    "downloads": ("downloads", gettext_lazy("文件下载（Excel、Word）")),
    "督办": ("supervision", gettext_lazy("督办：调度会商、督办事项、督办函与项目专班")),
    "Webhook": ("webhooks", gettext_lazy("Webhook 订阅与推送记录")),
    "台账与统计": ("ledgers", gettext_lazy("台账与统计")),
    "提示函": ("reminders", gettext_lazy("提示函")),
    "退出审议": ("exits", gettext_lazy("退出审议与逾期筛查")),
    "考核": ("scorecards", gettext_lazy("年度目标与考核")),
}
DOWNLOADS_TAG = "downloads"


class ObjectResponseSchema(AutoSchema):
    """For a `list` action answering one object of its own shape (the changes feed's page):
    drf-spectacular would document it as an array of that object."""

    def _is_list_view(self, serializer=None):
        return False


HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
PREFIX = "/api/v1/"


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _operations(result):
    for path, item in result.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def stable_enum_ids(result, generator, request, public):
    """Name every choice set by its values only: drf-spectacular hashes (value, label) pairs,
    and the labels are translated, so collisions resolved as `Kind7bdEnum` in Chinese came out
    `KindBb6Enum` in English. ENUM_NAME_OVERRIDES given as plain value lists match this hash."""
    for node in _walk(result.get("components", {})):
        if "x-spec-enum-id" in node and isinstance(node.get("enum"), list):
            node["x-spec-enum-id"] = list_hash([(v, v) for v in node["enum"] if v not in ("", None)])
    return result


def for_generated_clients(result, generator, request, public):
    _json_refusals(result)
    result["info"]["description"] = _("招商引资项目全生命周期管理系统对外接口（v1）。金额单位：万元。")
    _no_format_parameter(result)
    _ascii_tags(result)
    _drop_titles(result)
    _nullable_references(result)
    _error_codes(result)
    _created_locations(result)
    _idempotency_keys(result)
    _closed_request_bodies(result)
    result["servers"] = [
        {
            "url": request.build_absolute_uri("/").rstrip("/") if request is not None else "/",
            "description": _("本系统（路径以 /api/v1/ 开头）"),
        }
    ]
    return result


def _no_format_parameter(result):
    """DRF's `?format=` picks a renderer; the schema offers each download as an operation of
    its own instead, so that a client's JSON operations always answer JSON."""
    for _path, _method, operation in _operations(result):
        if "parameters" in operation:
            operation["parameters"] = [
                p
                for p in operation["parameters"]
                if not (p.get("in") == "query" and p.get("name") == "format")
            ]


def _json_refusals(result):
    """Refusals are JSON in every view, downloads included (their handle_exception); the
    generator offered each renderer's media type for them."""
    for _path, _method, operation in _operations(result):
        for status, response in operation.get("responses", {}).items():
            content = response.get("content", {})
            if not status.startswith("2") and "application/json" in content and len(content) > 1:
                response["content"] = {"application/json": content["application/json"]}


def _tag_for(path: str, name: str) -> str:
    if name in TAGS:
        return TAGS[name][0]
    if name.isascii() and re.fullmatch(r"[a-z][a-z0-9_]*", name):
        return name
    first = path.removeprefix(PREFIX).split("/", 1)[0]
    return re.sub(r"[^a-z0-9]+", "_", first.lower()).strip("_") or "api"


def _ascii_tags(result):
    described = {}
    for path, _method, operation in _operations(result):
        names = []
        for name in map(str, operation.get("tags", [])):
            tag = _tag_for(path, name)
            names.append(tag)
            described.setdefault(tag, str(TAGS[name][1]) if name in TAGS else name)
        operation["tags"] = names
    described.setdefault(DOWNLOADS_TAG, str(TAGS[DOWNLOADS_TAG][1]))
    result["tags"] = [{"name": name, "description": described[name]} for name in sorted(described)]


def _drop_titles(result):
    """`title` on a parameter's or property's schema comes from a model's verbose name (in
    Chinese); generators name classes after it. (A property *named* title stays.)"""

    def strip(schema):
        if not isinstance(schema, dict):
            return
        if isinstance(schema.get("title"), str):
            del schema["title"]
        for key in ("items", "additionalProperties", "not"):
            strip(schema.get(key))
        for key in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(key, []) or []:
                strip(part)
        for value in (schema.get("properties") or {}).values():
            strip(value)

    for _path, _method, operation in _operations(result):
        for parameter in operation.get("parameters", []):
            strip(parameter.get("schema"))
    for component in result.get("components", {}).get("schemas", {}).values():
        strip(component)


def _nullable_references(result):
    for node in _walk(result):
        if node.get("nullable") and isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
            reference = node.pop("allOf")[0]
            node.pop("nullable")
            node["oneOf"] = [reference, {"type": "object", "nullable": True, "enum": [None]}]


def _error_codes(result):
    error = result.get("components", {}).get("schemas", {}).get("Error")
    if error:
        error["properties"]["code"] = {
            "type": "string",
            "enum": sorted(ERROR_CODES),
            "description": _("稳定的错误代码，客户端据此判断错误类别；detail 为给人看的说明。"),
        }


def _created_locations(result):
    location = {
        "schema": {"type": "string", "format": "uri"},
        "description": _("新记录的地址（有单独地址的记录）。"),
    }
    for _path, _method, operation in _operations(result):
        created = operation.get("responses", {}).get("201")
        if created is not None:
            created.setdefault("headers", {})["Location"] = location


def _idempotency_keys(result):
    parameter = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255},
        "description": _(
            "可选。客户端为这次写操作生成的唯一值（如 UUID）。24 小时内用同一个值重发同一请求，"
            "返回第一次的应答（带 Idempotent-Replayed: true），不会重复写入。"
        ),
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for _path, method, operation in _operations(result):
        if method != "post":
            continue
        operation.setdefault("parameters", []).append(parameter)
        operation["responses"].setdefault(
            "409",
            {
                "description": _("使用同一 Idempotency-Key 的请求仍在处理中（idempotency_key_in_use）。"),
                "content": error,
            },
        )
        operation["responses"].setdefault(
            "422",
            {
                "description": _("该 Idempotency-Key 已用于另一个请求（idempotency_key_reused）。"),
                "content": error,
            },
        )


def _closed_request_bodies(result):
    """Request bodies take the keys they name and no other (api.base.InputSerializer refuses an
    unknown key with 400 unknown_field): say so, so that generators and checkers agree."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and "properties" in component:
            component.setdefault("additionalProperties", False)
