"""A project's `version` as its ETag, and `If-Match` as the version a writer last saw.

The services do the refusing (projects.locking.lock_project raises Conflict → 412);
this module only translates headers.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter

from core.errors import InvalidValue
from pipeline.progress import progress_stamp

_TAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


def etag(project) -> str:
    return f'"{project.version}"'


def expected_version(request) -> int | None:
    """The version named by If-Match, None when absent or `*`; 400 when unreadable."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        return None
    match = _TAG.match(header)
    if not match:
        raise InvalidValue(
            _('If-Match 应为项目的版本号（即 ETag，如 "3"），收到“%(value)s”。') % {"value": header[:40]},
            field="If-Match",
        )
    return int(match.group(1))


_STAMP = re.compile(r'^(?:W/)?"?(\d{1,20})"?$')


def progress_etag(record) -> str:
    return f'"{progress_stamp(record)}"'


def expected_stamp(request) -> int | None:
    """A progress record's revision named by If-Match (its ETag), None when absent or `*`."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        return None
    match = _STAMP.match(header)
    if not match:
        raise InvalidValue(
            _('If-Match 应为该月进展的 ETag（如 "1733300000000000"），收到“%(value)s”。')
            % {"value": header[:40]},
            field="If-Match",
        )
    return int(match.group(1))


def not_modified(request, project) -> bool:
    header = (request.headers.get("If-None-Match") or "").strip()
    return bool(header) and etag(project) in [tag.strip().removeprefix("W/") for tag in header.split(",")]


IF_MATCH = OpenApiParameter(
    name="If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description=(
        gettext_lazy(
            '可选。客户端上次读到的项目版本（ETag，如 "3"）。'
            "项目已被他人修改时返回 412，code 为 conflict，不写入任何数据。"
        )
    ),
)
IF_NONE_MATCH = OpenApiParameter(
    name="If-None-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description=gettext_lazy("可选。与当前 ETag 相同时返回 304（无正文）。"),
)
PROGRESS_IF_MATCH = OpenApiParameter(
    name="If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description=(
        gettext_lazy(
            "可选。上次读到的该月进展的 ETag。该月进展已被他人修改（或尚未填报）时返回 412，"
            "code 为 conflict，不写入任何数据。"
        )
    ),
)
PROGRESS_ETAG = OpenApiParameter(
    name="ETag",
    location=OpenApiParameter.HEADER,
    type=str,
    response=[200, 201],
    description=gettext_lazy("该月进展的当前版本；替换时放入 If-Match 以防覆盖他人填报。"),
)
ETAG_HEADER = OpenApiParameter(
    name="ETag",
    location=OpenApiParameter.HEADER,
    type=str,
    response=[200, 201],
    description=gettext_lazy("项目当前版本号（即 version），写操作时放入 If-Match 以防覆盖他人修改。"),
)
