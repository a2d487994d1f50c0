"""Production refuses to start without a real key for the audit chain (issue 14 item 8)."""

import pytest

from portal.config import DEVELOPMENT_AUDIT_KEY, ConfigurationError, load_config

SECRET = "s" * 48


@pytest.mark.parametrize("audit_key", [None, DEVELOPMENT_AUDIT_KEY, "too-short", SECRET])
def test_production_refuses_a_missing_weak_or_reused_audit_key(monkeypatch, audit_key):
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    if audit_key:
        monkeypatch.setenv("AUDIT_KEY", audit_key)
    with pytest.raises(ConfigurationError, match="AUDIT_KEY"):
        load_config({"PORTAL_ENV": "production"})


def test_production_takes_the_audit_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("AUDIT_KEY", "a" * 48)
    assert load_config({"PORTAL_ENV": "production"})["AUDIT_KEY"] == "a" * 48


def test_development_has_a_fixed_key_that_is_not_a_secret(monkeypatch):
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    assert load_config({"PORTAL_ENV": "development"})["AUDIT_KEY"] == DEVELOPMENT_AUDIT_KEY
