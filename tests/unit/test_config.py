"""Configuration: safe defaults, environment variables, and refusals in production."""

import pytest

from portal import create_app
from portal.config import DEVELOPMENT_SECRET_KEY, ConfigurationError, load_config


def test_development_defaults_to_an_embedded_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    settings = load_config()
    assert settings["ENV_NAME"] == "development"
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["SQLALCHEMY_DATABASE_URI"].endswith("portal.sqlite3")


def test_environment_variables_are_read_when_the_app_is_created(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://portal@db.internal/portal")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "false")
    settings = load_config({"PORTAL_ENV": "development"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal@db.internal/portal"
    assert settings["MAIL_SERVER"] == "smtp.example.org"
    assert settings["MAIL_PORT"] == 2525
    assert settings["MAIL_USE_TLS"] is False


@pytest.mark.parametrize("secret", [None, DEVELOPMENT_SECRET_KEY, "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, secret):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    if secret:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"PORTAL_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_uses_secure_host_only_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    settings = load_config({"PORTAL_ENV": "production"})
    assert settings["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["LOAD_DEMO_DATA_ALLOWED"] is False


def test_unknown_environment_name_is_refused():
    with pytest.raises(ConfigurationError, match="PORTAL_ENV"):
        load_config({"PORTAL_ENV": "staging-ish"})


def test_production_password_hashing_meets_asvs_appendix_c():
    """ASVS 11.4.2: argon2id with t>=3 and m>=12 MiB (or stronger) in production."""
    from argon2 import PasswordHasher
    from argon2.low_level import Type

    settings = load_config({"PORTAL_ENV": "development"})
    assert settings["ARGON2_PARAMETERS"] is None  # argon2-cffi's defaults
    hasher = PasswordHasher()
    assert hasher.type is Type.ID
    assert hasher.time_cost >= 3 and hasher.memory_cost >= 12288
