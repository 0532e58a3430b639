"""Django settings for Regie.

Every value that differs between environments comes from an environment variable declared
with its help text in :mod:`regie.conf.env` (see docs/configuration.md). The defaults give a
local, single-process installation on an embedded SQLite database (``make demo``); setting
``REGIE_PRODUCTION=true`` switches on everything ``check --deploy`` asks for.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from regie.conf.env import ConfigurationError, env

PACKAGE_DIR = Path(__file__).resolve().parent

PRODUCTION = env(
    "REGIE_PRODUCTION",
    False,
    kind="bool",
    help="Production mode: requires SECRET_KEY and ALLOWED_HOSTS, forces HTTPS, secure cookies and HSTS.",
)
DATA_DIR = Path(
    env(
        "REGIE_DATA_DIR",
        "var",
        help="Directory for the embedded SQLite database and uploaded files (relative to the working directory).",
    )
).resolve()

DEBUG = env("DEBUG", False, kind="bool", help="Django debug mode. Never in production.")
if PRODUCTION and DEBUG:
    raise ConfigurationError("DEBUG must be off when REGIE_PRODUCTION is on")

_DEV_SECRET = "regie-development-only-secret-key-not-for-production-use-0123456789"  # noqa: S105 — never in production: REGIE_PRODUCTION requires SECRET_KEY (below)
# The documented defaults do not depend on the mode, so docs/configuration.md is the same everywhere.
SECRET_KEY = env(
    "SECRET_KEY",
    None,
    help="Django secret key (at least 50 random characters). Required in production; "
    "outside production a fixed development key is used.",
) or (None if PRODUCTION else _DEV_SECRET)
if not SECRET_KEY:
    raise ConfigurationError("SECRET_KEY is required when REGIE_PRODUCTION is on")

ALLOWED_HOSTS = env(
    "ALLOWED_HOSTS",
    None,
    kind="list",
    help="Comma separated host names this installation answers to. Required in production; "
    "outside production `127.0.0.1,localhost,testserver`.",
) or (None if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS is required when REGIE_PRODUCTION is on")
CSRF_TRUSTED_ORIGINS = env(
    "CSRF_TRUSTED_ORIGINS",
    [],
    kind="list",
    help="Comma separated origins (https://host) trusted for CSRF behind a proxy.",
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    # the security frame: imported by all, imports none of the domain apps
    "regie.organisations",
    "regie.accounts",
    "regie.audit",
    # the rooms of the flow
    "regie.areas",
    "regie.subjects",
    "regie.intake",
    "regie.partners",
    "regie.meetings",
    "regie.cases",
    "regie.measures",
    "regie.bibob",
    "regie.controls",
    "regie.network",
    "regie.plans",
    "regie.reports",
    "regie.resilience",
    # shell, API and demo data
    "regie.web",
    "regie.api",
    "regie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "regie.accounts.middleware.SecondFactorMiddleware",
    "regie.organisations.middleware.AccessContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regie.urls"
WSGI_APPLICATION = "regie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regie.web.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env(
            "DATABASE_URL",
            None,
            help="Database URL, e.g. postgres://user:pass@host:5432/regie. "
            "Defaults to the embedded SQLite file `regie.sqlite3` in REGIE_DATA_DIR.",
        )
        or f"sqlite:///{DATA_DIR / 'regie.sqlite3'}",
        conn_max_age=env(
            "DATABASE_CONN_MAX_AGE",
            0,
            kind="int",
            help="Seconds a database connection is kept open for the next request of the same worker thread "
            "(0: a new connection per request). On PostgreSQL 60 saves the connection set-up on every "
            "request (see docs/benchmarks.md); the server then needs one connection per worker thread. "
            "A kept connection is checked before it is used again.",
        ),
        conn_health_checks=True,  # only acts on a kept connection: a restarted database costs no failed request
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the development server and a management command work side by side.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # writers queue instead of failing on a stale snapshot (the audit chain needs order)
            "transaction_mode": "IMMEDIATE",
        }
    )

# Each request is one transaction: a business write and its audit entry land together or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after a period without activity.
SESSION_COOKIE_AGE = env(
    "REGIE_SESSION_IDLE_SECONDS", 900, kind="int", help="Seconds of inactivity after which a session expires."
)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lock-out after repeated failures (django-axes); the TOTP device throttles wrong codes too.
AXES_FAILURE_LIMIT = env("REGIE_LOGIN_FAILURE_LIMIT", 5, kind="int", help="Failed logins before an account is locked.")
AXES_COOLOFF_TIME = timedelta(
    minutes=env("REGIE_LOGIN_LOCKOUT_MINUTES", 15, kind="int", help="Minutes an account stays locked after too many failures.")
)
# lock an account after repeated failures, and an address that tries many accounts
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
REGIE_PROXY_COUNT = env(
    "REGIE_PROXY_COUNT",
    0,
    kind="int",
    help="Number of trusted reverse proxies in front of Regie that append to X-Forwarded-For. "
    "0 means clients connect directly and REMOTE_ADDR is the client address.",
)
if REGIE_PROXY_COUNT > 0:
    AXES_IPWARE_PROXY_COUNT = REGIE_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
OTP_TOTP_ISSUER = "Regie"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from the finders here
MEDIA_ROOT = DATA_DIR / "media"

# Security headers. In production every request is HTTPS-only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# declared outside the branch so docs/configuration.md lists them whatever the mode
_SSL_REDIRECT = env("REGIE_SSL_REDIRECT", True, kind="bool", help="Redirect HTTP to HTTPS (production).")
_HSTS_SECONDS = env("REGIE_HSTS_SECONDS", 31536000, kind="int", help="HSTS max-age in seconds (production).")
if PRODUCTION:
    SECURE_SSL_REDIRECT = _SSL_REDIRECT
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_NAME = "__Host-regie-session"
    CSRF_COOKIE_NAME = "__Host-regie-csrf"

# Background tiles of the area map (issue 10): PDOK's BRT-Achtergrondkaart; empty = no tiles.
REGIE_MAP_TILE_URL = env(
    "REGIE_MAP_TILE_URL",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
    help="Tile URL template ({z}/{x}/{y}) of the area map's background, in Web Mercator. Default the "
    "government's BRT-Achtergrondkaart (PDOK); empty for a map without tiles (tests). Its host is added "
    "to the Content-Security-Policy's img-src.",
)
_MAP_TILE_ORIGIN = "/".join(REGIE_MAP_TILE_URL.split("/")[:3]) if REGIE_MAP_TILE_URL.startswith("https://") else ""

# Strict Content-Security-Policy: no inline script, no inline style, nothing from elsewhere
# (except the map's tile host for images).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_MAP_TILE_ORIGIN] if _MAP_TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "regie.accounts.authentication.ApiTokenAuthentication",
        "regie.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["regie.api.permissions.IsVerifiedUser"],
    # JSON only: the browsable renderer queries after the access context has ended
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "regie.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regie API",
    "DESCRIPTION": "API of Regie. Every operation is scoped to the caller's organisation, "
    "checked for need-to-know and written to the audit log.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # one name per choice set that appears under several field names
    "ENUM_NAME_OVERRIDES": {
        "HardnessEnum": "regie.intake.models.Signal.Hardness",
        "SeverityEnum": "regie.intake.models.Signal.Severity",
    },
    # the default enum hook, then the 400/401/403/404/409/415 answers every operation can give
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "regie.api.schema.add_error_responses",
    ],
}

# Optional single sign-on with OpenID Connect (mozilla-django-oidc), on when a client id is set.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", None, help="OIDC client id; setting it switches single sign-on on.")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
# read whether or not SSO is on, so docs/configuration.md lists every variable
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "", help="OIDC client secret.")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", "", help="OIDC provider authorization endpoint URL.")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", "", help="OIDC provider token endpoint URL.")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", "", help="OIDC provider userinfo endpoint URL.")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", "", help="OIDC provider JWKS endpoint URL.")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256", help="Signing algorithm of the provider's ID tokens.")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False  # accounts are provisioned in Regie (organisation and role)
OIDC_TRUST_PROVIDER_MFA = env(
    "OIDC_TRUST_PROVIDER_MFA",
    False,
    kind="bool",
    help="Treat an OIDC login as second-factor verified (only when the provider enforces MFA).",
)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("regie.accounts.oidc.RegieOIDCBackend")
    LOGIN_REDIRECT_URL_FAILURE = "/inloggen/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING", help="Root log level.")},
}

# Regie's own knobs
REGIE_AUDIT_KEY = env(
    "REGIE_AUDIT_KEY",
    None,
    help="Key of the HMAC that chains the audit log. Defaults to one derived from SECRET_KEY; keep it stable.",
)
REGIE_PURPOSE_VALID_HOURS = env(
    "REGIE_PURPOSE_VALID_HOURS",
    8,
    kind="int",
    help="Hours a stated purpose for opening a record you are not assigned to stays valid.",
)

# The cache holds short-lived counters only (rate limits of the public form), never personal data.
_CACHE_DIR = env(
    "REGIE_CACHE_DIR",
    "",
    help="Directory for a file-based cache shared by all worker processes (rate limits of the public "
    "form). Empty: an in-memory cache per process, enough for the single-process default.",
)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _CACHE_DIR}
        if _CACHE_DIR
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "regie"}
    )
}

# Intake: the public form for residents, uploaded photos and the retention of signals.
REGIE_PUBLIC_RATE_LIMIT = env(
    "REGIE_PUBLIC_RATE_LIMIT",
    5,
    kind="int",
    help="Submissions (and, separately, status look-ups) one client may make on the public form per window.",
)
REGIE_PUBLIC_RATE_WINDOW_SECONDS = 60 * env(
    "REGIE_PUBLIC_RATE_WINDOW_MINUTES",
    10,
    kind="int",
    help="Length in minutes of the rate-limit window of the public form and status page.",
)
REGIE_UPLOAD_MAX_BYTES = 1024 * 1024 * env(
    "REGIE_UPLOAD_MAX_MB",
    10,
    kind="int",
    help="Largest photo (JPEG or PNG) accepted with a signal, in megabytes.",
)
REGIE_SIGNAL_RETENTION_DAYS = env(
    "REGIE_SIGNAL_RETENTION_DAYS",
    365,
    kind="int",
    help="Days after closing that a signal which led to nothing (closed, or forwarded as not "
    "ondermijning) is deleted by `regie intake-retention`.",
)
