"""The JSON form of a ledger (pipeline.ledger): what publishing stores and the API sends —
Decimals as '0.00' strings, dates as ISO strings — and back into the Python form, so pages and
exports read one shape whichever they were given."""

import datetime as dt
import json

from django.core.serializers.json import DjangoJSONEncoder

from core.money import money
from projects.lifecycle import LEDGER_TOTAL_FIELDS

ROW_MONEY = (
    "total_investment",
    "contract_investment",
    "month_funds_in_place",
    "month_investment_completed",
    "funds_in_place_total",
)
ROW_DATES = ("stage_since", "signed_on", "started_on", "planned_production_date")


def ledger_json(data: dict) -> dict:
    """Decimals as '0.00' strings, dates as ISO strings: what is stored and sent."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _to_date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value


def _to_money(value):
    return money(value) if value is not None else None


def _sums_from_json(entry: dict) -> dict:
    # A version published before the sections had totals of their own carries only the investment.
    return {**entry, **{field: money(entry[field]) for field in LEDGER_TOTAL_FIELDS if field in entry}}


def ledger_from_json(data: dict) -> dict:
    """The JSON form back into Decimals and dates, so pages and exports read one shape."""
    data = dict(data)
    data["as_of"] = _to_date(data["as_of"])
    data["summary"] = {stage: _sums_from_json(entry) for stage, entry in data["summary"].items()}
    data["totals"] = _sums_from_json(data["totals"])
    movements = dict(data["movements"])
    if "items" in movements:
        movements["items"] = [
            {
                **item,
                "date": _to_date(item["date"]),
                "contract_investment": _to_money(item["contract_investment"]),
            }
            for item in movements["items"]
        ]
    data["movements"] = movements
    if "rows" in data:
        converted = []
        for row in data["rows"]:
            row = dict(row)
            for key in ROW_MONEY:
                if key in row:
                    row[key] = _to_money(row[key])
            for key in ROW_DATES:
                if key in row:
                    row[key] = _to_date(row[key])
            converted.append(row)
        data["rows"] = converted
    return data
