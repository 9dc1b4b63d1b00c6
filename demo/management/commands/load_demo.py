"""python manage.py load_demo: the demo projects, their histories and the demo users.

Everything goes through the services (see demo/builder.py). Running it again changes
nothing: existing projects (same district and name) and users (same username) are skipped.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from core.errors import ServiceError
from demo.builder import DemoBuilder, user_rows
from demo.specs import DEMO_PASSWORD, ReferenceDataMissing


class Command(BaseCommand):
    help = "载入演示项目（含完整节点历史、月度进展、诉求）和各角色演示账号。须先 loaddata reference。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"新建演示账号的密码（默认 {DEMO_PASSWORD}，仅用于演示）。",
        )

    def handle(self, *args, password, **options):
        self._check_password(password)
        builder = DemoBuilder(password=password)
        # All or nothing: a refusal half-way leaves the database as it was.
        try:
            with transaction.atomic():
                report = builder.build_all()
        except ReferenceDataMissing as error:
            raise CommandError(str(error)) from None
        except ServiceError as error:
            raise CommandError(
                f"演示数据未能载入，未写入任何数据。原因：{error}"
                "请检查演示账号（如各区的 *-manager）是否被停用或改动。"
            ) from None
        except ValidationError as error:
            raise CommandError(
                f"演示数据未能载入，未写入任何数据。原因：{'；'.join(error.messages)}"
            ) from None
        except DatabaseError as error:
            raise CommandError(
                f"无法写入数据库（{str(error).strip()[:200]}）。请确认 DATABASE_URL，"
                "并先运行 python manage.py migrate 和 python manage.py loaddata reference。"
            ) from None

        for name in report.projects_skipped:
            self.stdout.write(f"已存在，跳过项目：{name}")
        for username in report.users_skipped:
            self.stdout.write(f"已存在，跳过账号：{username}")
        self.stdout.write(
            self.style.SUCCESS(
                f"新建项目 {len(report.projects_created)} 个（节点 {report.events} 条、月度进展 "
                f"{report.progress} 条、诉求 {report.requests} 条），跳过 {len(report.projects_skipped)} 个；"
                f"新建账号 {len(report.users_created)} 个，跳过 {len(report.users_skipped)} 个；"
                f"发布前月台账（含专项报告）{report.published} 个区，上月台账留待发布。"
            )
        )
        if report.supervision:
            counts = report.supervision
            self.stdout.write(
                f"督办：调度会商 {counts['meetings']} 次、督办事项 {counts['tasks']} 项、专班 "
                f"{counts['task_forces']} 个、编号督办函 {counts['letters']} 份。"
            )
        self._print_users()
        if report.users_created:
            self.stdout.write(f"新建账号的密码：{password}")
        self.stdout.write(
            self.style.WARNING(
                f"演示账号的默认密码为 {DEMO_PASSWORD}，仅用于演示；正式环境请删除这些账号或修改密码。"
            )
        )

    def _check_password(self, password: str) -> None:
        if not password or not password.strip():
            raise CommandError("--password 不能为空。")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(f"--password 不符合密码规则：{'；'.join(error.messages)}") from None

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
