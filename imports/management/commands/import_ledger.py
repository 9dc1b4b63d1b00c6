"""python manage.py import_ledger FILE --district CODE [--commit] [--month YYYY-MM] [--user NAME]

Previews the workbook (writes nothing) and prints the report: the summary, then every row with an
error (every row with -v 2). With --commit a clean file is written; a file with errors is not.
Exits with status 1 when the file has errors."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.dates import parse_month
from core.errors import ServiceError
from imports.models import ImportRun
from imports.services import import_file
from projects.models import District


class Command(BaseCommand):
    help = "Import a 台账 workbook into a district: preview by default, --commit to write."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--district", required=True, help="district code, e.g. jiulongpo")
        parser.add_argument("--commit", action="store_true", help="write the file when it has no error")
        parser.add_argument(
            "--month", help="the month the workbook is for (YYYY-MM); default: from its title"
        )
        parser.add_argument("--user", help="the importing account (default: the first active superuser)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        district = District.objects.filter(code=options["district"]).first()
        if district is None:
            raise CommandError(f"no district with code {options['district']!r}")
        users = get_user_model().objects.filter(is_active=True)
        user = (
            users.filter(username=options["user"]).first()
            if options["user"]
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError("no such active user (give --user)")
        try:
            month = parse_month(options["month"]) if options["month"] else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            run = import_file(
                by=user,
                district=district,
                file_name=path.name,
                content=path.read_bytes(),
                month=month,
                commit=options["commit"],
            )
        except ServiceError as error:
            raise CommandError(str(error)) from None
        self.print_report(run, verbose=options["verbosity"] >= 2)
        if run.status in (ImportRun.Status.REFUSED, ImportRun.Status.FAILED):
            raise SystemExit(1)

    def print_report(self, run, *, verbose: bool) -> None:
        report = run.report
        summary = report["summary"]
        self.stdout.write(
            f"{run.file_name} (sha256 {run.sha256[:12]}…) month {report.get('month') or '-'}: "
            f"{summary['rows']} rows, {summary['created']} created, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['errors']} errors — {run.get_status_display()}"
        )
        for error in report.get("file_errors", []):
            self.stdout.write(f"  file: [{error['code']}] {error['message']}")
        for row in report["rows"]:
            if row["errors"] or verbose:
                self.stdout.write(
                    f"  {row['sheet']}!{row['row']} {row['status']} {row['project'] or ''} {row['name']}"
                )
                for error in row["errors"]:
                    self.stdout.write(f"      {error['field']} [{error['code']}] {error['message']}")
