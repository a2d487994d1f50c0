"""Demo data loads idempotently, and production refuses to start while it exists."""

import pytest
import sqlalchemy as sa

from portal.clock import today
from portal.config import ConfigurationError
from portal.demo import DEMO_ACCOUNTS, DemoDataRefused, load_demo_data
from portal.extensions import db
from portal.models import Customer, Restriction, User
from portal.models.vocab import RestrictionStatus
from tests.conftest import make_test_app


def counts():
    return {
        t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


def test_loading_twice_creates_nothing_the_second_time(app):
    assert load_demo_data(today(), allowed=True) > 0
    first = counts()
    assert load_demo_data(today(), allowed=True) == 0
    assert counts() == first
    assert first["users"] == len(DEMO_ACCOUNTS)


def test_the_demo_covers_the_situations_the_issue_asks_for(app):
    load_demo_data(today(), allowed=True)
    active = db.session.scalars(
        sa.select(Restriction).where(Restriction.status == RestrictionStatus.ACTIVE)
    ).all()
    assert any(0 <= (r.next_review_on - today()).days <= 14 for r in active), "review due soon"
    assert any(r.next_review_on < today() for r in active), "review overdue"
    customers = db.session.scalars(sa.select(Customer)).all()
    assert any(c.preferred_locale != "en" for c in customers)
    assert any(c.advocate_authorities for c in customers)
    from portal.models import Case

    with_case = set(db.session.scalars(sa.select(Case.customer_id)))
    assert any(c.id not in with_case for c in customers), "a customer with no case"
    for restriction in active:  # s3.5: never more than six months
        from portal.dates import add_months

        assert restriction.ends_on <= add_months(restriction.starts_on, 6)


def test_demo_data_is_refused_when_not_allowed(app):
    with pytest.raises(DemoDataRefused):
        load_demo_data(today(), allowed=False)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_production_refuses_to_start_while_demo_accounts_exist(app, tmp_path, monkeypatch):
    load_demo_data(today(), allowed=True)
    db.session.commit()
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(ConfigurationError, match="demo account"):
        make_test_app(url, tmp_path, PORTAL_ENV="production")


def test_production_starts_on_a_database_without_demo_accounts(app, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    production = make_test_app(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, PORTAL_ENV="production"
    )
    assert production.config["ENV_NAME"] == "production"
    with production.app_context():
        db.engine.dispose()
