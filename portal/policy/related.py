"""The documents the policy names (s8 "Associated documents", and s3.2's Anti-Social
Behaviour Policy), with where each is published: one home for their names and links, set
by the admin or the policy's owner and shown on the public policy page."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.models import RelatedDocument
from portal.translations import lazy_gettext as _l

DOCUMENTS = {
    "complaints_policy": _l("Complaints Policy"),
    "complaint_handling_procedure": _l("Complaint Handling Procedure"),
    "bullying_and_harassment_policy": _l("Bullying and Harassment Policy"),
    "anti_social_behaviour_policy": _l("Anti-Social Behaviour Policy"),
}


@dataclass(frozen=True)
class Related:
    key: str
    name: object  # translatable
    url: str  # "" until the admin says where it is


class NotAWebAddress(ValueError):
    """Only an https address of a web page is linked from the public page."""


def related_documents() -> list[Related]:
    """Every associated document in the policy's order, with its address where set."""
    urls = dict(db.session.execute(select(RelatedDocument.key, RelatedDocument.url)).all())
    return [Related(key, name, urls.get(key, "")) for key, name in DOCUMENTS.items()]


def check_address(url: str) -> str:
    """An https address with a host, or "" (no link); anything else raises."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
        raise NotAWebAddress(url)
    return url


def save_addresses(addresses: dict[str, str], *, saved_by) -> None:
    """Set every document's address at once (checked by :func:`check_address`)."""
    checked = {key: check_address(addresses.get(key, "")) for key in DOCUMENTS}
    for key, url in checked.items():
        row = db.session.get(RelatedDocument, key)
        if row is None:
            db.session.add(RelatedDocument(key=key, url=url))
        else:
            row.url = url
    audit.record(
        "related_documents_save",
        actor=saved_by,
        details={"set": sorted(k for k, u in checked.items() if u)},
        commit=False,
    )
    db.session.commit()
