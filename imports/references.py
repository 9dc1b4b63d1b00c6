"""Reference names as people write them: a unit, park or industry given by its code, its full
name or a short name ("经信委" for 区经济信息委, "九龙新城" for 重庆枢纽港产业园九龙新城) maps to the
reference data of the district; an unknown or ambiguous one is an error naming the value and
the closest matches. Loaded once per import (the reference tables are small)."""

import difflib
import re

from django.utils.translation import gettext as _

from imports.values import CellError
from projects.models import Industry, Park, Unit

_NOISE = re.compile(r"[\s\u3000()（）]")


def _key(value: str) -> str:
    return _NOISE.sub("", value)


def _is_subsequence(short: str, full: str) -> bool:
    remaining = iter(full)
    return all(char in remaining for char in short)


class Lookup:
    """Names → records of one kind, with the district's name taken off the front
    (九龙坡区经济信息委 is 区经济信息委 of 九龙坡区)."""

    def __init__(self, label: str, records, district_name: str = ""):
        self.label = label
        self.records = list(records)
        self.prefixes = [prefix for prefix in (district_name, district_name.removesuffix("区")) if prefix]
        self.by_key: dict[str, object] = {}
        for record in self.records:
            self.by_key.setdefault(_key(record.code), record)
        for record in self.records:
            self.by_key.setdefault(_key(record.name), record)
        self.names = {_key(record.name): record for record in self.records}
        self._cache: dict[str, object] = {}

    def _strip(self, key: str) -> str:
        for prefix in self.prefixes:
            if key.startswith(prefix) and len(key) > len(prefix):
                return key[len(prefix) :]
        return key

    def resolve(self, value: str):
        if value in self._cache:
            return self._cache[value]
        found = self._resolve(value)
        self._cache[value] = found
        return found

    def _resolve(self, value: str):
        key = _key(value)
        if key in self.by_key:
            return self.by_key[key]
        stripped = self._strip(key)
        for candidate in (stripped, f"区{stripped}"):
            if candidate in self.names:
                return self.names[candidate]
        # A short name: its characters in order within one full name (经信委 → 区经济信息委),
        # or the full name inside the value (重庆市九龙坡区西彭园区 → 西彭园区).
        matches = [r for name, r in self.names.items() if _is_subsequence(stripped, name) or name in key]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            contained = [r for r in matches if stripped in _key(r.name)]
            if len(contained) == 1:
                return contained[0]
            return CellError(
                "ambiguous_reference",
                _("%(label)s“%(value)s”可指多个：%(names)s，请写全称。")
                % {"label": self.label, "value": value, "names": "、".join(r.name for r in matches[:5])},
            )
        close = difflib.get_close_matches(stripped, list(self.names), n=3, cutoff=0.3)
        hint = (
            _("最接近的有：%(names)s。") % {"names": "、".join(self.names[n].name for n in close)}
            if close
            else _("可填写的%(label)s见参考数据。") % {"label": self.label}
        )
        return CellError(
            "unknown_reference",
            _("%(label)s“%(value)s”不存在。%(hint)s") % {"label": self.label, "value": value, "hint": hint},
        )


class References:
    """The district's units and parks, and the industry tree."""

    def __init__(self, district):
        name = district.name
        self.unit = Lookup(_("责任单位"), Unit.objects.filter(district=district), name)
        self.park = Lookup(_("园区"), Park.objects.filter(district=district), name)
        self.industry = Lookup(_("产业"), Industry.objects.all())

    def resolve(self, kind: str, value: str):
        """The record, or raise CellError."""
        found = getattr(self, kind).resolve(value)
        if isinstance(found, CellError):
            raise found
        return found
