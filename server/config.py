"""Configuration: class defaults, overridden by FLASK_* environment variables."""

import os
from datetime import timedelta


class Config:
    """Defaults for development; every key can be set as FLASK_<KEY> in the environment."""

    ENVIRONMENT = "development"  # "production" turns on the start-up checks below
    SECRET_KEY = None  # development: generated once into instance/secret_key
    # The hazard history's HMAC key (services/loop/event_chain.py), kept out of the database so that whoever
    # can edit rows cannot re-seal them. Production: FLASK_AUDIT_KEY; development: from SECRET_KEY.
    AUDIT_KEY = None
    AUDIT_ANCHOR = None  # the chain heads outside the database; default: services/loop/chain_anchor.py
    SQLALCHEMY_DATABASE_URI = None  # default: SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # The photo store (services/field/photo_store.py): "local", the folder PHOTO_DIR, or "s3", a
    # bucket on an S3-compatible object store (MinIO, Ceph RGW, a cloud's); credentials from the
    # standard AWS_* environment variables, which boto3 reads itself.
    PHOTO_STORE = "local"
    PHOTO_DIR = None  # default: instance/photos
    PHOTO_S3_ENDPOINT_URL = None  # e.g. http://10.0.0.5:9000; None: AWS's own
    PHOTO_S3_BUCKET = None
    PHOTO_S3_REGION = None  # None: boto3's default (AWS_DEFAULT_REGION)
    PHOTO_S3_PATH_STYLE = False  # True for MinIO / Ceph RGW without wildcard DNS (host/bucket/key)
    # "stream": the app sends the bytes (README, "Photos on object storage", says why it is the
    # default); "redirect": a 302 to a presigned URL valid PHOTO_URL_SECONDS (bucket only).
    PHOTO_SERVE = "stream"
    PHOTO_URL_SECONDS = 60
    PWA_DIST = None  # default: pwa/dist, where `make pwa` builds the phone app
    PUBLIC_BASE_URL = "http://localhost:5000"  # what QR signs encode and messages link to
    # Outside notifications (services/platform/deliveries.py), sent by `flask notify deliver`.
    # E-mail goes through this server, as an Apprise URL: mailtos://user:pass@smtp.example.cn?from=…
    NOTIFY_SMTP_URL = None
    # A robot's requests elsewhere than the public service (a private DingTalk, a proxy), as
    # {"dingtalk": "https://…/robot/send?access_token={token}", "wecom": "…{key}", "feishu": "…{token}"}
    NOTIFY_ENDPOINTS = {}
    NOTIFY_MAX_ATTEMPTS = 8  # then the delivery is dead, for an admin to see and send again
    NOTIFY_LEASE_SECONDS = 120  # a worker's claim on a batch; a killed worker's rows return after it
    NOTIFY_POLL_SECONDS = 15  # how often a running worker looks for due deliveries
    TIMEZONE = "Asia/Shanghai"
    DEFAULT_LOCALE = "zh-CN"

    # A whole request body; JSON views are capped lower in server.security.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    DASHBOARD_CACHE = True  # false: compute every summary (the load benchmark's baseline)
    COMPRESS_MIN_BYTES = 1024  # JSON answers above this are gzipped for clients that accept it
    MAX_JSON_LENGTH = 256 * 1024
    # A request body must arrive within this many seconds plus one per REQUEST_BODY_MIN_RATE
    # bytes (10 s + 50 s for a 400 KB photo), else 408: a trickling client cannot hold a thread.
    REQUEST_BODY_TIMEOUT = 10
    REQUEST_BODY_MIN_RATE = 8 * 1024
    MAX_FORM_PARTS = 100
    PHOTO_DAILY_QUOTA = 1000  # uploads per user per 24 hours
    HAZARD_MIN_PHOTOS = 1  # report photos a hazard report needs

    # Sessions (DESIGN §9): secure flags, 7 days idle, 30 days absolute.
    SECURE_COOKIES = False  # True behind HTTPS: Secure + __Host- prefix
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_ABSOLUTE_LIFETIME = timedelta(days=30)
    REMEMBER_COOKIE_DURATION = timedelta(days=0)

    # CSRF (DESIGN §9): no time limit, or queued outbox items fail after an hour.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_HEADERS = ["X-CSRF-Token"]
    WTF_CSRF_CHECK_DEFAULT = False  # checked by server.security for API calls

    # Passwords: Argon2id with OWASP's first parameter set (DESIGN §9).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19456
    ARGON2_PARALLELISM = 1
    PASSWORD_MIN_LENGTH = 8

    # Rate limits (Flask-Limiter). "database://": counted in the app's own database, so every
    # process and host on it shares one count (server/rate_store.py; fixed windows only); a
    # large scale-out sets redis://… instead. memory:// would count per process.
    RATELIMIT_STORAGE_URI = "database://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    # A store that fails (Redis down) lets the request through, logged, as server/rate_store.py
    # does for the database: the limits bound abuse, they guard no safety rule; /health says 503.
    RATELIMIT_SWALLOW_ERRORS = True
    # Failed sign-ins (kept in the database, shared by every process): from the Nth failure the
    # account or address is locked, 1 minute doubling up to 1 hour; failures fade after the window.
    LOGIN_LOCK_AFTER_PER_USERNAME = 5
    LOGIN_LOCK_AFTER_PER_ADDRESS = 100
    LOGIN_LOCK_SECONDS = 60
    LOGIN_LOCK_MAX_SECONDS = 3600
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    # Single sign-on through the company's identity platform (OpenID Connect; README, "Single
    # sign-on"). Off while OIDC_METADATA_URL is None. The app's redirect URI there is
    # PUBLIC_BASE_URL + /api/v1/auth/sso/callback; after the provider's sign-out it comes back to /.
    OIDC_METADATA_URL = None  # the discovery document: <issuer>/.well-known/openid-configuration
    OIDC_CLIENT_ID = None
    OIDC_CLIENT_SECRET = None
    OIDC_SCOPES = "openid profile"
    OIDC_USERNAME_CLAIM = "preferred_username"  # matched to the username (工号), case aside
    OIDC_NAME_CLAIM = "name"  # a just-in-time account's display name
    OIDC_CREATE_USERS = False  # just-in-time accounts for people the app does not know yet
    OIDC_DEFAULT_ROLE = "worker"  # … with this role
    OIDC_UNIT_CLAIM = "unit"  # … in the unit whose code this claim holds
    OIDC_BUTTON_LABEL = None  # None: the catalog's 用公司账号登录
    # … or through CAS 2/3 (python-cas), never both. Off while CAS_SERVER_URL is None. The service
    # URL to allow there: PUBLIC_BASE_URL + /api/v1/auth/cas/callback (with a ?next= query).
    CAS_SERVER_URL = None  # the CAS server's base, ending in "/": https://cas.example.cn/cas/
    CAS_VERSION = 3  # 3: /p3/serviceValidate with attributes; 2: /serviceValidate
    CAS_NAME_ATTRIBUTE = "name"  # a just-in-time account's display name (the CAS user is the 工号)
    CAS_CREATE_USERS = False  # just-in-time accounts, as OIDC_CREATE_USERS
    CAS_DEFAULT_ROLE = "worker"  # … with this role
    CAS_UNIT_ATTRIBUTE = "unit"  # … in the unit whose code this attribute holds
    CAS_BUTTON_LABEL = None  # None: the catalog's 用公司账号登录
    # False: only admins sign in with a password (the break-glass way in when the provider is down).
    PASSWORD_LOGIN = True
    # The public zone board and guest reports (访客上报), open to anyone who scans a sign.
    PUBLIC_HEAD_NAMES = False  # show the zone head's name on the public board (company's choice)
    GUEST_REPORT_LIMIT_PER_ADDRESS = "5 per hour"
    GUEST_REPORT_LIMIT_PER_ZONE = "30 per day"
    GUEST_PHOTOS_MAX = 3
    PUBLIC_LIMIT_PER_ADDRESS = "300 per hour"  # board and receipt look-ups
    # The monthly scorecard (一体化考核): points per counted record (see services/party/scorecards.py).
    SCORE_WEIGHTS = {
        "found_general": 1.0,
        "found_major": 3.0,
        "fixed_on_time": 2.0,
        "fixed_late": 0.5,
        "overdue_day": -0.2,
        "patrol_done": 1.0,
        "patrol_missed": -1.0,
        "checkin_day": 0.2,
        "party_day": 2.0,
        "rejected_report": -0.5,
    }
    PROXY_FIX = False  # True only behind nginx, which sets X-Forwarded-*

    API_TITLE = "Safety Zones API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"


def database_url_from_environment():
    """DATABASE_URL is accepted besides FLASK_SQLALCHEMY_DATABASE_URI (12-factor habit)."""
    return os.environ.get("DATABASE_URL")


def check_audit_key(config):
    """The production audit key: 32+ characters and not the SECRET_KEY, so that rotating the
    session key never breaks the history's seals and one leaked key does not give away both."""
    key = config.get("AUDIT_KEY") or ""
    if len(key) < 32 or key == config.get("SECRET_KEY"):
        raise RuntimeError("production needs FLASK_AUDIT_KEY: 32+ random characters, not the SECRET_KEY")
    return key
