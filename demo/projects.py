"""Reading the demo projects: the CSV's published facts merged with demo.details."""

import csv
from decimal import Decimal
from pathlib import Path

from demo.details import DETAILS, EXTRA_PROJECTS
from demo.specs import CSV_PATH, SOURCE_BY_LABEL, DemoProject, d
from projects.lifecycle import FORWARD, Stage, stages_up_to

CSV_DATE_COLUMNS = {
    Stage.NEGOTIATING: "negotiation_started_on",
    Stage.APPROVED: "approved_on",
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
}


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _project(row: dict, extra: dict, invented: bool = False) -> DemoProject:
    """Merge a CSV row (published, wins) with the plausible values for its empty cells."""
    dates = {stage: d(value) for stage, value in extra.get("dates", {}).items()}
    for stage, column in CSV_DATE_COLUMNS.items():
        published = row.get(column)
        if published:
            if stage in dates and dates[stage] != d(published):
                raise ValueError(f"{row['name']}: {stage} is published as {published}")
            dates[stage] = d(published)
    stage = row["stage"]
    reached = stages_up_to(stage) if stage in FORWARD and stage != Stage.NEGOTIATING else None
    if reached is not None:
        missing = [s for s in reached if s not in dates]
        if missing:
            raise ValueError(f"{row['name']}: no date for {missing}")
    source = row.get("source") or extra.get("source") or "自主洽谈"
    total = _decimal(row.get("total_investment_wan")) or _decimal(extra.get("total_investment")) or Decimal(0)
    return DemoProject(
        name=row["name"],
        district=row["district"],
        unit=row["unit"],
        industry=row["industry"],
        park=row.get("park") or extra.get("park"),
        stage=stage,
        dates=dict(sorted(dates.items(), key=lambda item: item[1])),
        investor=row.get("investor") or extra.get("investor"),
        total_investment=total,
        expected_output=_decimal(row.get("expected_output_wan")) or _decimal(extra.get("expected_output")),
        land_area_mu=_decimal(row.get("land_area_mu")) or _decimal(extra.get("land_area_mu")),
        building_area_m2=_decimal(extra.get("building_area_m2")),
        source=SOURCE_BY_LABEL.get(source, source),
        planned=extra.get("planned", (None, None, None)),
        lead_official=extra.get("lead_official", ""),
        task_force=extra.get("task_force", ""),
        description=row.get("facts", "") if not invented else "演示项目（虚构数据，用于展示系统功能）。",
        contract_investment=_decimal(extra.get("contract_investment")) or total,
        actual_output=_decimal(extra.get("actual_output")),
        rejected_review=extra.get("rejected_review"),
        voided_first=extra.get("voided_first", {}),
        exit=extra.get("exit"),
        requests=extra.get("requests", []),
        invented=invented,
    )


def demo_projects(path: Path = CSV_PATH) -> list[DemoProject]:
    """Every project of the CSV (in its order), then the invented ones."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    projects = [_project(row, DETAILS.get(row["name"], {})) for row in rows]
    for extra in EXTRA_PROJECTS:
        row = {key: extra[key] for key in ("name", "district", "unit", "industry", "stage")}
        projects.append(_project(row, extra, invented=True))
    return projects
