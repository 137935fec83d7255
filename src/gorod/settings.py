"""One settings module for every environment, driven by environment variables (see docs/deploy.md)."""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from gorod.core.headers import tile_sources
from gorod.core.tiles import attribution_for, is_pmtiles, tile_url_from

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("GOROD_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("GOROD_DEBUG", False)
TESTING = env_bool("GOROD_TESTING", False)


def _installation_secret() -> str:
    """GOROD_SECRET_KEY, else a random key made once for this installation and kept in var/secret_key.

    Never a key written in the source: the secret also derives the personal-data encryption key when
    GOROD_PII_KEYS is unset, so a public default would make every fallback installation readable.
    Several servers sharing one database must set GOROD_SECRET_KEY (and GOROD_PII_KEYS) alike."""
    if os.environ.get("GOROD_SECRET_KEY"):
        return os.environ["GOROD_SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


SECRET_KEY = _installation_secret()
ALLOWED_HOSTS = [
    h for h in os.environ.get("GOROD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "gorod.core.apps.StaticFilesConfig",  # django.contrib.staticfiles, leaving out unused npm files
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves /api/docs from its own static files, not a CDN
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rules.apps.AutodiscoverRulesConfig",
    "gorod.core",
    "gorod.city",
    "gorod.accounts",
    "gorod.reports",
    "gorod.open311",
    "gorod.notifications",
    "gorod.backoffice",
    "gorod.analytics",
    "gorod.budgeting",
    "gorod.budgeting.priorities",
    "gorod.consultations",
    "gorod.privacy",
    "gorod.info",
    "gorod.demo",
]

MIDDLEWARE = [
    # First in the chain: the request id is set before anything logs, and the latency covers every
    # middleware (operations, docs/deploy.md).
    "gorod.core.logs.RequestId",
    "gorod.ops.middleware.RequestLatency",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server, before sessions and the rest (docs/deploy.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gorod.city.middleware.RequestHostMiddleware",  # which municipality a page shows (issue 14)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gorod.core.headers.PermissionsPolicy",
    "gorod.accounts.sessions.StaffSessionExpiry",
    "gorod.core.csp_middleware.CSPMiddleware",  # django-csp's, with the policy text kept
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "gorod.core.audit.OriginMiddleware",  # the client address of audit entries (docs/security.md)
    # Last, so it sees the view's own answer: daily usage counters, no cookie (docs/demand.md).
    "gorod.analytics.demand.middleware.DemandMiddleware",
]

# Paths answered to programs, not people: gorod.wsgi runs them through this shorter chain (no sessions,
# messages, sign-in or lockouts; docs/decisions.md, "Lean requests"). Django's test client and
# runserver use the full chain for every path.
GOROD_LEAN_PATHS = ("/open311/v2/", "/healthz")
GOROD_LEAN_MIDDLEWARE = [
    m
    for m in MIDDLEWARE
    if m
    not in {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",  # the API's views are csrf_exempt (django-ninja)
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "gorod.accounts.sessions.StaffSessionExpiry",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",
        "gorod.analytics.demand.middleware.DemandMiddleware",  # machines, not residents
    }
]

ROOT_URLCONF = "gorod.urls"
WSGI_APPLICATION = "gorod.wsgi.application"

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
                "csp.context_processors.nonce",
                "gorod.core.context_processors.site",
                "gorod.city.context_processors.brand",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gorod.sqlite3'}")
# Persistent connections, checked before reuse: a new one per request would start with a cold page cache
# (SQLite) or a new backend process (PostgreSQL).
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
    }
# A PostgreSQL streaming replica for the public pages that only read (core.replica, docs/scaling.md).
# Under tests the alias mirrors the test database so that the router is tested without a second server.
GOROD_READ_REPLICA_URL = os.environ.get("GOROD_READ_REPLICA_URL", "")
if GOROD_READ_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        GOROD_READ_REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["gorod.core.replica.ReplicaRouter"]
elif TESTING:
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow on purpose (~0.3 s a password); tests exercise our code, not the hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing (accounts/lockout.py): 10 failures per account and address, 30 per account from any
# addresses, within the cool-off hour; never per address alone, which shared proxies make everyone's.
AXES_HANDLER = "gorod.accounts.lockout.AccountLockout"
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_FAILURE_LIMIT = 10
GOROD_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("GOROD_LOGIN_FAILURES_PER_ACCOUNT", "30"))
# Guesses refused during a lock are not counted, so one locked address cannot lock the whole account.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "gorod.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "gorod.accounts.lockout.locked_out"
AXES_COOLOFF_TIME = 1  # hours
AXES_ENABLED = not TESTING
AXES_VERBOSE = False
LOGIN_URL = "/account/login/"
LOGIN_REDIRECT_URL = "/account/"
# Staff who sign in with no page asking for them land on their work, not their account page.
GOROD_STAFF_LANDING_URL = "/backoffice/"
OTP_TOTP_ISSUER = "Gorod"

# --- i18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("GOROD_TIME_ZONE", "Europe/Moscow")

# --- files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("GOROD_STATIC_ROOT", VAR_DIR / "static"))
# Production: `gorod collectstatic` writes each file under a name with its content hash, plus a gzip copy;
# WhiteNoise serves them with a year's cache lifetime (the name changes when the file does). Tests and
# DEBUG read the source files through the finders instead, so they need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if TESTING:
    WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = True
# Leaflet comes from the django-leaflet package's static files. Its Django app is not installed: that
# would import GeoDjango, which needs the GDAL system library we do without.
_LEAFLET_SPEC = importlib.util.find_spec("leaflet")
assert _LEAFLET_SPEC is not None and _LEAFLET_SPEC.submodule_search_locations, "django-leaflet is missing"
_LEAFLET_STATIC = Path(next(iter(_LEAFLET_SPEC.submodule_search_locations))) / "static"
STATICFILES_DIRS: list = [BASE_DIR / "static", _LEAFLET_STATIC]
# Libraries no Python package ships come from npm (package.json, its lock file, `npm ci` in `make
# install`); only their built files are served, each under vendor/<name>/. protomaps-leaflet draws a
# self-hosted PMTiles map (GOROD_TILE_URL=….pmtiles); without it such maps show the district outlines.
_PROTOMAPS_DIST = PROJECT_DIR / "node_modules" / "protomaps-leaflet" / "dist"
GOROD_PROTOMAPS_LEAFLET = (_PROTOMAPS_DIST / "protomaps-leaflet.js").is_file()
if GOROD_PROTOMAPS_LEAFLET:
    STATICFILES_DIRS.append(("vendor/protomaps-leaflet", _PROTOMAPS_DIST))
# model-viewer draws the 3D dialogue's models (consultations/model_3d); without it that page lists the
# comments as text and says the 3D view is unavailable.
_MODEL_VIEWER_DIST = PROJECT_DIR / "node_modules" / "@google" / "model-viewer" / "dist"
GOROD_MODEL_VIEWER = (_MODEL_VIEWER_DIST / "model-viewer.min.js").is_file()
if GOROD_MODEL_VIEWER:
    STATICFILES_DIRS.append(("vendor/model-viewer", _MODEL_VIEWER_DIST))
# Photo Sphere Viewer (rooms' 360° panoramas) and three.js, its peer: ES modules, loaded through an import
# map on the room page. Without them a panorama is shown as a flat picture and its comments as a list.
_NPM = PROJECT_DIR / "node_modules"
_PANORAMA_DIRS = {
    "vendor/three": _NPM / "three" / "build",
    "vendor/photo-sphere-viewer/core": _NPM / "@photo-sphere-viewer" / "core",
    "vendor/photo-sphere-viewer/markers-plugin": _NPM / "@photo-sphere-viewer" / "markers-plugin",
}
GOROD_PANORAMA_VIEWER = all(path.is_dir() for path in _PANORAMA_DIRS.values())
if GOROD_PANORAMA_VIEWER:
    STATICFILES_DIRS += list(_PANORAMA_DIRS.items())
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GOROD_MEDIA_ROOT", VAR_DIR / "media"))
# Photos the public may not see (hidden by a moderator, of a rejected or withheld report) live here,
# outside the tree the web server publishes; staff read them through /backoffice/photos/<id>/.
# Keep it on the same file system as MEDIA_ROOT: moves are then a rename, atomic.
GOROD_PRIVATE_MEDIA_ROOT = Path(os.environ.get("GOROD_PRIVATE_MEDIA_ROOT", VAR_DIR / "private-media"))
# When set (e.g. "/_private-media/"), the staff photo view answers with X-Accel-Redirect to this nginx
# `internal` location instead of streaming the file itself (docs/deploy.md).
GOROD_PRIVATE_MEDIA_ACCEL = os.environ.get("GOROD_PRIVATE_MEDIA_ACCEL", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# --- background work ------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# The installation's timetable: `gorod worker` enqueues each job when its interval (seconds) has passed.
# A job is the dotted path of a django-tasks task taking no arguments; it must be idempotent (safe to run
# twice or late) because a restarted worker runs what it missed. It lives here, not in an app, because
# the jobs belong to apps above notifications, which runs the timetable.
GOROD_PERIODIC_JOBS: list[tuple[str, int]] = [
    ("gorod.backoffice.tasks.escalate_overdue", 3600),  # hourly is enough: it sends once per day
    ("gorod.notifications.tasks.sweep", 60),  # due deliveries, expired leases of dead workers
    ("gorod.notifications.tasks.digests", 900),  # daily area-alert digests (each alert once a day)
    ("gorod.notifications.tasks.poll_open311", 300),  # updates from departments' external systems
    ("gorod.notifications.tasks.housekeeping", 86400),  # old sent deliveries, task results
    ("gorod.reports.tasks.auto_confirm_due", 3600),  # silence confirms once the window has closed
    ("gorod.reports.tasks.purge_held_photos", 900),  # photos kept for forms that came back with an error
    ("gorod.open311.tasks.purge_idempotency_keys", 3600),  # kept POST answers older than 24 h
    ("gorod.reports.tasks.settle_photos", 60),  # photo files a crash left in the wrong tree
    ("gorod.reports.tasks.check_photos", 86400),  # every photo's tree against its report (city settings)
    ("gorod.budgeting.tasks.advance_processes", 3600),  # phases open and close by their dates
    ("gorod.privacy.tasks.purge_expired_contacts", 86400),  # reports' contacts after the city's retention
    ("gorod.analytics.tasks.regenerate_open_data", 86400),  # the files of /data/ (docs/open-data.md)
    ("gorod.analytics.tasks.demand_reports", 3600),  # last month's demand report, once (docs/demand.md)
    ("gorod.info.news.tasks.announce", 300),  # mail area subscribers once news or works are published
    ("gorod.analytics.tasks.roll_up_stats", 3600),  # /stats/ rollups: once a day, soon after midnight
    ("gorod.consultations.textin.tasks.forget_old_numbers", 86400),  # text-in senders' numbers, 180 days
    # Votes wake it (debounced); this is the net for a lost wake-up (docs/consultations.md).
    ("gorod.consultations.opinion_groups.tasks.recompute_requested", 300),
]
# What puts an e-mail in the outbox for apps below notifications (core.mail.enqueue_email), named like
# EMAIL_BACKEND so that those apps need not import notifications.
GOROD_OUTBOX_EMAIL = "gorod.notifications.services.email_enqueue"
# The same for text messages (core.sms): the module that enqueues and forgets them.
GOROD_OUTBOX_SMS = "gorod.notifications.sms"
# Apps beside privacy in the layers that hold personal data: each module offers export(user) and
# erase(user), which the account export and erasure call (gorod.privacy.parts).
GOROD_PERSONAL_DATA = ["gorod.info.personal_data"]

# --- cache ----------------------------------------------------------------------------------------
# Several app servers share one state (docs/scaling.md): sessions and django-axes lockouts are in the
# database; the rate-limit counters, the city generation (city.generation) and Open311's cached answers are
# in this cache, so with more than one server REDIS_URL is required. GOROD_CACHE_PREFIX keeps
# installations (or test runs) that share one Redis apart.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("GOROD_CACHE_PREFIX", "gorod"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy (production): secure cookies, HSTS, and https:// in the URLs we build
# (Open311 media_url, discovery) from the proxy's X-Forwarded-Proto.
if env_bool("GOROD_HTTPS", False):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY: dict[str, dict[str, list]] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE is django-csp's marker for the per-request nonce (a plain "'nonce'" string is sent as is).
        "script-src": ["'self'", NONCE],
        # Leaflet positions tiles and markers with inline style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        # Photos are ours; map tiles also come from the tile server (added below, with GOROD_TILE_URL).
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Browser features no page uses are switched off for the site and anything it might embed; the report
# form's "where am I" button needs geolocation, Photo Sphere Viewer and model-viewer go full screen.
GOROD_PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "fullscreen=(self)",
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer", "camera", "display-capture", "gyroscope", "magnetometer", "microphone",
                "midi", "payment", "usb", "serial", "hid", "bluetooth",
            )
        ),
    ]
)  # fmt: skip
# Staff sessions end after this many seconds without a request (back-office pages hold personal data;
# a forgotten signed-in office computer must not stay open overnight). Residents keep Django's age of
# SESSION_COOKIE_AGE from their last sign-in or change to the session.
GOROD_STAFF_SESSION_IDLE_S = int(os.environ.get("GOROD_STAFF_SESSION_IDLE_S", str(8 * 3600)))
SESSION_COOKIE_AGE = int(os.environ.get("GOROD_SESSION_AGE_S", str(14 * 24 * 3600)))

# Reverse proxies in front of Gorod that append to X-Forwarded-For (nginx: 1). 0 ignores the header, which
# is right when clients connect directly: otherwise anyone could claim any address (core.http.client_ip).
GOROD_TRUSTED_PROXIES = int(os.environ.get("GOROD_TRUSTED_PROXIES", "0"))
# Demand counters (docs/demand.md): counted per local day in the cache (set REDIS_URL so that several
# processes share the day's salt and de-duplication), added to the database every GOROD_DEMAND_FLUSH_S
# seconds. Off in tests except where a test turns them on: pages' pinned query counts stay as they are.
GOROD_DEMAND_ENABLED = env_bool("GOROD_DEMAND_ENABLED", not TESTING)
GOROD_DEMAND_FLUSH_S = int(os.environ.get("GOROD_DEMAND_FLUSH_S", "10"))
GOROD_DEMAND_SKIP_PATHS = (
    "/api/", "/static/", "/media/", "/metrics", "/readyz", "/admin/", "/i18n/", "/feeds/", "/data/catalog",
)  # fmt: skip

# Limits on writes per scope, "COUNT/WINDOW" (core.ratelimit). Counted in the cache: set REDIS_URL so that
# several app servers share the counts. Off in tests except where a test turns them on.
GOROD_RATE_LIMITS_ENABLED = env_bool("GOROD_RATE_LIMITS_ENABLED", not TESTING)


def _rate_limits(defaults: dict[str, str], overrides: str) -> dict[str, str]:
    """GOROD_RATE_LIMITS="report=20/10m,ballot=off" changes or removes the scopes it names."""
    limits = dict(defaults)
    for item in filter(None, (part.strip() for part in overrides.split(","))):
        scope, _sep, spec = item.partition("=")
        if spec.strip().lower() in {"", "off"}:
            limits.pop(scope.strip(), None)
        else:
            limits[scope.strip()] = spec.strip()
    return limits


# Per client address unless named otherwise. Someone behind a shared address (a mobile carrier's NAT, an
# office) shares its count, so the limits stop floods rather than people; docs/security.md.
GOROD_RATE_LIMITS: dict[str, str] = _rate_limits(
    {
        "report": "10/10m",  # the web form (every POST counts, so a flood never reaches the photo decoder)
        "feedback": "20/10m",  # an author's confirm, dispute and rating
        "open311_client": "60/10m",  # Open311 POSTs, valid key or not (key guessing included)
        "open311_key": "300/10m",  # Open311 POSTs per API key from any address (an app on many phones)
        "follow": "30/10m",  # follow, follow by e-mail, the e-mailed confirmation
        "alert": "20/h",  # new area alerts
        "sign_in_link": "10/10m",
        "signup": "10/h",
        "ballot": "30/10m",  # budgeting's own throttles per voter identifier come on top
        "idea": "10/h",
        "story": "10/10m",  # residents' stories: the report form's limit (every POST counts)
        "idea_support": "60/10m",
        # Consultations: map pins, questions, answers, ideas, comments at the report form's rate; agree,
        # upvotes, support and flags at the rate of budgeting's idea support.
        "contribution": "10/10m",
        "contribution_vote": "60/10m",
        "game_play": "5/h",  # the priorities game: a fresh cookie must not buy another play
        # Failed attempts to prove the right to vote (a census number with its secret, a voting code), per
        # client address and per census number from any address (budgeting.eligibility).
        "vote-failed-client": "30/h",
        "vote-failed-identifier": "10/d",
    },
    os.environ.get("GOROD_RATE_LIMITS", ""),
)

# Personal data keys: a comma-separated list of Fernet keys, newest first (rotation: prepend a new key,
# run `gorod rotate_pii_keys`, then drop the old one). Without it a key is derived from SECRET_KEY.
GOROD_PII_KEYS = [k for k in os.environ.get("GOROD_PII_KEYS", "").split(",") if k]

# --- maps -----------------------------------------------------------------------------------------
# OpenStreetMap's standard tiles unless GOROD_TILE_URL names others (a z/x/y template or a .pmtiles file)
# or "none"; every map also draws the districts from our own data and keeps them when tiles fail
# (core.tiles, docs/city-config.md). The CSP lets images (and a PMTiles file's range requests) come from
# the tile host only.
GOROD_TILE_URL = tile_url_from(os.environ.get("GOROD_TILE_URL", ""))
GOROD_TILE_ATTRIBUTION = attribution_for(GOROD_TILE_URL, os.environ.get("GOROD_TILE_ATTRIBUTION", ""))
GOROD_TILE_MAX_ZOOM = int(os.environ.get("GOROD_TILE_MAX_ZOOM", "19"))
if GOROD_TILE_URL:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += tile_sources(GOROD_TILE_URL)
    if is_pmtiles(GOROD_TILE_URL):
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] += tile_sources(GOROD_TILE_URL)

# --- report rules ---------------------------------------------------------------------------------
GOROD_MAX_PHOTOS = 3
GOROD_PHOTO_MAX_BYTES = 10 * 1024 * 1024
GOROD_PHOTO_MAX_PIXELS = 24_000_000  # a 24 MP phone photo; decoding one takes ~100 MB
GOROD_PHOTO_MAX_SIDE = 2048
GOROD_DUPLICATE_RADIUS_M = 50
# Photos of a report form that came back with an error wait here for the resident's next try (reports.
# held_photos): outside MEDIA_ROOT (nothing serves this folder), shared by app servers like MEDIA_ROOT.
GOROD_HELD_PHOTOS_DIR = Path(os.environ.get("GOROD_HELD_PHOTOS_DIR", VAR_DIR / "held-photos"))
GOROD_HELD_PHOTOS_TTL_S = int(os.environ.get("GOROD_HELD_PHOTOS_TTL_S", str(2 * 3600)))
# A pin outside every district but at most this far from one is filed in the nearest district (the gaps
# between drawn boundaries, embankments); farther away it is "outside the city". 0 turns snapping off.
GOROD_DISTRICT_SNAP_M = float(os.environ.get("GOROD_DISTRICT_SNAP_M", "300"))
GOROD_DEFAULT_MUNICIPALITY = os.environ.get("GOROD_DEFAULT_MUNICIPALITY", "")
# The map's in-memory index reads changed reports at most this often, and recounts rows (to notice
# deletions made outside the services) this often.
GOROD_MAP_REFRESH_S = float(os.environ.get("GOROD_MAP_REFRESH_S", "5"))
GOROD_MAP_VERIFY_S = float(os.environ.get("GOROD_MAP_VERIFY_S", "300"))
# Loaded by a background thread when a `gorod serve` worker starts (core.warmup), so that no request waits
# for them: the map index and the dashboards' rollups (seconds each at a million reports).
GOROD_WARM_UP = ["gorod.reports.clustering.warm", "gorod.analytics.stats.cube.warm"]
# New rollups are loaded by a background thread while the rows held so far keep answering (exact: the days
# after them are computed live). Tests load at once.
GOROD_STATS_RELOAD_IN_BACKGROUND = env_bool("GOROD_STATS_RELOAD_IN_BACKGROUND", not TESTING)

# --- back office and the citizen loop ----------------------------------------------------------------
# Working days the author has to confirm or dispute a fix; silence afterwards counts as confirmation.
GOROD_CONFIRM_DAYS = int(os.environ.get("GOROD_CONFIRM_DAYS", "10"))
# Whether a transfer to another department gives the new department its full deadline again.
GOROD_TRANSFER_RESTARTS_DEADLINE = env_bool("GOROD_TRANSFER_RESTARTS_DEADLINE", False)
# The site's public address, for links in e-mails sent by the worker (which has no request); a
# municipality with its own `site.url` in its city file uses that instead. Unset, it is the local server
# on PORT (what `make demo` and scripts/serve-demo.sh serve on), so no demo mail links to the wrong port.
_PORT = os.environ.get("PORT", "").strip()
GOROD_SITE_URL = (
    os.environ.get("GOROD_SITE_URL", "").strip()
    or f"http://127.0.0.1:{_PORT if _PORT.isascii() and _PORT.isdigit() else '8000'}"
).rstrip("/")

# Mail to one address (notifications.addresses): caps per hour and per day; how long mails to an address
# nobody confirmed wait before they are dropped; how long the confirmation link works.
GOROD_MAIL_CAP_PER_HOUR = int(os.environ.get("GOROD_MAIL_CAP_PER_HOUR", "20"))
GOROD_MAIL_CAP_PER_DAY = int(os.environ.get("GOROD_MAIL_CAP_PER_DAY", "100"))
GOROD_MAIL_CAP_UNCONFIRMED_PER_DAY = int(os.environ.get("GOROD_MAIL_CAP_UNCONFIRMED_PER_DAY", "5"))
GOROD_MAIL_HOLD_DAYS = int(os.environ.get("GOROD_MAIL_HOLD_DAYS", "7"))
GOROD_MAIL_CONFIRM_MAX_AGE_DAYS = int(os.environ.get("GOROD_MAIL_CONFIRM_MAX_AGE_DAYS", "7"))

EMAIL_BACKEND = os.environ.get("GOROD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("GOROD_FROM_EMAIL", "gorod@localhost")
EMAIL_HOST = os.environ.get("GOROD_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GOROD_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GOROD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GOROD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GOROD_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10  # a hanging mail server must not hold the worker

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_traceback_for_403": {"()": "gorod.core.logs.NoTracebackFor403"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOROD_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["no_traceback_for_403"]},
        "weasyprint.progress": {"level": "WARNING"},  # "Step 5 - Creating layout - Page 3", per page
        "fontTools": {"level": "WARNING"},  # WeasyPrint's font subsetting, per font
    },
}

# Serve uploaded (re-encoded) photos from Django itself; on for the demo, off behind a real web server.
GOROD_SERVE_MEDIA = env_bool("GOROD_SERVE_MEDIA", DEBUG or TESTING)

# --- Operations (issue 10): request ids, JSON logs, readiness, metrics (docs/deploy.md) ---------------
# "json": one JSON object per line (time, level, logger, message, request_id) for a log collector.
GOROD_LOG_FORMAT = os.environ.get("GOROD_LOG_FORMAT", "text").strip().lower()
_logging: dict[str, Any] = LOGGING
_logging["filters"]["request_id"] = {"()": "gorod.core.logs.AddRequestId"}
_logging["handlers"]["console"]["filters"] = ["request_id"]
if GOROD_LOG_FORMAT == "json":
    _logging["formatters"] = {"json": {"()": "gorod.core.logs.JsonFormatter"}}
    _logging["handlers"]["console"]["formatter"] = "json"
# The worker writes its heartbeat this often; /readyz fails when the newest is older than the limit
# (0: the worker is not checked, for an app server whose worker is watched elsewhere).
GOROD_WORKER_HEARTBEAT_S = float(os.environ.get("GOROD_WORKER_HEARTBEAT_S", "5"))
GOROD_READY_WORKER_MAX_AGE_S = float(os.environ.get("GOROD_READY_WORKER_MAX_AGE_S", "60"))
# /metrics answers 404 unless a token or an address list is set; with both, a scrape must pass both.
GOROD_METRICS_TOKEN = os.environ.get("GOROD_METRICS_TOKEN", "")
GOROD_METRICS_ALLOWED_IPS = [
    a.strip() for a in os.environ.get("GOROD_METRICS_ALLOWED_IPS", "").split(",") if a.strip()
]
# --- open data (/data/, docs/open-data.md) ----------------------------------------------------------
GOROD_OPEN_DATA_DIR = Path(os.environ.get("GOROD_OPEN_DATA_DIR", VAR_DIR / "open-data"))
GOROD_OPEN_DATA_LICENSE_NAME = os.environ.get("GOROD_OPEN_DATA_LICENSE_NAME", "CC BY 4.0")
GOROD_OPEN_DATA_LICENSE_URL = os.environ.get(
    "GOROD_OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
# --- text-in: comments by text message (consultations/textin, docs/deploy.md) ---------------------------
# The gateway that answers at /hooks/sms/<name>/ and sends the replies: "twilio" in production, "console"
# (replies printed by the worker) otherwise; "" turns text-in off (the webhook answers 404).
GOROD_SMS_GATEWAY = os.environ.get("GOROD_SMS_GATEWAY", "console").strip()
# The number residents text, as printed on the site signs (and Twilio's From when no messaging service).
GOROD_SMS_NUMBER = os.environ.get("GOROD_SMS_NUMBER", "+7 900 000-00-00").strip()
GOROD_TWILIO_ACCOUNT_SID = os.environ.get("GOROD_TWILIO_ACCOUNT_SID", "").strip()
GOROD_TWILIO_AUTH_TOKEN = os.environ.get("GOROD_TWILIO_AUTH_TOKEN", "").strip()
GOROD_TWILIO_MESSAGING_SERVICE_SID = os.environ.get("GOROD_TWILIO_MESSAGING_SERVICE_SID", "").strip()
# The webhook URL exactly as configured at Twilio (it is part of the signature); unset, the request's own.
GOROD_SMS_WEBHOOK_URL = os.environ.get("GOROD_SMS_WEBHOOK_URL", "").strip()
# How long a text message keeps its sender's number (days); the worker blanks it after.
GOROD_SMS_KEEP_NUMBERS_DAYS = int(os.environ.get("GOROD_SMS_KEEP_NUMBERS_DAYS", "180"))
