"""Django settings of the CAS server the CAS sign-on tests run against (django-cas-server,
pinned in requirements-dev.txt; started by tests/cas_server.py). Its database is a SQLite file
in the test's temporary directory, named by the environment."""

import os
from pathlib import Path

SECRET_KEY = "cas-test-server-only-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - a test server's
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cas_server",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.cas.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["CAS_TEST_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
STATIC_URL = "/static/"
# The people are Django users; their fields are the attributes the service pattern releases.
CAS_AUTH_CLASS = "cas_server.auth.DjangoAuthUser"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
# The packaged pages take CSS and scripts from CDNs, and the login page's script needs them: a
# browser test loads nothing from outside, and its phone counts a script error as a failure.
CAS_LOGIN_TEMPLATE = "cas_login.html"
CAS_COMPONENT_URLS = dict.fromkeys(
    ("bootstrap3_css", "bootstrap3_js", "html5shiv", "respond", "bootstrap4_css", "bootstrap4_js", "jquery"),
    "/no-outside-assets",
)
