"""Fixtures: a migrated database per test (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), an app on it, clients that sign in and send the CSRF header, and plain factories."""

import os
import shutil
from types import CodeType, SimpleNamespace

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from server import create_app
from server.database import normalise_url
from server.extensions import db
from server.models.accounts.users import User
from server.models.base import Base
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.accounts import passwords
from tests.live_server import Server
from tests.object_store import CREDENTIALS, MotoServer

PASSWORD = "correct-horse-battery"
TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "RATELIMIT_ENABLED": False,
    "PUBLIC_BASE_URL": "https://safety.example.cn",
}
ENGINES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _names_live_server(function):
    """Whether the function's code, its nested functions included, names tests.live_server.Server."""
    codes = [function.__code__] if hasattr(function, "__code__") else []
    while codes:
        code = codes.pop()
        if any(getattr(function, "__globals__", {}).get(name) is Server for name in code.co_names):
            return True
        codes += [const for const in code.co_consts if isinstance(const, CodeType)]
    return False


def pytest_collection_modifyitems(config, items):
    """`slow` (left out by `make test-fast`): a test that starts the real server (its body or one of
    its fixtures names tests.live_server.Server) or is driven by Hypothesis. The browser tests are
    marked in tests/e2e/conftest.py; other slow modules carry a `pytestmark`. A `one_engine` test
    runs once, on SQLite: a second engine would repeat the same minutes and prove nothing more."""
    repeated = [i for i in items if i.get_closest_marker("one_engine") and _engine(i) == "postgresql"]
    if repeated:
        config.hook.pytest_deselected(items=repeated)
        items[:] = [item for item in items if item not in repeated]
    for item in items:
        function = getattr(item, "function", None)
        if function is None:
            continue
        fixtures = [d.func for defs in item._fixtureinfo.name2fixturedefs.values() for d in defs]
        if getattr(function, "is_hypothesis_test", False) or any(
            _names_live_server(f) for f in [function, *fixtures]
        ):
            item.add_marker(pytest.mark.slow)


def _engine(item):
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("database") if callspec else None


def _migrate(url, tmp_path):
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url, "PHOTO_DIR": str(tmp_path)})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _reset_postgresql(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=ENGINES)
def database(request, tmp_path_factory):
    """A migrated template: a SQLite file copied per test, or the PostgreSQL test database."""
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'template.db'}"
    else:
        url = normalise_url(os.environ["TEST_DATABASE_URL"])
        _reset_postgresql(url)
    _migrate(url, tmp)
    return SimpleNamespace(engine=request.param, url=url, template=tmp / "template.db")


def _empty_postgresql(url):
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as connection:
        # Replica mode skips the append-only triggers, which refuse TRUNCATE by design.
        connection.execute(text("SET session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def fresh_database_url(database, directory):
    """An empty migrated database: a copy of the SQLite template, or PostgreSQL truncated."""
    if database.engine == "sqlite":
        shutil.copy(database.template, directory / "test.db")
        return f"sqlite:///{directory / 'test.db'}"
    _empty_postgresql(database.url)
    return database.url


def build_app(database_url, directory, **settings):
    app = create_app(
        {
            **TEST_SETTINGS,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PHOTO_DIR": str(directory / "photos"),
            "AUDIT_ANCHOR": str(directory / "audit-anchor.log"),  # one per test database
            **settings,
        }
    )
    app.test_client_class = ApiClient
    return app


def dispose(app):
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def database_url(database, tmp_path):
    return fresh_database_url(database, tmp_path)


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the test database with extra settings (e.g. rate limits on)."""
    apps = []

    def build(**settings):
        apps.append(build_app(database_url, tmp_path, **settings))
        return apps[-1]

    yield build
    for app in apps:
        dispose(app)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on loopback, one for the session; boto3 finds its credentials in the
    environment (AWS_*), as in production."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in CREDENTIALS.items():
            patch.setenv(name, value)
        server = MotoServer().start()
        yield server
        server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    """App settings that put the photo store in a fresh bucket of the S3 server."""
    return s3_server.new_bucket()


@pytest.fixture(params=["local", "s3"])
def photo_store_settings(request):
    """The photo store's two backends, for tests that run on both: {} is the folder (default)."""
    return request.getfixturevalue("s3_bucket") if request.param == "s3" else {}


class ApiClient(FlaskClient):
    """A browser-like client: keeps the cookie and sends the CSRF token on unsafe methods."""

    csrf_token = None

    def open(self, *args, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if self.csrf_token and method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRF-Token", self.csrf_token)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def login(self, username, password=PASSWORD):
        response = self.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        self.csrf_token = response.get_json()["csrf_token"]
        return response


class Factory:
    """Plain factory functions with defaults; each commits and returns plain values."""

    def __init__(self, app):
        self.app = app
        self.count = 0

    def _next(self):
        self.count += 1
        return self.count

    def _save(self, obj):
        with self.app.app_context():
            db.session.add(obj)
            db.session.commit()
            return SimpleNamespace(**{c.key: getattr(obj, c.key) for c in obj.__table__.columns})

    def unit(self, code=None, name="Unit", parent_id=None):
        return self._save(Unit(code=code or f"U{self._next()}", name=name, parent_id=parent_id))

    def user(self, role="worker", unit_id=None, username=None, party=None, active=True, password=PASSWORD):
        with self.app.app_context():
            password_hash = passwords.hash_password(password)
        user = self._save(
            User(
                username=username or f"{role}{self._next()}",
                name=f"Name of {role}",
                role=role,
                unit_id=unit_id or self.unit().id,
                is_party_member=role == "zone_head" if party is None else party,
                password_hash=password_hash,
                active=active,
            )
        )
        user.password = password
        return user

    def zone(self, unit_id, head_id, **fields):
        number = self._next()
        return self._save(
            Zone(code=f"Z-{number}", name=f"Zone {number}", unit_id=unit_id, head_id=head_id, **fields)
        )

    def post(self, unit_id, holder_id, **fields):
        number = self._next()
        return self._save(
            Post(code=f"P-{number}", name=f"Post {number}", unit_id=unit_id, holder_id=holder_id, **fields)
        )


@pytest.fixture
def factory(app):
    return Factory(app)


@pytest.fixture
def world(factory):
    return build_world(factory)


def build_world(factory):
    """A company with two teams; each team has a user of every role, a zone and a post."""
    company = factory.unit("CO", "Company")
    teams = [factory.unit(code, name, company.id) for code, name in (("A", "Team A"), ("B", "Team B"))]
    people = {}
    for team in teams:
        for role in ("worker", "zone_head", "supervisor"):
            people[(role, team.code)] = factory.user(role, team.id, username=f"{role}-{team.code}".lower())
    people[("admin", "CO")] = factory.user("admin", company.id, username="admin")
    zones = {t.code: factory.zone(t.id, people[("zone_head", t.code)].id) for t in teams}
    posts = {
        t.code: factory.post(t.id, people[("zone_head", t.code)].id, zone_id=zones[t.code].id) for t in teams
    }
    return SimpleNamespace(company=company, teams=teams, people=people, zones=zones, posts=posts)


@pytest.fixture
def login_as(app, world):
    """login_as("worker") → a signed-in client for that role in team A (admin: the company)."""

    def sign_in(role, team="A"):
        user = world.people[(role, "CO" if role == "admin" else team)]
        client = app.test_client()
        client.login(user.username, user.password)
        return client

    return sign_in


def assert_problem(response, status, type_suffix=None):
    """Every error: problem+json with the status, a title and a detail; no traceback."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    if type_suffix:
        assert body["type"].endswith(":" + type_suffix), body["type"]
    return body
