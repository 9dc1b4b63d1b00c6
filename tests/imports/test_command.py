"""manage.py import_ledger FILE --district CODE [--commit]: the same report, printed."""

import pytest
from django.core.management import call_command

from projects.models import Project
from tests.imports.test_commit import HEADER, march_file, march_rows
from tests.imports.workbooks import one_sheet

pytestmark = pytest.mark.django_db


def test_the_command_previews_then_commits(tmp_path, district, refs, importer, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(march_file())
    call_command("import_ledger", str(path), "--district", district.code, "--user", importer.username)
    out = capsys.readouterr().out
    assert "3 rows, 3 created, 0 updated, 0 unchanged, 0 errors" in out and Project.objects.count() == 0
    call_command(
        "import_ledger", str(path), "--district", district.code, "--user", importer.username, "--commit"
    )
    assert Project.objects.count() == 3


def test_the_command_prints_each_error_and_fails(tmp_path, district, refs, importer, capsys):
    rows = march_rows()
    rows[0][6] = "约5亿"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(one_sheet(HEADER, rows))
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import_ledger", str(path), "--district", district.code, "--user", importer.username, "--commit"
        )
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "Sheet!4 error" in out and "total_investment [not_a_number]" in out and "约5亿" in out
    assert Project.objects.count() == 0
