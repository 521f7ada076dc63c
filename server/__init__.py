"""Safety Zones: the Flask application factory."""

import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from server import config as config_module
from server import rate_store
from server.access_log import register_logging
from server.api import BLUEPRINTS
from server.api.accounts.sso import register_sso
from server.cli import register_commands
from server.compression import register_compression
from server.database import engine_options, normalise_url, read_until_writing, register_database
from server.extensions import api, csrf, db, limiter, login_manager, migrate
from server.i18n import translate
from server.pages import bp as pages
from server.problems import register_error_handlers
from server.security import register_security
from server.services.field.photo_store import register_photo_store
from server.services.insight.rollup import register_rollup
from server.services.loop.chain_anchor import register_anchor
from server.services.loop.search_index import register_search_index


def create_app(config=None):
    """Build the app: config → database → extensions → blueprints → error handlers → CLI."""
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    load_config(app, config)
    register_session_hooks(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def load_config(app, config):
    """A config class, or a mapping of overrides on top of the defaults (tests)."""
    if isinstance(config, Mapping):
        app.config.from_object(config_module.Config)
        app.config.update(config)
    else:
        app.config.from_object(config or config_module.Config)
    if config is None:
        app.config.from_prefixed_env()
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            config_module.database_url_from_environment() or app.config["SQLALCHEMY_DATABASE_URI"]
        )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    url = app.config["SQLALCHEMY_DATABASE_URI"] or f"sqlite:///{Path(app.instance_path) / 'safety.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_url(url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["RATELIMIT_STORAGE_URI"] = rate_store.storage_uri(app.config)
    app.config["PHOTO_DIR"] = app.config["PHOTO_DIR"] or str(Path(app.instance_path) / "photos")
    app.config["PWA_DIST"] = app.config["PWA_DIST"] or str(Path(app.root_path).parent / "pwa" / "dist")
    if app.config["ENVIRONMENT"] == "production":
        check_production(app.config)
    elif not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = development_secret_key(Path(app.instance_path))


def check_production(config):
    """Refuse to start with a guessable key or the debugger on (ASVS v5.0.0-13.4.2)."""
    key = config.get("SECRET_KEY") or ""
    if len(key) < 32:
        raise RuntimeError("production needs FLASK_SECRET_KEY: 32+ random characters")
    if config.get("DEBUG"):
        raise RuntimeError("production must not run with DEBUG")
    config_module.check_audit_key(config)


def development_secret_key(instance):
    """A random key kept in instance/, so development sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def register_session_hooks(app):
    """The database, and everything the app's session (db.session, and no other) does besides
    reading and writing rows, in one place. Its transactions keep the dashboard rollup and anchor
    the audit events they seal. On SQLite a request's transactions begin as readers (plain BEGIN)
    until the request guard (server/security.py) calls start_writing() for an unsafe method;
    commands and scripts write from the start (BEGIN IMMEDIATE)."""
    db.init_app(app)
    register_database(app)
    register_rollup(db.session)
    register_anchor(db.session)
    register_search_index(db.session)
    app.before_request(read_until_writing)  # first, ahead of the guard's reads


def register_extensions(app):
    register_logging(app)
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"  # "strong" signs phones out on Wi-Fi ↔ 4G
    csrf.init_app(app)
    register_rate_limits(app)
    register_photo_store(app)
    register_sso(app)
    api.init_app(app)
    register_security(app)
    register_compression(app)
    register_templating(app)


def register_rate_limits(app):
    limiter.init_app(app)
    # Registered after the limiter's own after_request hook, so Flask runs it before that one.
    app.after_request(end_transaction_before_counting)


def end_transaction_before_counting(response):
    """Flask-Limiter counts a guest report after its view, in its own after_request hook, through
    the rate store's own connection (server/rate_store.py). On SQLite that connection would wait
    out busy_timeout for the write lock that a refused view's transaction keeps until teardown:
    end the transaction first. A view that succeeded has committed; teardown would roll back the
    rest anyway."""
    if limiter.current_limits and db.session().in_transaction():
        db.session.rollback()
    return response


def register_templating(app):
    app.jinja_env.globals["t"] = translate
    app.jinja_env.globals["locale"] = app.config["DEFAULT_LOCALE"]


class IdConverter(IntegerConverter):
    """<int:…> in URLs: a database id, so anything past 2^31-1 is a plain 404, never an overflow."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - Werkzeug's signature
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def register_blueprints(app):
    app.url_map.converters["int"] = IdConverter
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(pages)
