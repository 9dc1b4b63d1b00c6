"""python manage.py load_demo: the demo projects, their histories and the demo users.

Everything goes through the services (see projects/demo.py). Running it again changes
nothing: existing projects (same district and name) and users (same username) are skipped.
"""

from django.core.management.base import BaseCommand, CommandError

from projects.demo import DEMO_PASSWORD, DemoBuilder, ReferenceDataMissing, user_rows


class Command(BaseCommand):
    help = "载入演示项目（含完整节点历史、月度进展、诉求）和各角色演示账号。须先 loaddata reference。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"新建演示账号的密码（默认 {DEMO_PASSWORD}，仅用于演示）。",
        )

    def handle(self, *args, password, **options):
        builder = DemoBuilder(password=password)
        try:
            report = builder.build_all()
        except ReferenceDataMissing as error:
            raise CommandError(str(error)) from None

        for name in report.projects_skipped:
            self.stdout.write(f"已存在，跳过项目：{name}")
        for username in report.users_skipped:
            self.stdout.write(f"已存在，跳过账号：{username}")
        self.stdout.write(
            self.style.SUCCESS(
                f"新建项目 {len(report.projects_created)} 个（节点 {report.events} 条、月度进展 "
                f"{report.progress} 条、诉求 {report.requests} 条），跳过 {len(report.projects_skipped)} 个；"
                f"新建账号 {len(report.users_created)} 个，跳过 {len(report.users_skipped)} 个。"
            )
        )
        self._print_users()
        if report.users_created:
            self.stdout.write(f"新建账号的密码：{password}")
        self.stdout.write(
            self.style.WARNING(
                f"演示账号的默认密码为 {DEMO_PASSWORD}，仅用于演示；正式环境请删除这些账号或修改密码。"
            )
        )

    def _print_users(self):
        rows = user_rows()
        headers = {"username": "用户名", "role": "角色", "scope": "范围", "admin": "可进后台"}
        widths = {
            key: max(_width(headers[key]), *(_width(row[key]) for row in rows))
            if rows
            else _width(headers[key])
            for key in headers
        }
        line = "  ".join(_pad(headers[key], widths[key]) for key in headers)
        self.stdout.write("")
        self.stdout.write(line)
        self.stdout.write("  ".join("-" * widths[key] for key in headers))
        for row in rows:
            self.stdout.write("  ".join(_pad(row[key], widths[key]) for key in headers))
        self.stdout.write("")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
