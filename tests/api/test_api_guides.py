"""The guides say what the API does: the English guide (docs/api.en.md) gives every operation of
the schema an example, and both guides list every error code the API sends and no other."""

import re
from pathlib import Path

import pytest

from api.errors import ERROR_CODES

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs"
METHODS = ("get", "put", "post", "patch", "delete")


def error_table_codes(text: str, heading: str) -> set[str]:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {code for row in rows for code in re.findall(r"`([a-z_]+)`", row.split("|")[1])}


def test_the_english_guide_has_an_example_for_every_operation(schema):
    guide = (DOCS / "api.en.md").read_text(encoding="utf-8")
    missing = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in METHODS
        if method in item and f"`{method.upper()} {path}` —" not in guide
    ]
    assert missing == []


@pytest.mark.parametrize(("name", "heading"), [("api.en.md", "## Errors"), ("api.md", "## 错误格式")])
def test_each_guide_lists_exactly_the_codes_the_api_sends(name, heading):
    assert error_table_codes((DOCS / name).read_text(encoding="utf-8"), heading) == ERROR_CODES
