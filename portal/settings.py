"""Settings for the MSK portal, read from the environment.

PORTAL_ENV=development (the default: SQLite, immediate tasks, console email) or
PORTAL_ENV=production (PostgreSQL, Redis, SMTP, secure cookies). Every value that
can be wrong fails loudly at start-up; secrets may come from NAME_FILE.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from portal.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

PORTAL_ENV = env_choice("PORTAL_ENV", ("development", "production"), "development")
PRODUCTION = PORTAL_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false when PORTAL_ENV=production.")

# A fixed key is fine on a developer's machine; production must supply its own.
SECRET_KEY = env_str(
    "SECRET_KEY",
    None if PRODUCTION else "dev-only-insecure-key-0f8c1b7e2d9a4c6f8e3b5a7d9c1e2f4a6b8d0c2e",
    required=PRODUCTION,
)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only")):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the portal answers on.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address every emailed, printed and published link starts with (emails, the QR
# code and URL on certificates, the API's verification_url, Open Badges ids). A request's own
# Host header is never used for these. Required in production; elsewhere it follows PORT, the
# port `make demo` serves on.
PORT = env_int("PORT", 8000, minimum=1)
PORTAL_BASE_URL = env_str(
    "PORTAL_BASE_URL", None if PRODUCTION else f"http://127.0.0.1:{PORT}", required=PRODUCTION
).rstrip("/")
if not PORTAL_BASE_URL.startswith(("https://", "http://")) or "?" in PORTAL_BASE_URL:
    raise ImproperlyConfigured(f"PORTAL_BASE_URL={PORTAL_BASE_URL!r} is not an http(s) address.")
if PRODUCTION and not PORTAL_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("PORTAL_BASE_URL must be an https:// address in production.")
# How long a third party's link to confirm an evidence item stays valid.
PORTFOLIO_CONFIRMATION_DAYS = env_int("PORTFOLIO_CONFIRMATION_DAYS", 14, minimum=1)
# Who sets the limits a coverage page judges by (the pathway a clinician applies for), so that
# coverage and an application's checklist use the same rules (portfolio.selectors.coverage).
PORTFOLIO_COVERAGE_RULES = ["accreditation.api.coverage_rules"]
# Public register searches allowed per client IP per minute (anti-automation).
REGISTER_SEARCHES_PER_MINUTE = env_int("REGISTER_SEARCHES_PER_MINUTE", 60, minimum=1)
# Names. The service's name (page titles, header, email subjects) and the faculty it is built
# for (header, footer, pages, emails, and by default certificates and badges: ISSUER_NAME).
SERVICE_NAME = "MSK accreditation and examinations"
FACULTY_NAME = env_str("FACULTY_NAME", "Faculty of Sport and Exercise Medicine UK (FSEM)")
FACULTY_SHORT_NAME = env_str("FACULTY_SHORT_NAME", "FSEM")
# The issuer named in credentials and Open Badges (the faculty unless overridden), and its
# Ed25519 signing key: a PEM (PKCS#8) file or a file holding the 64-hex-character seed. Required
# in production; elsewhere a key is generated once under VAR_DIR/issuer/ (credentials/issuer.py).
ISSUER_NAME = env_str("ISSUER_NAME", FACULTY_NAME)
ISSUER_ED25519_KEY_FILE = env_str("ISSUER_ED25519_KEY_FILE", required=PRODUCTION)
if ISSUER_ED25519_KEY_FILE and not Path(ISSUER_ED25519_KEY_FILE).is_file():
    raise ImproperlyConfigured(
        f"ISSUER_ED25519_KEY_FILE={ISSUER_ED25519_KEY_FILE!r} is not a readable file."
    )

INSTALLED_APPS = [
    # Our apps first so their templates override the libraries'.
    "portal",
    "portfolio",
    "credentials",
    "accreditation",
    "exams",
    "cms",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Always installed: the register's trigram index is declared on the model (and created on
    # PostgreSQL only); Wagtail's search uses PostgreSQL's full-text fields when it runs there.
    # Not last: portal/apps.py ensures the roles after the last app's post_migrate, and this
    # app has no models, so it sends none.
    "django.contrib.postgres",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "django_tasks_db",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "portal.ops.requestid.RequestIdMiddleware",
    "portal.limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.caching.PrivatePagesNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.middleware.AdminContentSecurityPolicyMiddleware",
    "portal.middleware.RequestContextMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.StaffMFAMiddleware",
    "portal.middleware.CmsAdminForEditorsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.context_processors.navigation",
                "portal.context_processors.names",
            ],
        },
    },
]
# Every Django form renders the NHS.UK way (label, hint, error message, fieldset).
FORM_RENDERER = "portal.forms.NHSFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", required=PRODUCTION),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo's SQLite file: write-ahead logging lets readers carry on while one request
    # writes, and a busy timeout makes a second writer wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits and sessions must be shared by every worker: Redis in production,
# the database (shared by runserver and any worker process) by default.
REDIS_URL = env_str("REDIS_URL", required=PRODUCTION)
if REDIS_URL:
    # Losing Redis slows the portal and lifts rate limits; it does not fail requests
    # (portal/ops/cache.py says exactly what degrades).
    CACHES = {
        "default": {
            "BACKEND": "portal.ops.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, reading the user's roles and MFA enrolment with the user.
    "portal.auth_backends.ModelBackend",
    "portal.auth_backends.AuthenticationBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: email is the login; verification is mandatory; the same answer
# is given for known and unknown addresses; rate limits use the shared cache.
ACCOUNT_ADAPTER = "portal.adapters.PortalAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# Sign-up asks for the person's name too (saved by the adapter); confirming the address signs
# the person in when it happens in the browser that signed up (allauth keeps the pending
# sign-in in that session only; elsewhere they are asked to sign in).
ACCOUNT_SIGNUP_FIELDS = ["first_name*", "last_name*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Forms in the portal's words: each error names its field (portal/account_forms.py).
ACCOUNT_FORMS = {
    "signup": "portal.account_forms.SignupForm",
    "login": "portal.account_forms.LoginForm",
    "reset_password": "portal.account_forms.ResetPasswordForm",
    "reset_password_from_key": "portal.account_forms.ResetPasswordKeyForm",
    "change_password": "portal.account_forms.ChangePasswordForm",
    "set_password": "portal.account_forms.SetPasswordForm",
    "add_email": "portal.account_forms.AddEmailForm",
    "reauthenticate": "portal.account_forms.ReauthenticateForm",
}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SERVICE_NAME}: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# Behind a reverse proxy, how many X-Forwarded-For hops to trust for client IPs.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "MSK portal"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# Evidence uploads (portfolio/files.py): the largest file accepted. Uploads bigger than
# FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file on disk, never into memory.
PORTFOLIO_MAX_UPLOAD_BYTES = env_int("PORTFOLIO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Stored evidence is readable by the portal's own user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Virus scanning of uploads by clamd, over a Unix socket or TCP; both empty = no scanning.
# When set, a file clamd cannot check is refused (fail closed). Production refuses to start
# without clamd unless VIRUS_SCAN=off says so explicitly (then logged loudly at every start).
CLAMD_SOCKET = env_str("CLAMD_SOCKET")
CLAMD_HOST = env_str("CLAMD_HOST")
CLAMD_PORT = env_int("CLAMD_PORT", 3310, minimum=1)
VIRUS_SCAN = env_choice("VIRUS_SCAN", ("on", "off"), "on" if PRODUCTION else "off")
if PRODUCTION and VIRUS_SCAN == "on" and not (CLAMD_SOCKET or CLAMD_HOST):
    raise ImproperlyConfigured(
        "Uploads must be scanned for viruses in production: set CLAMD_SOCKET or CLAMD_HOST, "
        "or set VIRUS_SCAN=off to run without scanning (not recommended)."
    )

# Request bodies are refused before anything reads them (portal/limits.py): the largest is
# an evidence upload (5 files of PORTFOLIO_MAX_UPLOAD_BYTES); every other request must fit in
# DATA_UPLOAD_MAX_MEMORY_SIZE plus a small allowance. The reverse proxy should refuse bigger
# bodies still earlier (for example nginx client_max_body_size 101m).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 3 * 1024 * 1024, minimum=1024)
MAX_UPLOAD_REQUEST_BYTES = 5 * PORTFOLIO_MAX_UPLOAD_BYTES + 1024 * 1024
# Files (evidence, certificates, documents): the local folder by default; S3-compatible object
# storage when S3_BUCKET is set, so that any number of web and worker machines share them.
# Objects are private: every file is served through a view that checks who is asking.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    from botocore.config import Config as _S3Config

    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION", "eu-west-2"),
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "addressing_style": env_choice("S3_ADDRESSING_STYLE", ("path", "virtual"), "path"),
            # Fail in seconds, not minutes, when the storage is unreachable: the upload is
            # refused with a clear message and nothing half-written is kept.
            "client_config": _S3Config(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Image renditions on public pages are linked through /media/images/ (portal/ops/media.py),
# never straight to the bucket.
_renditions = {
    **_default_storage,
    "BACKEND": {
        "django.core.files.storage.FileSystemStorage": "portal.ops.storage.LocalRenditionStorage",
        "storages.backends.s3.S3Storage": "portal.ops.storage.S3RenditionStorage",
    }[_default_storage["BACKEND"]],
}
WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
STORAGES = {
    "default": _default_storage,
    "renditions": _renditions,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The issuer's PDF signing certificate (PEM, its chain may follow it) and private key (PEM,
# encrypted with ISSUER_KEY_PASSPHRASE if set). Required in production; elsewhere, when unset,
# a self-signed demonstration pair is made under VAR_DIR/issuer/pdf/ on first use
# (credentials/issuer.py, `manage.py issuer_keys`).
ISSUER_CERT_FILE = env_str("ISSUER_CERT_FILE", required=PRODUCTION)
ISSUER_KEY_FILE = env_str("ISSUER_KEY_FILE", required=PRODUCTION)
ISSUER_KEY_PASSPHRASE = env_str("ISSUER_KEY_PASSPHRASE")
if bool(ISSUER_CERT_FILE) != bool(ISSUER_KEY_FILE):
    raise ImproperlyConfigured("Set both ISSUER_CERT_FILE and ISSUER_KEY_FILE, or neither.")
for _name, _file in (("ISSUER_CERT_FILE", ISSUER_CERT_FILE), ("ISSUER_KEY_FILE", ISSUER_KEY_FILE)):
    if _file and not Path(_file).is_file():
        raise ImproperlyConfigured(f"{_name}={_file!r} is not a readable file.")
# Make (render and sign) the PDF certificate in the background when a credential is issued.
CERTIFICATES_ON_ISSUE = env_bool("CERTIFICATES_ON_ISSUE", True)

# Outside production, serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Background work: Django's tasks framework. Immediate by default; the database
# backend (run by `manage.py db_worker`) when TASKS_BACKEND=database.
TASKS_BACKEND = env_choice("TASKS_BACKEND", ("immediate", "database"), "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MSK portal <no-reply@msk-portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail: admin at /cms-admin/, signing in only through allauth's throttled login.
WAGTAIL_SITE_NAME = SERVICE_NAME
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Private pages and documents send visitors to the same sign-in.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from Gravatar: it would send a hash of each editor's email to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents: our own model (cms.PortalDocument) checks every upload as evidence files are
# checked; only these types; always served through Wagtail's serve view, which checks the
# collection's privacy, never straight from the media folder.
WAGTAILDOCS_DOCUMENT_MODEL = "cms.PortalDocument"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Page edits are approved by a second editor (cms/moderation.py); an edit made during review
# goes back for approval.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.workflow_actions.publish_approved"
# Public pages' cached fragments (cms/caching.py) live this long at most.
CMS_FRAGMENT_CACHE_SECONDS = env_int("CMS_FRAGMENT_CACHE_SECONDS", 600, minimum=0)

# Security baseline. The content security policy allows no inline script or
# style on our pages; the two admin sites get a separate policy (see middleware).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=60)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# Load balancers probe health over plain HTTP inside the network: no redirect for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One JSON object per line in production (LOG_FORMAT=json), readable text elsewhere; every
# line carries the request id (portal/ops/requestid.py), also inside background tasks.
LOG_FORMAT = env_choice("LOG_FORMAT", ("json", "text"), "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_tokens": {"()": "portal.logfilters.RedactTokens"},
        "request_id": {"()": "portal.ops.requestid.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "portal.ops.jsonlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact_tokens"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Task state changes and page-tree chatter are not news at INFO.
    "loggers": {
        "django.tasks": {"level": "WARNING"},
        # A failed request's path, and runserver's request lines, lose any token first.
        "django.request": {"filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
        "wagtail": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Errors go to the log (above). Sentry is optional and off unless SENTRY_DSN is set; it then
# needs the `sentry` extra installed (pip install -e '.[sentry]'). No personal data is sent.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError as exc:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install -e '.[sentry]'."
        ) from exc
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        environment=PORTAL_ENV,
        traces_sample_rate=0.0,
    )
