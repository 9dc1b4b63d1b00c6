import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from config.startup import refuse_to_start_without_static_files  # noqa: E402 (needs the settings)
from config.web_limits import limit_statements  # noqa: E402

refuse_to_start_without_static_files()
limit_statements()
