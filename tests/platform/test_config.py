"""Configuration: defaults, environment, and the production start-up checks."""

import pytest

from server import create_app


def test_production_refuses_a_missing_or_short_secret_key(tmp_path):
    for key in (None, "short"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(
                {"ENVIRONMENT": "production", "SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
            )


def test_production_refuses_debug():
    with pytest.raises(RuntimeError, match="DEBUG"):
        create_app(
            {
                "ENVIRONMENT": "production",
                "SECRET_KEY": "k" * 40,
                "DEBUG": True,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )


@pytest.mark.parametrize("audit_key", [None, "short", "k" * 40])  # the last is the SECRET_KEY itself
def test_production_refuses_a_missing_weak_or_shared_audit_key(audit_key):
    with pytest.raises(RuntimeError, match="AUDIT_KEY"):
        create_app(
            {
                "ENVIRONMENT": "production",
                "SECRET_KEY": "k" * 40,
                "AUDIT_KEY": audit_key,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_PUBLIC_BASE_URL", "https://aq.example.cn")
    monkeypatch.setenv("FLASK_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app()
    assert app.config["PUBLIC_BASE_URL"] == "https://aq.example.cn"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")


def test_postgres_urls_use_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1/db")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/db"


def test_development_key_is_random_and_kept_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    first, second = create_app(), create_app()
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
