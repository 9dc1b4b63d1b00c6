"""Settings for the investment-project lifecycle tracker.

Everything that differs between machines comes from the environment; see README.md.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from config.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# The fallback key is only for a first local run; production sets SECRET_KEY. Its prefix makes
# `manage.py check --deploy` warn (security.W009) wherever it is still in use.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-local-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.admin_site.TrackerAdminConfig",  # django.contrib.admin, for administrators and managers
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "core",
    "accounts",
    "changes",
    "projects",
    "pipeline",
    "exits",
    "supervision",
    "monthend",
    "imports",
    "api",
    "webhooks",
    "demo",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseUnlessChosen",  # pages ignore the browser's language; the switch decides
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.ApiSlashOptional",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "api.throttling.RateLimitHeaders",
    "api.idempotency.IdempotencyMiddleware",
    "changes.middleware.ChannelMiddleware",
    "config.middleware.AdminQueryGuard",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into config.lockout's response
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# SQLite file by default (first run, demos); PostgreSQL in production and CI.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT spent up to seconds compiling the ledger and list queries (many cheap
    # index look-ups inflate their cost estimates) to save milliseconds (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a busy writer instead of failing at once; serialise writers up front.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Seconds any one SQL statement of a web request may run on PostgreSQL (config/web_limits.py);
# below gunicorn's 30 s worker timeout. 0 turns the limit off.
STATEMENT_TIMEOUT = env_int("STATEMENT_TIMEOUT", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A second connection to the same database whose writes commit at once: an import's
    # progress bar, written while the import's own transaction is still open (imports.progress).
    DATABASES["autocommit"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection (django-axes, accounts/signin.py): the axes backend refuses a locked-out
# account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "accounts.signin.LockoutBackend",
    "accounts.signin.AccountBackend",  # ModelBackend; system accounts use their token only
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = "accounts.signin.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# dumpdata/loaddata keep timestamps to the microsecond (Django's JSON cuts them to milliseconds).
SERIALIZATION_MODULES = {"json": "core.serializers"}

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The stale rule: a project negotiating/approved, or signed but not started, for longer
# than this many months is overdue (谈而未定、定而未落).
STALE_MONTHS = env_int("STALE_MONTHS", 3)
# Minutes an import may stay `running` with no progress before it is taken for dead (its worker
# stopped mid-commit: nothing was written) and marked failed, to be committed again.
IMPORT_STALL_MINUTES = env_int("IMPORT_STALL_MINUTES", 15)
# 投而未达: a project producing for longer than this many months without reaching capacity is
# screened at the month end with the overdue ones (exits.screening).
UNDERPERFORM_MONTHS = env_int("UNDERPERFORM_MONTHS", 24)

# Webhook deliveries (webhooks/dispatch.py): seconds to wait for a receiver; the backoff after
# the n-th failed attempt (base × 2^(n−1), at most the max delay); how long a delivery is
# retried before its subscription is disabled and its owner told (at least 24 hours).
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
WEBHOOK_RETRY_BASE = env_int("WEBHOOK_RETRY_BASE", 10)
WEBHOOK_RETRY_MAX_DELAY = env_int("WEBHOOK_RETRY_MAX_DELAY", 4 * 3600)
WEBHOOK_RETRY_FOR = env_int("WEBHOOK_RETRY_FOR", 24 * 3600)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api.authentication.TokenAuthentication",  # counts failed tokens (accounts/signin.py)
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only (a view taking a file upload declares MultiPartParser itself); the parser refuses
    # bodies nested too deep (a RecursionError was a 500).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.StrictContentNegotiation",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # OPTIONS never a 500 (api.metadata.ApiMetadata).
    "DEFAULT_METADATA_CLASS": "api.metadata.ApiMetadata",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
    ],
    # A nightly full pull by an integrating system must not be throttled by default.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("THROTTLE_ANON", "60/minute"),
        "user": env_rate("THROTTLE_USER", "100000/hour"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",  # 0284-11-08, not strftime's 284-11-08
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    # ASCII: a generated client's package is named after the title (api.openapi).
    "TITLE": "Investment Project Tracker API",
    "DESCRIPTION": "招商引资项目全生命周期管理系统对外接口（v1）。金额单位：万元。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Operation ids without the version: `projects_list`, `projects_events_create`.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Choice sets named by their values (api.openapi.stable_enum_ids), the same in every language.
    "ENUM_NAME_OVERRIDES": {
        "ReviewDecisionEnum": ["approved", "rejected", "voided"],
        "ReviewInputDecisionEnum": ["approved", "rejected"],
        "ExitChoiceEnum": ["exit", "keep"],
        "ExitReasonEnum": [
            "long_unstarted",
            "below_expectation",
            "investor_withdrew",
            "negotiation_failed",
            "policy",
            "other",
        ],
        "ReminderKindEnum": ["notice", "urging"],
        "MeetingKindEnum": ["weekly", "monthly", "on_site", "joint", "topic"],
        "SourceEnum": ["exhibition", "town_lead", "by_business", "fund", "scenario", "direct", "other"],
        "TaskStatusEnum": ["open", "reported", "closed"],
        "TaskSourceEnum": ["request", "meeting", "letter", "manager"],
    },
    "POSTPROCESSING_HOOKS": [
        "api.openapi.stable_enum_ids",
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.decimal_inputs_take_numbers",
        "api.openapi.for_generated_clients",
    ],
}

# Background work (large imports, webhook deliveries, reports) runs on Django's task framework
# through the django-tasks backport, queued in the database and worked by `manage.py db_worker`
# (`make run` starts one; on PostgreSQL run as many as needed, each job goes to one of them).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# The cache holds the API's throttle counters. It lives in the database so that every app
# process counts the same caller alike (no state in process memory between requests); the
# table is created by a migration (api/migrations/0001_cache_table.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_CONTENT_TYPE_NOSNIFF = True

# HTTPS=true (the site is served over HTTPS): plain HTTP is redirected, browsers are told to
# use HTTPS only for a year (HSTS, with subdomains, preloadable: HSTS_SECONDS,
# HSTS_INCLUDE_SUBDOMAINS, HSTS_PRELOAD), and the session and CSRF cookies go over HTTPS only.
HTTPS = env_bool("HTTPS", default=False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# BEHIND_PROXY=true: a reverse proxy terminates TLS and says so in X-Forwarded-Proto (it must
# set or strip that header itself, or a client could claim HTTPS).
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): the pages load nothing from elsewhere and run no inline
# script or style, so everything comes from this site only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
