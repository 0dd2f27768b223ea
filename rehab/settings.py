"""Settings for the rehab tracker, read from environment variables.

Secure by default: DEBUG is off unless set, and without DEBUG a SECRET_KEY must be given.
README.md lists every variable.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set SECRET_KEY to a long random string "
            "(or DEBUG=true on a development machine)."
        )
    SECRET_KEY = "development-only-insecure-key"  # only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Shown to a patient who reports a danger sign. 112 reaches emergency services across Europe.
EMERGENCY_NUMBER = os.environ.get("EMERGENCY_NUMBER", "112").strip() or "112"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    "django_tasks_db",
    # Two-factor sign-in: authenticator apps (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "tracker.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells whether this sign-in has been verified with a second factor (request.user.is_verified).
    "django_otp.middleware.OTPMiddleware",
    # Then: staff (and patients who set it up) give their code before any page but sign-in's.
    "tracker.accounts.middleware.TwoFactorMiddleware",
    # Right after the user is known: every answer to a signed-in user is kept out of caches.
    "tracker.middleware.NoStoreMiddleware",
    "tracker.middleware.OfflineAppMiddleware",
    "tracker.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tracker.accounts.middleware.ExpiredSignInMiddleware",
    "tracker.accounts.middleware.IdleSessionMiddleware",
    # Last, as axes asks: it turns a sign-in refused during a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Widgets render through the project's templates, so the app can draw its own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "rehab.urls"
WSGI_APPLICATION = "rehab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.site",
                "tracker.views.htmx.context",
            ],
        },
    },
]


_DATABASE_URL_HELP = "set it like postgres://user:password@host:5432/name"
_SUPPORTED_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}


def _without_jit(options: dict) -> dict:
    """PostgreSQL's JIT compiles a plan when its estimated cost is high, which a query over a
    large table reaches even when it reads 25 rows by an index: the compile took over a second
    of a page that needs milliseconds. The app runs no long analytical queries, so it is off."""
    given = options.get("options", "")
    return {**options, "options": f"{given} -c jit=off".strip()}


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        try:
            config = dj_database_url.parse(
                url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
            )
        except ValueError:
            raise ImproperlyConfigured(
                f"DATABASE_URL is not a valid database URL: {_DATABASE_URL_HELP}."
            ) from None
        if config.get("ENGINE") not in _SUPPORTED_ENGINES:
            raise ImproperlyConfigured(
                f"DATABASE_URL must point at PostgreSQL (or SQLite): {_DATABASE_URL_HELP}."
            )
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"DATABASE_URL names no database: {_DATABASE_URL_HELP}.")
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        else:
            config["OPTIONS"] = _without_jit(config.get("OPTIONS", {}))
        return config
    data_dir = BASE_DIR / "var"
    data_dir.mkdir(exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "rehab.sqlite3",
        # A file, not memory, so the browser tests' server threads share it the way a real
        # server's do, with the same locking; one per test run, so runs side by side do not
        # share it.
        "TEST": {"NAME": data_dir / f"test-{os.getpid()}.sqlite3"},
        "OPTIONS": SQLITE_OPTIONS,
    }


# A web server has several threads writing (and the demo a task worker beside them): wait for
# the lock rather than fail, take the write lock at the start of a transaction, and let readers
# run beside a writer. For the embedded default and for a sqlite:// DATABASE_URL alike.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tracker.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses to authenticate while the account is locked out; signs no one in itself.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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
# Uploads (clearance letters) live outside the static files and are served only through
# views that check who may see them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "uploads"))

# E-mail: password resets and alerts to the care team.
# Without EMAIL_HOST, messages are printed to the console.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rehab-tracker@localhost")
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if _EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Background work (django.tasks): e-mail and scheduled checks never run inside a request.
# "database" keeps the queue in the app's own database, run by `manage.py db_worker` beside the
# web server; "immediate" runs each task at once in the process that queued it (tests only).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("TASKS_BACKEND", "database").strip().lower() or "database"
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_task_backend!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# Links in e-mails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
# A danger alert nobody has acknowledged after this many minutes goes to the admins too, and
# to ALERTS_ONCALL_EMAIL if set.
DANGER_ESCALATION_MINUTES = env_int("DANGER_ESCALATION_MINUTES", 15)
ALERTS_ONCALL_EMAIL = os.environ.get("ALERTS_ONCALL_EMAIL", "").strip()
# An e-mail the mail server refused is tried again this many times in all, waiting longer
# each time (1, 2, 4, ... minutes).
MAIL_ATTEMPTS = env_int("MAIL_ATTEMPTS", 5)

# Running a clinic (issue 16). An invitation's link works for this many days.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# Scheduled work, started by `manage.py tick` (cron, every 5 minutes) and run by the worker, at
# these hours of the clinic's time zone: the daily checks, then the daily digest; the weekly
# caseload digest on Mondays at DIGEST_HOUR.
CHECKS_HOUR = env_int("CHECKS_HOUR", 6)
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
# What completing a patient's request to close their account does with their record: "keep"
# ends sign-in and keeps the record for the clinic's retention period; "remove" deletes it.
CLOSED_ACCOUNT_RECORDS = os.environ.get("CLOSED_ACCOUNT_RECORDS", "keep").strip().lower()
if CLOSED_ACCOUNT_RECORDS not in {"keep", "remove"}:
    raise ImproperlyConfigured("CLOSED_ACCOUNT_RECORDS must be keep or remove.")
# The name an authenticator app shows beside the codes.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Rehab tracker")

# A stale form (the token changed since it was shown) gets the app's own page, which keeps a
# danger report one tap from being sent.
CSRF_FAILURE_VIEW = "tracker.views.errors.csrf_failure"

# Sign-in throttling (django-axes): five failed sign-ins for one username from one address lock
# that pair out, so a guesser cannot go on, yet cannot lock the real person out from elsewhere.
# Each refused attempt during a lockout starts the cool-off again (axes' default), so the
# lockout page's "try again in 15 minutes" holds from whenever it is shown.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "tracker.accounts.sign_in.sign_in_username"

# Sessions end after a spell without requests. tracker.access.ROLES names each role's setting;
# tracker.accounts.signals sets the spell at sign-in, and tracker.accounts.middleware's
# IdleSessionMiddleware restarts it as they go on, saving the session at most every quarter of
# the spell rather than on every request. The cookie age is the fallback for any session the
# signal does not set, so it is the shorter one.
SESSION_IDLE_SECONDS_PATIENT = 8 * 60 * 60
SESSION_IDLE_SECONDS_CLINICIAN = 60 * 60  # physiotherapists and admins: many patients' records
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS_CLINICIAN

# Content Security Policy: scripts, styles and images only from the app itself, scripts also by
# the per-response nonce ({% htmx_script %} adds it); nothing inline, nothing eval'd, no plugins,
# no framing. htmx is told not to eval or inject styles in base.html's htmx-config.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    # The installable app (issue 18): its service worker and manifest come from the app itself.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token travels in hx-headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Files from a watch or phone (integrations/activity_files/): the largest one file may be, and
# how many one upload may carry.
IMPORT_FILE_MAX_BYTES = env_int("IMPORT_FILE_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_FILES_AT_ONCE = 10
