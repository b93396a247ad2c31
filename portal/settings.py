"""One settings file, driven by the environment.

Embedded default (nothing set): SQLite file in the project, Celery tasks run eagerly, the mock
government platform on 127.0.0.1:8001. Production (`DJANGO_ENV=production`): every secret and
host must come from the environment and `check --deploy` reports nothing.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "portal",
    "govdata",
    "surveys",
    "applications",
    "approvals",
    "temporary",
    "promises",
    "notifications",
    "supervision",
    "payments",
    "mailing",
    "cofiling",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.limits.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.signin.middleware.StaffIdleTimeoutMiddleware",
    "portal.signin.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.unavailable.DependencyUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the request into the answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "notifications.context_processors.unread",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's native psycopg 3 pool; pool and persistent connections exclude each other.
    # Django checks each connection as it leaves the pool (psycopg's check_connection), so one
    # broken by a database restart is replaced, not handed to a request.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
        "timeout": int(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a web process, a relay loop and eager tasks at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "home"

# --- Sign-in: lockout, second factor, idle staff sessions (docs/security/signin.md) -----------
# django-axes watches every authenticate() first; ModelBackend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The 6th failure within the cool-off answers 429: per account and, separately, per address.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "6"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "portal.client.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.signin.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Failures are not forgiven by a password that is right: a TOTP code still has to follow.
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "code"]
# TOTP (django-otp) for every staff login and the admin: always in production; off by default
# elsewhere so `make run` and the tests sign in with a password alone (tests switch it on where
# they test it).
SIGNIN_TOTP_REQUIRED = PRODUCTION or env_bool("SIGNIN_TOTP_REQUIRED", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Getting Electricity portal")
# Staff sessions end after this long without a request; applicants keep Django's session age.
STAFF_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("STAFF_IDLE_MINUTES", "30")))

# E-mail: printed to the console in development; production sets EMAIL_BACKEND and its host.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@getting-electricity.invalid")

# SMS: the development backend keeps messages (the development outbox, codes masked in the log
# and the admin); production must name its gateway's (`portal.checks` refuses the development one).
DEVELOPMENT_SMS_BACKEND = "notifications.backends.DevelopmentBackend"
SMS_BACKEND = os.environ.get("SMS_BACKEND", "" if PRODUCTION else DEVELOPMENT_SMS_BACKEND)
if PRODUCTION and SMS_BACKEND in ("", DEVELOPMENT_SMS_BACKEND):
    raise ImproperlyConfigured(
        "SMS_BACKEND must name a real SMS gateway in production, not the development backend."
    )
# The HTTP gateway backend (`notifications.backends.HttpGatewayBackend`).
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = os.environ.get("SMS_GATEWAY_KEY", "")

# --- Client address ---------------------------------------------------------------------------
# Proxies (CIDRs) whose X-Forwarded-For is believed (`portal.client.client_ip`); none by default.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
RATELIMIT_IP_META_KEY = "portal.client.client_ip"

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Each language named in its own language, so a reader finds theirs whatever the page's language.
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
# The site's record number (ICP 备案号) shown in the footer; the operator sets the real one.
ICP_RECORD_NUMBER = os.environ.get("ICP_RECORD_NUMBER", "鲁ICP备00000000号")
# The footer's contact line: the utility's hotline and the address for written questions.
SERVICE_HOTLINE = os.environ.get("SERVICE_HOTLINE", "95598")
SERVICE_EMAIL = os.environ.get("SERVICE_EMAIL", "service@example.cn")
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Documents (ID cards, licences, titles): encrypted with the personal-data keys.
    "documents": {"BACKEND": "portal.storage.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# --- Redis, Celery ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without a broker every task runs in the caller's process, right after the commit that queued it.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longest task (hard limit) plus the longest retry delay stays far below the visibility timeout,
# so Redis never hands a message that is still being worked on to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
OUTBOX_MAX_RETRY_DELAY = 600
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("REDIS_VISIBILITY_TIMEOUT", "3600"))
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that commits while the broker is down must not hang: publish fails fast and the
# outbox relay sends the message later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_WORKER_SEND_TASK_EVENTS = False
# A lost broker connection does not cancel running tasks: the outbox row, not the broker's
# message, is the record of the work (a task that finishes marks it done; one whose worker dies
# is retaken when its heartbeat stops), and cancelling crashes a thread-pool worker on
# reconnection (celery/celery#9250) instead of letting it reconnect.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# The consumer that survives a broker restart with messages in hand (see portal/celery.py).
CELERY_WORKER_CONSUMER = "portal.celery:Consumer"
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {
        "task": "portal.outbox.relay",
        "schedule": timedelta(seconds=int(os.environ.get("OUTBOX_RELAY_EVERY", "10"))),
        "options": {"queue": "default", "expires": 30},
    },
    "approvals-mark-overdue": {
        "task": "approvals.mark_overdue",
        "schedule": timedelta(minutes=30),
        "options": {"queue": "default", "expires": 600},
    },
    "temporary-watch-end-dates": {
        "task": "temporary.watch_end_dates",
        "schedule": timedelta(hours=1),
        "options": {"queue": "default", "expires": 1800},
    },
    "govdata-sweep-face-photos": {
        "task": "govdata.sweep_face_photos",
        "schedule": timedelta(minutes=5),
        "options": {"queue": "default", "expires": 120},
    },
    "govdata-retry-unavailable": {
        "task": "govdata.retry_unavailable",
        "schedule": timedelta(minutes=5),
        "options": {"queue": "default", "expires": 120},
    },
    # Hourly, so that a booking made late today for tomorrow is still reminded today.
    "surveys-send-reminders": {
        "task": "surveys.send_reminders",
        "schedule": timedelta(hours=1),
        "options": {"queue": "default", "expires": 1800},
    },
    "payments-reconcile": {
        "task": "payments.reconcile",
        "schedule": timedelta(seconds=int(os.environ.get("PAYMENT_RECONCILE_EVERY", "60"))),
        "options": {"queue": "default", "expires": 50},
    },
    "payments-statement": {
        "task": "payments.reconcile_statement",
        "schedule": timedelta(hours=6),
        "options": {"queue": "default", "expires": 3600},
    },
    "cofiling-property-sales": {
        "task": "cofiling.property_sales",
        "schedule": timedelta(minutes=10),
        "options": {"queue": "default", "expires": 300},
    },
    "cofiling-refresh-matters": {
        "task": "cofiling.refresh_matters",
        "schedule": timedelta(minutes=10),
        "options": {"queue": "default", "expires": 300},
    },
    "portal-purge-access-log": {
        "task": "portal.purge_access_log",
        "schedule": timedelta(days=1),
        "options": {"queue": "default", "expires": 3600},
    },
}

# --- Personal data ----------------------------------------------------------------------------
# Every view of a person's unmasked data is kept this many days (MLPS level 3: at least six
# months); the daily purge removes only older rows. Less than 180 is refused.
ACCESS_LOG_MINIMUM_DAYS = 180
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "180"))
if ACCESS_LOG_RETENTION_DAYS < ACCESS_LOG_MINIMUM_DAYS:
    raise ImproperlyConfigured("ACCESS_LOG_RETENTION_DAYS must be at least 180 (six months).")
# Counter look-ups of an applicant by mobile or ID number, per clerk (django-ratelimit rate).
COUNTER_LOOKUP_RATE = os.environ.get("COUNTER_LOOKUP_RATE", "30/h")

# Outbox: a row that was sent this long ago and still is not done is sent again.
OUTBOX_STALE_AFTER = timedelta(seconds=int(os.environ.get("OUTBOX_STALE_AFTER", "30")))
# How long a worker owns a running row without a heartbeat (renewed every third of it while the
# handler runs); after that its worker is taken for dead and the row is sent again. A handler
# may declare its own (`portal.outbox.lease`).
OUTBOX_LEASE = timedelta(seconds=int(os.environ.get("OUTBOX_LEASE_SECONDS", "30")))

# --- Government data-sharing platform ---------------------------------------------------------
GOVDATA_BASE_URL = os.environ.get("GOVDATA_BASE_URL", "http://127.0.0.1:8001")
GOVDATA_CONSUMER = os.environ.get("GOVDATA_CONSUMER", "power-portal")
GOVDATA_KEY = os.environ.get("GOVDATA_KEY", "")
if not GOVDATA_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("GOVDATA_KEY must be set in production.")
    GOVDATA_KEY = "dev-only-govdata-key"  # noqa: S105

# --- Online payment (payments; the mock: python -m payments.mock) ----------------------------
PAYMENT_BASE_URL = os.environ.get("PAYMENT_BASE_URL", "http://127.0.0.1:8002")
# Where people pay: the pay page's origin (PAYMENT_PAGE_ORIGIN when the platform's public pay
# pages live elsewhere than its API).
PAYMENT_ORIGIN = os.environ.get("PAYMENT_PAGE_ORIGIN") or PAYMENT_BASE_URL.rstrip("/")
PAYMENT_MERCHANT_ID = os.environ.get("PAYMENT_MERCHANT_ID", "power-portal")
PAYMENT_KEY = os.environ.get("PAYMENT_KEY", "")
if not PAYMENT_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("PAYMENT_KEY must be set in production.")
    PAYMENT_KEY = "dev-only-payment-key"  # noqa: S105
# Where the platform sends its notifications and the pay page returns people: the portal's
# public address.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# An order still unpaid this long after it was made (or last asked about) is queried.
PAYMENT_QUERY_AFTER = timedelta(seconds=int(os.environ.get("PAYMENT_QUERY_AFTER", "60")))

# --- Free mailing (mailing; the mock courier: python -m mailing.mock) -------------------------
COURIER_BASE_URL = os.environ.get("COURIER_BASE_URL", "http://127.0.0.1:8003")
COURIER_SENDER_ID = os.environ.get("COURIER_SENDER_ID", "power-portal")
COURIER_KEY = os.environ.get("COURIER_KEY", "")
if not COURIER_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("COURIER_KEY must be set in production.")
    COURIER_KEY = "dev-only-courier-key"  # noqa: S105

# --- Personal data at rest (portal.crypto) ----------------------------------------------------
# Encryption keys, newest first: the first encrypts, all decrypt (rotation: put a new key first,
# run `manage.py rotate_personal_data_keys`, then drop the old one). The library derives each
# Fernet key from SECRET_KEY and one of these, so rotating SECRET_KEY keeps the old one in
# SECRET_KEY_FALLBACKS until the rows are re-encrypted.
SALT_KEY = env_list("PERSONAL_DATA_KEYS", "")
# The key of the keyed hashes (blind indexes) beside ID numbers and phones. Changing it needs a
# re-hash of every row (the rotation command does it), so it changes rarely.
PERSONAL_DATA_HASH_KEY = os.environ.get("PERSONAL_DATA_HASH_KEY", "")
if not SALT_KEY or not PERSONAL_DATA_HASH_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS and PERSONAL_DATA_HASH_KEY must be set in production."
        )
    SALT_KEY = SALT_KEY or ["dev-only-personal-data-key"]
    PERSONAL_DATA_HASH_KEY = PERSONAL_DATA_HASH_KEY or "dev-only-personal-data-hash-key"
# A face photo taken for the face check is deleted when the check ends, and never kept longer
# than this even when the check does not end (the sweep in CELERY_BEAT_SCHEDULE).
FACE_PHOTO_MAX_AGE_MINUTES = int(os.environ.get("FACE_PHOTO_MAX_AGE_MINUTES", "30"))

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "portal.api.exception_handler",
}
# API tokens (django-rest-knox): stored as SHA-512 digests, expiring, revoked at sign-out.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", "10"))),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Getting Electricity portal API",
    "DESCRIPTION": _("Online, zero-certificate and one-chain handling of grid connections."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {"ApplicationStateEnum": "applications.models.State"},
    # Swagger UI from the installed package, not a CDN: the portal may run without the internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Production hardening ---------------------------------------------------------------------
if PRODUCTION:
    # gunicorn serves the static files itself; runserver does it in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp) -----------------------------------------------------
# Scripts and styles only from the portal's own static files: no inline script, no inline event
# handler, no inline style attribute (docs/security/hardening.md says why styles too).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # The pay button posts to the portal, which sends the browser on to the payment
        # platform's pay page: browsers hold that redirect to form-action too.
        "form-action": ["'self'", PAYMENT_ORIGIN],
        "frame-ancestors": ["'none'"],
    }
}

# --- Uploads and request bodies ---------------------------------------------------------------
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Deepest nesting of arrays/objects a JSON body may have (`portal.parsers.BoundedJSONParser`).
JSON_MAX_DEPTH = 32
