"""Django settings, read from the environment with strict helpers.

Production (DEBUG off, the default) needs SECRET_KEY and ALLOWED_HOSTS, and starts only with
them; it then sends secure cookies, HSTS and a redirect to HTTPS, so that `tegoed check
--deploy --fail-level WARNING` finds nothing. A developer's machine sets DEBUG=true (as `make
demo` does) and gets the public development key and plain HTTP. Business parameters (rates,
dunning policies) are data in the database, not settings.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TEGOED_VAR_DIR", PACKAGE_DIR.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd credentials)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set; only with DEBUG=true, on a "
            "developer's machine, does Tegoed start with its public development key"
        )
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS in production: secure cookies, HSTS and the redirect. Behind a proxy that ends TLS,
# SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https" names the header it sets (only a proxy
# that always sets or strips that header may be trusted with it).
HTTPS = env_bool("TEGOED_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# The health check is asked over plain HTTP from inside the machine or container.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", ""):
    header, _colon, value = proxy_header.partition(":")
    if not header.strip() or not value.strip():
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must read like 'X-Forwarded-Proto: https', "
            f"not {proxy_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + header.strip().upper().replace("-", "_"), value.strip())

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "tegoed.accounts",
    "tegoed.audit",
    "tegoed.customers",
    "tegoed.invoices",
    "tegoed.banking",
    "tegoed.demo",
    "tegoed.documents",
    "tegoed.reports",
    "tegoed.rates",
    "tegoed.operations",
    "axes",
    "tegoed.dunning",
    "tegoed.claims",
    "tegoed.arrangements",
    "tegoed.collections",
    "django_tasks",
    "django_tasks_db",
    "anymail",
]

MIDDLEWARE = [
    "tegoed.common.health.answer_health_check",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tegoed.accounts.current.CurrentOrganizationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the session, user and organization, so that the refusal shows in the layout; before
    # anything reads the body (CSRF reads it in process_view, which comes after all of these).
    "tegoed.common.uploads.limit_request_size",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every response: scripts, styles and images from Tegoed itself
# only. The pages have no inline script or style; htmx is told not to inject its indicator
# style nor evaluate code (base.html); charts are inline SVG, which CSP does not restrict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in throttling (django-axes): after TEGOED_LOGIN_ATTEMPTS wrong passwords the user name
# and the address are each locked for TEGOED_LOGIN_LOCK_MINUTES; an owner sees and lifts the
# locks of the organization's members (accounts/locks.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("TEGOED_LOGIN_ATTEMPTS", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("TEGOED_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tegoed.accounts.views.locked_out"
AXES_VERBOSE = False
# Behind a proxy the client's address is the last one the proxy added to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env_int("TEGOED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

ROOT_URLCONF = "tegoed.urls"
WSGI_APPLICATION = "tegoed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tegoed.accounts.current.organization_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tegoed.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the daily run writes; IMMEDIATE takes the write lock at the
    # start of a transaction so two writers queue instead of failing halfway. A writer waits up
    # to TEGOED_SQLITE_BUSY_SECONDS for the lock: longer than the largest import holds it, so
    # the pages' writes queue behind an import instead of failing (docs/decisions/0600).
    busy_milliseconds = env_int("TEGOED_SQLITE_BUSY_SECONDS", 120) * 1000
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            f" PRAGMA busy_timeout={busy_milliseconds};"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": busy_milliseconds / 1000,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("TEGOED_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# WhiteNoise serves the static files in production, compressed; from the apps' folders too, so
# an install that did not run collectstatic still shows its pages.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

# Uploads (statements, CSV, UBL, logos) larger than this are refused before they are read
# (tegoed/common/uploads.py); Django's own limit covers the non-file fields of a form.
TEGOED_MAX_UPLOAD_BYTES = env_int("TEGOED_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# One statement file's entries: the import's memory grows with them (about 4 KiB each, measured
# in bench/hardening.py), so this bounds one import to about 900 MiB.
TEGOED_MAX_STATEMENT_ENTRIES = env_int("TEGOED_MAX_STATEMENT_ENTRIES", 200_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tegoed@localhost")
# An e-mail service provider instead of SMTP: its django-anymail backend, e.g.
# EMAIL_BACKEND=anymail.backends.postmark.EmailBackend, and its settings as ANYMAIL_<NAME>
# (ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET, …).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}

# Background work: Django's Tasks API (the django-tasks backport) on the install's own
# database; `tegoed db_worker` runs the workers (docs/decisions/0500).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Logs go to standard error, one JSON object a line in production (tegoed/common/logs.py),
# for journald, Docker or any collector; plain text on a developer's machine.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "tegoed.common.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Every request is a line of gunicorn's access log already; Django adds one per error.
        "django.request": {"level": "ERROR"},
        # django-axes says every reset at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}
