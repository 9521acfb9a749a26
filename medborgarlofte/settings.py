"""Settings for Medborgarlöfte, read from the environment (see .env.example).

The defaults run the app locally on SQLite. With DEBUG off (the default) the app
refuses to start without a real SECRET_KEY.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# With DEBUG off there is no default: the app server refuses to start without a
# key (wsgi.py), while commands that need none (makemigrations, check) still run.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS (see README, "Security"). With DEBUG off every request is redirected to
# https and the cookies are sent over https only; `make run` serves http (Makefile).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health check may ask over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a load balancer that terminates TLS: trust its X-Forwarded-Proto header.
# Only when the load balancer sets (overwrites) that header on every request.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client address for login throttling from X-Forwarded-For (the last address,
# the one the load balancer appended); otherwise the address of the connection.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
# From the app's own host name these cover that name's subdomains only; preload
# has an effect only once the domain is submitted to the browsers' preload list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Sessions end after SESSION_IDLE_SECONDS without a request (the cookie's age,
# renewed on every request) and SESSION_ABSOLUTE_SECONDS after the login at the
# latest (accounts.middleware.AbsoluteSessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=8 * 60 * 60)

# Content-Security-Policy on every response (django.middleware.csp). No inline
# scripts or styles: the admin's few inline elements carry the request's nonce.
# The embed page sets its own policy with its own frame-ancestors.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# No page may be shown in a frame, except the progress widget
# (/<kommun>/<år>/inbaddning/): the sites listed here may embed it in an iframe.
# Content-Security-Policy frame-ancestors sources, comma-separated, e.g.
# "'self',https://www.haninge.se" ('self' and 'none' may be written without quotes).
X_FRAME_OPTIONS = "DENY"
EMBED_ALLOWED_ORIGINS = env.list("EMBED_ALLOWED_ORIGINS", default=["'self'"])

INSTALLED_APPS = [
    # django.contrib.admin with the project's admin site (staff/sites.py)
    "staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "accounts.apps.LoginAttemptsConfig",  # axes
    "django_otp",
    "accounts.apps.TwoFactorDevicesConfig",  # django_otp.plugins.otp_totp
    "accounts.apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static
    "accounts.apps.AccountsConfig",
    "staff.apps.StaffConfig",
    "promises",
    "reports",
    "public",
    "incidents",
    # The queue of background tasks (Django's tasks framework), run by db_worker
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so last to see the response: a response with a cookie is never public.
    "accounts.middleware.NoSharedCookiesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, but public pages leave the session alone.
    "accounts.middleware.SessionMiddleware",
    "accounts.middleware.PermissionDeniedLogMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has the session passed the second factor?
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AbsoluteSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.AxesAttemptTimeMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins with the
# same user name from the same address, that pair is locked out for
# AXES_COOLOFF_MINUTES. Unknown user names count like known ones.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# "Glömt lösenordet?": at most this many requests an hour for one e-mail address
# and from one client address (accounts/password_reset.py).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int(
    "PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3
)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=10)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_VERBOSE = False

# Two-factor authentication for staff (django-otp, TOTP): the admin is reachable
# only after a code from an authenticator app (accounts/two_factor.py).
# `make run` turns it off for the demo logins; `check --deploy` fails without it.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Medborgarlöfte"
# Wrong codes are limited by the project's own policy, per user, for app codes and
# recovery codes alike (accounts/two_factor/throttling.py): a few free tries, then a growing wait.
# django-otp's per-device throttling would refuse even the right code for a
# second after a single wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The device admin (superusers only) never shows a device's secret again.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# E-mail: the links with which staff choose their passwords. EMAIL_URL, e.g.
# smtp+tls://user:password@smtp.example.se:587 in production; by default the
# messages are printed on the console (development). django-environ reads the URL;
# Django 6.1 takes it as MAILERS.
_email = env.email_url("EMAIL_URL", default="consolemail://")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[setting]
            for option, setting in [
                ("host", "EMAIL_HOST"),
                ("port", "EMAIL_PORT"),
                ("username", "EMAIL_HOST_USER"),
                ("password", "EMAIL_HOST_PASSWORD"),
                ("use_tls", "EMAIL_USE_TLS"),
                ("use_ssl", "EMAIL_USE_SSL"),
                ("file_path", "EMAIL_FILE_PATH"),
            ]
            if _email.get(setting)
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="medborgarlofte@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long a link to choose a password works (Django's default: three days).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_SECONDS", default=3 * 24 * 60 * 60)

# The accessibility statement (/tillganglighet/): who runs this installation and
# answers for it, besides each municipality's own contact (set in the admin).
ACCESSIBILITY_CONTACT = {
    "organisation": env.str("ACCESSIBILITY_ORGANISATION", default=""),
    "email": env.str("ACCESSIBILITY_EMAIL", default=""),
    "phone": env.str("ACCESSIBILITY_PHONE", default=""),
    "response_days": env.int("ACCESSIBILITY_RESPONSE_DAYS", default=5),
}

ROOT_URLCONF = "medborgarlofte.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "medborgarlofte.wsgi.application"

# SQLite in the project folder unless DATABASE_URL says otherwise,
# e.g. postgres://user:password@host:5432/medborgarlofte
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # libpq waits forever for a server that accepts but does not answer: give up
    # after 5 s, so /healthz answers 503 instead of hanging until gunicorn kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers write at once (admin saves, sessions, the page cache): take the
    # write lock at BEGIN and wait up to 20 s for it, instead of "database is locked"
    # when a reading transaction must become a writer; readers go on during a
    # write (WAL).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)
    options.setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )

# The cache, shared by every app server: public pages and progress are kept here
# (promises/generations.py, public/page_cache.py). CACHE_URL: redis://host:6379/0
# (Redis) or dbcache://table_name (a table in the database; `migrate` creates it).
# locmemcache:// is per process: with several app servers or workers, a change
# would not reach the others' pages until they expire.
# A cache server is wrapped in FailSafeCache (staff/cache.py): when it
# cannot be reached, pages are served uncached, and the log and /healthz say so.


def fail_safe_cache(url: str) -> dict:
    """The cache of the URL, wrapped so that its absence leaves the site up; a
    Redis server that does not answer is given up after a second."""
    inner = environ.Env.cache_url_config(url)
    if "DatabaseCache" in inner["BACKEND"]:
        # Gone only with the database (and createcachetable looks for it).
        return inner
    if "redis" in inner["BACKEND"].lower():
        inner.setdefault("OPTIONS", {}).update(
            socket_connect_timeout=1, socket_timeout=1
        )
    return {
        "BACKEND": "staff.cache.FailSafeCache",
        "OPTIONS": {"CACHE": inner},
    }


CACHES = {
    "default": fail_safe_cache(
        env.str("CACHE_URL", default="dbcache://medborgarlofte_cache")
    )
}
# How long a public page may be kept by browsers and CDNs (Cache-Control max-age),
# before they revalidate it with its ETag.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)
# How long the app keeps a rendered page; any change to the data replaces it sooner.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

# Background tasks (the municipality export) are queued in the database and run
# by `manage.py db_worker` (django-tasks-db), on one host or several.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed file names need `collectstatic` first; the tests and
# `make run` serve the files as they are, from the apps' folders (WhiteNoise's
# finders, as with DEBUG).
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The history of every change is kept; nothing is reverted from the history view.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Logins, failed logins, lockouts and permission denials (accounts/security.py).
    "loggers": {"medborgarlofte.security": {"level": "INFO"}},
}
