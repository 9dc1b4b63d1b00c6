import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.startup import refuse_to_start_without_static_files  # noqa: E402 (needs the settings)
from config.web_limits import limit_statements  # noqa: E402

refuse_to_start_without_static_files()
limit_statements()
