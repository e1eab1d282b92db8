"""Settings for the Partnership Program Tracker, read from the environment.

With no environment at all the project runs for local development: DEBUG on, a throwaway
secret key, SQLite in the project folder, hosts limited to localhost. Production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL; without a secret key
it refuses to start rather than run with a known one.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from programs.serving.cache import redis_cache

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not 0 < seconds < 86_400:
        raise ImproperlyConfigured(f"{name} must be a number of seconds above 0, not {value!r}.")
    return seconds


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "programs.curation.apps.CurationAdminConfig",  # django.contrib.admin with the curation site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so that runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    "corsheaders",
    "programs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS headers for the reconciliation service only (CORS_URLS_REGEX), on every answer, refusals included.
    "corsheaders.middleware.CorsMiddleware",
    # Header-only middleware first, so that every response carries the headers, refusals included.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "programs.serving.security.RequestSizeLimitMiddleware",
    # The API's ETag, 304 and Cache-Control: after the size check, around everything that renders.
    "programs.api.middleware.ApiConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which database the request reads (the primary, or a replica for public reads): before anything reads.
    "programs.serving.routing.ReadRoutingMiddleware",
    "programs.serving.middleware.PageCacheMiddleware",
    "programs.serving.middleware.DatabaseUnavailableMiddleware",
    # The view in a transaction whose statements are bounded (PostgreSQL): inside the page cache, so
    # that a page served from it opens none.
    "programs.serving.timeouts.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API's language from Accept-Language (it has no language prefix to read).
    "programs.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
                "programs.site.context_processors.languages",
                "programs.site.context_processors.year_bounds",
            ],
            # The site's template tags live beside its views (programs/site/templatetags/).
            "libraries": {
                "opendata": "programs.site.templatetags.opendata",
                "partnerships": "programs.site.templatetags.partnerships",
                "suggestions": "programs.site.templatetags.suggestions",
            },
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database,
# e.g. postgres://user:password@127.0.0.1:5432/tracker (psycopg 3).
# Persistent connections: opening a PostgreSQL connection costs several milliseconds a request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# No request waits longer than this for a PostgreSQL server that is gone (libpq counts whole
# seconds, 2 at least); its pages are then served from their stale copies, or a 503.
DATABASE_CONNECT_TIMEOUT = max(env_int("DJANGO_DB_CONNECT_TIMEOUT", 2), 2)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
    }
# The read model's models are derived data: never migrated, dumped or loaded (programs/models/routers.py).
DATABASE_ROUTERS = ["programs.models.routers.ReadModelRouter"]
# dumpdata's JSON keeps every moment to the microsecond, as the database does (Django's writes milliseconds).
SERIALIZATION_MODULES = {"json": "programs.models.dumps"}


# A read replica (programs/serving/routing.py): public reads go there while it keeps up, the rest to the
# primary. PostgreSQL streaming replication only; a short connect timeout, so that a replica that
# is gone costs little before reads fall back.
def replica_database(url: str) -> dict:
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL to name a PostgreSQL primary.")
    try:
        replica = dj_database_url.parse(url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600), conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a database address: {error}") from None
    if not replica["ENGINE"].endswith("postgresql") or not replica.get("HOST") or not replica.get("NAME"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name a PostgreSQL server and database (postgres://…).")
    return {**replica, "OPTIONS": {"connect_timeout": DATABASE_CONNECT_TIMEOUT}, "TEST": {"MIRROR": "default"}}


if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = replica_database(os.environ["DATABASE_REPLICA_URL"])
    DATABASE_ROUTERS.append("programs.serving.routing.ReplicaRouter")
# The replica serves reads while it has everything the primary had this many seconds ago...
REPLICA_MAX_LAG_SECONDS = env_seconds("DJANGO_REPLICA_MAX_LAG_SECONDS", 5)
# ...which each process checks at most this often (and stops using a failed replica this long).
REPLICA_CHECK_SECONDS = env_seconds("DJANGO_REPLICA_CHECK_SECONDS", 1)

# Statement timeouts (programs/serving/timeouts.py, PostgreSQL): a public request's statements, so
# that no query holds a worker for long; a curator's and the exports' rows, under a longer bound.
# Both stay well below the app server's worker timeout (scripts/cluster: gunicorn's --timeout).
STATEMENT_TIMEOUT_SECONDS = env_seconds("DJANGO_STATEMENT_TIMEOUT_SECONDS", 2)
LONG_STATEMENT_TIMEOUT_SECONDS = env_seconds("DJANGO_LONG_STATEMENT_TIMEOUT_SECONDS", 30)

# Whole pages and API answers are cached keyed on the data version (programs.serving.caching), so nothing
# cached is stale; DJANGO_APP_CACHES=0 switches both off (every answer computed from the read
# model), for benchmarks. By default each process keeps its own in memory (sized for many pages);
# REDIS_URL (or CACHE_URL) shares one Redis between every process and server, API rate limits
# included (programs/serving/cache.py: a Redis that fails or answers slowly means uncached pages, not errors).
APP_CACHES = env_bool("DJANGO_APP_CACHES", True)
# While the database cannot answer, every public page and API answer given in this many seconds is
# served from its stale copy in the cache (programs/serving/stale.py); 0 keeps none.
STALE_SECONDS = env_int("DJANGO_STALE_SECONDS", 86_400)
if STALE_SECONDS < 0:
    raise ImproperlyConfigured(f"DJANGO_STALE_SECONDS must be 0 or more, not {STALE_SECONDS}.")
CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": redis_cache(
            CACHE_URL,
            variable="REDIS_URL" if os.environ.get("REDIS_URL") else "CACHE_URL",
            socket_timeout=env_seconds("DJANGO_CACHE_SOCKET_TIMEOUT", 0.25),
        )
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 20_000)},
        }
    }
del CACHE_URL  # it may hold the password: not a setting for error pages to list

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses to authenticate a locked-out username and address (see below).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Simplified Chinese first; English is the second language of every page and record.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # Development serves files straight from the app folders; no collectstatic needed.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Security: strict by default outside DEBUG. SECURE_SSL_REDIRECT can be turned off where TLS ends
# in front of the app and the proxy does not send X-Forwarded-Proto (e.g. a loopback benchmark).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp), in every mode so that development shows what production
# blocks: the site's own scripts, styles, images and fonts only, nothing inline, no frames.
# Django's admin needs nothing more (tests/serving/test_security.py scans its pages for inline code; the
# one inline <style> it can write appears only with both actions_on_top and _bottom off).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

# Admin sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts for one username
# from one address, that pair is refused for AXES_COOLOFF_TIME (each new try restarts it); other
# users and other addresses are unaffected. Attempts are kept in the database, so every app server
# sees the same count without a shared cache. Locked-out pairs are listed, and can be cleared, in
# the admin (Axes, Access attempts) or with `manage.py axes_reset`.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "programs.serving.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "programs.serving.security.client_ip"
# How many reverse proxies that append to X-Forwarded-For stand in front of the app (0: none, and
# REMOTE_ADDR is the client). Behind one load balancer or nginx, set 1: otherwise every visitor
# shares the proxy's address in the throttle's count.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Request sizes, chosen rather than left at Django's defaults:
# - form fields: the largest admin form (a programme with a few hundred people inline, eight
#   fields a row) stays far below 1 MB but can pass Django's default of 1,000 fields;
# - uploads are fixture files (docs/fixtures.md), YAML of a few hundred KB: an upload view refuses
#   a file over FIXTURE_UPLOAD_MAX_BYTES (programs.models.validators.validate_fixture_upload), which is
#   small enough to be held in memory rather than spooled to disk;
# - REQUEST_MAX_BYTES caps a whole request body, files included, before Django reads any of it
#   (programs.serving.security.RequestSizeLimitMiddleware): several files in one upload share it.
FIXTURE_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = FIXTURE_UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
REQUEST_MAX_BYTES = FIXTURE_UPLOAD_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE

# The public REST API (/api/, programs/api/): read-only JSON, no sign-in, rate-limited per client
# address in the default cache (one count per process with the default local-memory cache, one
# for every server with REDIS_URL; while Redis is unreachable, nothing is counted).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["programs.api.filtering.FilterSetBackend"],
    "DEFAULT_PAGINATION_CLASS": "programs.api.pagination.ApiPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "programs.api.throttling.AnonThrottle",
        "programs.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_ANON_RATE") or "6000/hour",
        "user": os.environ.get("DJANGO_API_USER_RATE") or "20000/hour",
    },
    "DEFAULT_SCHEMA_CLASS": "programs.api.schema.PublicApiSchema",
    "EXCEPTION_HANDLER": "programs.api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
}
# The reconciliation service (/reconcile/, programs.reconcile): readable from any origin, as the
# W3C specification requires, and throttled per client address like the API (`reconcile` rate:
# each batch of up to 100 names is one request).
CORS_URLS_REGEX = r"^/reconcile/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "OPTIONS", "POST")
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["reconcile"] = os.environ.get("DJANGO_RECONCILE_RATE") or "600/minute"

# How long clients and shared caches may keep an API response (Cache-Control: public, max-age).
API_CACHE_SECONDS = env_int("DJANGO_API_CACHE_SECONDS", 60)

SPECTACULAR_SETTINGS = {
    "TITLE": "Partnership Program Tracker API",
    "DESCRIPTION": (
        "Read-only JSON API of the Partnership Program Tracker: academia-industry programmes, the "
        "organizations and people in them, their editions and projects, research areas, and the "
        "sources every fact comes from. Published records only. Names come in Chinese (`name`) and "
        "English (`name_en`, blank when the source gives none)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": False,
    # One named enum per choice set (several fields are called `kind` or `role`).
    "ENUM_NAME_OVERRIDES": {
        "ProgramKindEnum": "programs.models.ProgramKind",
        "OrganizationKindEnum": "programs.models.OrganizationKind",
        "ParticipationRoleEnum": "programs.models.ParticipationRole",
        "InvolvementRoleEnum": "programs.models.InvolvementRole",
        "MemberRoleEnum": "programs.models.MemberRole",
        "LifecycleEnum": "programs.models.Lifecycle",
        "AmountBasisEnum": "programs.models.AmountBasis",
        "QualifierEnum": "programs.models.Qualifier",
        "SourceLanguageEnum": "programs.models.SourceLanguage",
        "CitedRecordTypeEnum": "programs.api.serializers.CITED_TYPES",
    },
    "DISABLE_ERRORS_AND_WARNINGS": False,
}

# Suggestions from the public (programs.models.suggestions): how many each client address may send,
# and all of them together, per period (DRF's N/second|minute|hour|day), counted in the default
# cache (programs.serving.rate_limits); and how soon after opening the form a person can send it.
SUGGESTION_RATE = os.environ.get("DJANGO_SUGGESTION_RATE") or "5/hour"
SUGGESTION_GLOBAL_RATE = os.environ.get("DJANGO_SUGGESTION_GLOBAL_RATE") or "200/hour"
SUGGESTION_MIN_FILL_SECONDS = env_int("DJANGO_SUGGESTION_MIN_FILL_SECONDS", 3)
# Where the curators' digest links to (the commands have no request to read the host from).
SITE_URL = (os.environ.get("DJANGO_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# E-mail: news of a suggestion's outcome to its proposer, the curators' digest. Printed on the
# console unless DJANGO_EMAIL_BACKEND names another backend (smtp: the DJANGO_EMAIL_* below).
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL") or "tracker@localhost"

# Open data: the folder whose data releases (`manage.py export_release`) /data/ lists and serves,
# and the licence every release and the /data/ page state.
DATA_RELEASES_DIR = Path(os.environ.get("DJANGO_DATA_RELEASES_DIR") or BASE_DIR / "releases")
DATA_LICENSE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "programs.serving.log.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A scanner's foreign Host header is answered 400 and logged in one line, not with a traceback.
    "loggers": {"django.security.DisallowedHost": {"filters": ["without_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

COUNTRIES_FIRST = ["CN", "HK", "MO", "TW", "US", "GB", "SG"]
