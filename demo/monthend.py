"""The month end in the demo, through the services: every exit goes through an exit review (the
unit proposes, the departments give opinions, the manager decides and the 终止 milestone is
recorded), a stalled project is kept until a date, another review is under way; the year's
targets are set; the month before last is published with its gaps confirmed and its 专项报告
built (last month is left being closed, as at the start of a month). Idempotent: a district
already published for the month, or a project already reviewed, is left as it is."""

import datetime as dt
from decimal import Decimal

from core.dates import add_months, local_today, month_end
from exits.models import ExitReview
from exits.screening import screening
from exits.services import exit_review_decide, exit_review_open
from monthend.models import Publication
from monthend.publication import month_publish
from monthend.report.files import report_file
from monthend.targets import targets_set
from pipeline.models import PublishedLedger
from pipeline.reminders import last_complete_month
from pipeline.stats import statistics
from projects.models import District, Unit

CLERKS_UNIT = "jlp-econ"


def exit_by_review(project, date: dt.date, exit_data: dict, *, clerk, manager) -> ExitReview:
    """A demo project's 终止, as the bureau records it: proposed by its unit, decided by review."""
    review = exit_review_open(
        project=project,
        by=clerk,
        proposal="exit",
        reason="投资方资金未到位，项目长期停滞，提请退出。",
        opinions=[
            {"from": project.unit.name, "text": "多次督促无进展，建议退出并收回土地。"},
            {"from": "区规划自然资源局", "text": "同意收回土地，重新供应。"},
        ],
        date=date,
    )
    return exit_review_decide(
        review=review,
        by=manager,
        decision="exit",
        date=date,
        reason="经审议，项目退出项目池，收回土地。",
        reclaimed_land_mu=exit_data["reclaimed_land_mu"],
        reclaimed_building_m2=exit_data.get("reclaimed_building_m2"),
        exit_reason=exit_data.get("reason"),
    )


class MonthEnd:
    """Run the last complete month's end for the demo districts (see the module docstring)."""

    def __init__(self, *, manager_of, clerk_of, today: dt.date | None = None):
        self.manager_of = manager_of  # district code → manager
        self.clerk_of = clerk_of  # project → the unit's clerk (or the manager)
        self.today = today or local_today()
        # The month before last is published; last month is being closed (not all units have
        # filed it yet), so the home pages open on it as they would at the start of a month.
        self.month = add_months(last_complete_month(self.today), -1)

    def run(self, district_codes) -> int:
        districts = [District.objects.get(code=code) for code in district_codes]
        self.review(districts)
        published = 0
        for district in districts:
            manager = self.manager_of(district.code)
            self.set_targets(district, manager)
            published += self.publish(district, manager)
        return published

    def review(self, districts) -> None:
        """Keep the first stalled project with no review until three months on; open a review
        of the next (under way, with the unit's and the industry department's opinions)."""
        if ExitReview.objects.exclude(decision="exit").exists():
            return  # done on an earlier load: loading again changes nothing
        unreviewed = [
            row
            for district in districts
            for row in screening(self.month, filters={"district": district.code})["results"]
            if not ExitReview.objects.filter(project_id=row["id"]).exists()
        ]
        day = month_end(self.month) - dt.timedelta(days=10)
        self.propose_in_clerks_unit(unreviewed[2:])
        if unreviewed:
            project = _project(unreviewed[0]["id"])
            review = exit_review_open(
                project=project,
                by=self.clerk_of(project),
                proposal="keep",
                reason="企业已落实融资，承诺三个月内开工。",
                opinions=[{"from": project.unit.name, "text": "企业资金已到位，建议保留。"}],
                date=day,
            )
            exit_review_decide(
                review=review,
                by=self.manager_of(project.district.code),
                decision="keep",
                date=day,
                reason="同意保留，三个月后复核。",
                keep_until=add_months(day, 3),
            )
        if len(unreviewed) > 1:
            project = _project(unreviewed[1]["id"])
            exit_review_open(
                project=project,
                by=self.manager_of(project.district.code),
                proposal="exit",
                reason="长期停滞，区招商投资局发起退出审议。",
                opinions=[
                    {"from": project.unit.name, "text": "正在与投资方协商，建议暂缓。"},
                    {"from": "行业主管部门", "text": "项目符合产业方向，建议给予三个月整改期。"},
                ],
                date=month_end(self.month) - dt.timedelta(days=3),
            )

    def propose_in_clerks_unit(self, rows) -> None:
        """The demo clerk's unit (九龙坡区经济信息委) proposes the exit of one of its stalled
        projects: a review waiting for the manager's decision."""
        row = next((row for row in rows if row["unit"] == CLERKS_UNIT), None)
        if row is None:
            return
        project = _project(row["id"])
        exit_review_open(
            project=project,
            by=self.clerk_of(project),
            proposal="exit",
            reason="投资方战略调整，项目长期未推进，提请退出并收回土地。",
            opinions=[{"from": project.unit.name, "text": "多次对接无实质进展，建议退出。"}],
            date=month_end(self.month) - dt.timedelta(days=5),
        )

    def set_targets(self, district, manager) -> None:
        """This year's targets: a fifth above last year's figures per unit (at least one
        project), and the district's total the sum of its units'."""
        year = self.today.year
        last = statistics(
            dt.date(year - 1, 1, 1),
            dt.date(year - 1, 12, 31),
            filters={"district": district.code},
            group_by="unit",
        )
        figures = {entry["group"]: entry["figures"] for entry in last["results"]}
        units, total = (
            [],
            {
                "signed_count": 0,
                "contract_investment": Decimal(0),
                "started_count": 0,
                "funds_in_place": Decimal(0),
            },
        )
        for unit in (
            Unit.objects.filter(district=district, projects__isnull=False).distinct().order_by("code")
        ):
            before = figures.get(unit.code, {})
            row = {
                "unit": unit.code,
                "signed_count": max(1, round((before.get("signed_count") or 0) * 1.2)),
                "contract_investment": max(
                    Decimal("10000"),
                    (Decimal(before.get("contract_investment") or 0) * Decimal("1.2")).quantize(Decimal("1")),
                ),
                "started_count": max(1, round((before.get("started_count") or 0) * 1.2)),
                "funds_in_place": max(
                    Decimal("5000"),
                    (Decimal(before.get("funds_in_place") or 0) * Decimal("1.2")).quantize(Decimal("1")),
                ),
            }
            units.append(row)
            for name in total:
                total[name] += row[name]
        targets_set(district=district, year=year, by=manager, units=units, total=total)

    def publish(self, district, manager) -> int:
        if PublishedLedger.objects.filter(district=district, month=self.month).exists():
            return 0
        month_publish(
            district=district, month=self.month, by=manager, note="月末发布（演示）", confirm_gaps=True
        )
        report_file(district=district, month=self.month)  # built once, kept with the publication
        return Publication.objects.filter(ledger__district=district, ledger__month=self.month).count()


def _project(pk):
    from projects.models import Project

    return Project.objects.select_related("unit", "district").get(pk=pk)
