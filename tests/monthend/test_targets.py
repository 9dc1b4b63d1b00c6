"""Annual targets: set by a manager, changed only with a recorded reason."""

from decimal import Decimal

import pytest

from changes.models import Change
from core.errors import Forbidden, InvalidValue, MissingField
from monthend.models import TargetChange
from monthend.targets import targets_of, targets_set

UNITS = [
    {"unit": "jlp-econ", "signed_count": 4, "contract_investment": "60000", "started_count": 2},
    {"unit": "jlp-sci", "signed_count": 2, "funds_in_place": 5000},
]
TOTAL = {"signed_count": 8, "contract_investment": "100000.00", "started_count": 4, "funds_in_place": "20000"}


def test_a_manager_sets_the_years_targets(unit, other_unit, district, manager):
    targets_set(district=district, year=2025, by=manager, units=UNITS, total=TOTAL)
    data = targets_of(district, 2025)
    units = {row["unit"]: row for row in data["units"]}
    assert (units["jlp-econ"]["signed_count"], units["jlp-econ"]["contract_investment"]) == (
        4,
        Decimal("60000.00"),
    )
    assert units["jlp-econ"]["funds_in_place"] is None  # no target set
    assert units["jlp-sci"]["funds_in_place"] == Decimal("5000.00")
    assert data["total"]["contract_investment"] == Decimal("100000.00")
    assert Change.objects.filter(type="target.updated").count() == 1


def test_a_change_needs_a_reason_and_is_kept(unit, other_unit, district, manager):
    targets_set(district=district, year=2025, by=manager, units=UNITS, total=TOTAL)
    changed = [{**UNITS[0], "signed_count": 6}, UNITS[1]]
    with pytest.raises(MissingField) as refused:
        targets_set(district=district, year=2025, by=manager, units=changed, total=TOTAL)
    assert refused.value.field == "reason"
    assert targets_of(district, 2025)["units"][0]["signed_count"] == 4
    targets_set(district=district, year=2025, by=manager, units=changed, total=TOTAL, reason="年中调整")
    history = list(TargetChange.objects.order_by("id"))
    assert [h.reason for h in history] == ["", "年中调整"]
    assert history[1].before["units"]["jlp-econ"]["signed_count"] == 4
    assert history[1].after["units"]["jlp-econ"]["signed_count"] == 6
    # the same values again change nothing, and need no reason
    targets_set(district=district, year=2025, by=manager, units=changed, total=TOTAL)
    assert TargetChange.objects.count() == 2


@pytest.mark.parametrize(
    ("units", "field"),
    [
        ([{"unit": "jj-invest", "signed_count": 1}], "units"),  # another district's unit
        ([{"unit": "jlp-econ", "signed_count": -1}], "units"),
        ([{"unit": "jlp-econ", "signed_count": "many"}], "units"),
        ([{"unit": "jlp-econ", "colour": 1}], "units"),
        ([{"unit": "jlp-econ"}, {"unit": "jlp-econ"}], "units"),
    ],
)
def test_bad_targets_are_refused(unit, foreign_unit, district, manager, units, field):
    with pytest.raises(InvalidValue) as refused:
        targets_set(district=district, year=2025, by=manager, units=units, total={})
    assert refused.value.field == field
    assert not TargetChange.objects.exists()


def test_only_a_manager_sets_targets(unit, district, staff):
    with pytest.raises(Forbidden):
        targets_set(district=district, year=2025, by=staff, units=[], total=TOTAL)
