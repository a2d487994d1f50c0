"""Which customers an advocate may act for, today (s3.2, s6.1; DESIGN.md "Beyond" 6)."""

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import AdvocateAuthority


def valid_authorities_for(advocate_user_id: int, today: dt.date) -> list[AdvocateAuthority]:
    """Authorities not revoked and not expired; the rest grant nothing."""
    return list(
        db.session.scalars(
            select(AdvocateAuthority)
            .where(AdvocateAuthority.advocate_user_id == advocate_user_id)
            .where(AdvocateAuthority.revoked_at.is_(None))
            .where(
                or_(AdvocateAuthority.expires_on.is_(None), AdvocateAuthority.expires_on >= today)
            )
            .options(selectinload(AdvocateAuthority.customer))
            .order_by(AdvocateAuthority.granted_at)
        )
    )
