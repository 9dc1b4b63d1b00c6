"""python manage.py issue_reminders --month YYYY-MM [--district code] [--by username]

For a monthly cron job: issues each district's 工作提示函 / 催办函 for the month through
pipeline.reminders.reminders_issue (the same rules as the pages and the API). Idempotent:
running it again for the same month reports the units already issued and creates nothing twice.

--month   defaults to the last complete month.
--district one district's code; all districts when omitted (each in its own transaction).
--by      the account that issues: a district manager or a system account. Defaults to the
          one active, writable system account covering the district (no district, or that
          district); when there is none, or more than one, name it with --by.
Exits non-zero with a clear message on bad input or when the account may not issue.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import Role, User
from core.dates import format_month, parse_month
from core.errors import ServiceError
from pipeline.reminders import last_complete_month, reminders_issue
from projects.models import District


class Command(BaseCommand):
    help = "生成某月各责任单位的工作提示函/催办函（逾期项目按该月月末台账认定）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="月份 YYYY-MM，默认为上一个完整月份。")
        parser.add_argument("--district", help="区县代码；不填则为全部区县。")
        parser.add_argument("--by", help="以该用户名的账号生成（区管理人员或系统账号）。")

    def handle(self, *args, month=None, district=None, by=None, **options):
        try:
            first = parse_month(month) if month else last_complete_month()
        except ValueError as error:
            raise CommandError(f"--month：{error}") from None
        districts = self._districts(district)
        named = self._user(by) if by else None
        failures = 0
        for item in districts:
            user = named or self._system_user(item)
            try:
                result = reminders_issue(district=item, month=first, by=user)
            except ServiceError as error:
                if len(districts) == 1:
                    raise CommandError(f"{item.name}：{error}") from None
                self.stderr.write(self.style.ERROR(f"{item.name}：{error}"))
                failures += 1
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    f"{item.name} {format_month(first)}：新发 {len(result.created)} 份"
                    f"（工作提示函 {result.notices}、催办函 {result.urgings}），"
                    f"补充 {len(result.extended)} 份，已发过 {len(result.already_issued)} 份。"
                )
            )
            for reminder in result.already_issued:
                self.stdout.write(f"  已发过：{reminder.unit.name}（{reminder.get_kind_display()}）")
        if failures:
            raise CommandError(f"{failures} 个区县未能生成提示函。")

    def _districts(self, code):
        if code:
            found = District.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"--district：区县代码“{code}”不存在。")
            return [found]
        districts = list(District.objects.order_by("code"))
        if not districts:
            raise CommandError("还没有区县，请先 loaddata reference。")
        return districts

    def _user(self, username):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--by：用户“{username}”不存在。")
        if not user.is_active:
            raise CommandError(f"--by：用户“{username}”已停用。")
        return user

    def _system_user(self, district):
        candidates = list(
            User.objects.filter(role=Role.SYSTEM, is_active=True, read_only=False)
            .filter(Q(district__isnull=True) | Q(district=district))
            .order_by("id")[:2]
        )
        if len(candidates) != 1:
            raise CommandError(
                f"{district.name}：找不到唯一可用的系统账号，请用 --by 指定生成提示函的账号"
                f"（区管理人员或系统账号）。"
            )
        return candidates[0]
