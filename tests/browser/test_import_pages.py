"""The 台账 import in a real browser: a preview with errors (highlighted, nothing to commit),
then a clean file committed with the progress bar following the worker until it is done."""

from imports.models import ImportRun
from imports.tasks import commit_import
from projects.models import Project
from tests.browser.conftest import follow, login, screenshot
from tests.imports.conftest import refs  # noqa: F401 (fixture)
from tests.imports.test_commit import HEADER, march_file, march_rows
from tests.imports.workbooks import one_sheet


def test_a_preview_with_errors_then_a_commit(page, live_server, refs, manager, tmp_path):  # noqa: F811
    rows = march_rows()
    rows[0][6] = "约5亿"
    rows[1][4] = "科技委员会"
    rows[2][7] = None
    bad = tmp_path / "九龙坡区台账-有错.xlsx"
    bad.write_bytes(one_sheet(HEADER, rows))
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("#import-file", str(bad))
    follow(page, ".import-form button[type=submit]")
    assert page.locator("tr.import-error").count() == 3
    assert page.get_by_text("“约5亿”").first.is_visible()
    assert page.get_by_text("最接近的有").first.is_visible()
    assert page.locator("text=确认导入").count() == 0
    screenshot(page, "import-preview-errors")

    good = tmp_path / "九龙坡区台账.xlsx"
    good.write_bytes(march_file())
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("#import-file", str(good))
    follow(page, ".import-form button[type=submit]")
    follow(page, "text=确认导入")
    assert page.locator("progress.import-progress").is_visible()
    screenshot(page, "import-progress")
    run = ImportRun.objects.get(status=ImportRun.Status.QUEUED)
    commit_import.call(run.pk, manager.pk)  # the worker's part
    page.wait_for_selector("text=已于", timeout=15_000)  # the page polled and reloaded
    assert Project.objects.count() == 3
    assert page.locator(".badge-ok", has_text="已完成").first.is_visible()
    screenshot(page, "import-done")
