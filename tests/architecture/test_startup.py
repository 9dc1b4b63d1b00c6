"""What every web process and worker pays at start-up: matplotlib is imported when the first
report chart is drawn, not when Django loads the URLs (135 MB → 109 MB peak RSS and 0.2 s a
process; the import's peak memory budget counts it, issue 10). numpy itself still loads:
openpyxl imports it whenever it is installed."""

import subprocess
import sys

HEAVY = ("matplotlib",)


def test_django_starts_without_the_chart_libraries():
    script = (
        "import os, sys, django;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "django.setup();"
        "import config.urls;"
        f"print(','.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "", f"imported at start-up: {loaded.stdout.strip()}"
