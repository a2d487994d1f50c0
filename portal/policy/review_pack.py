"""The next version's review pack (s5.3, s5.4, s9; issue 17): the version in force, the
draft if there is one, and the feedback received since the version in force began with
what was done with each. No one's contact details: only whether they left any. As CSV at
once, and as a tagged PDF made by the job queue (portal.reports.exports)."""

import datetime as dt
from dataclasses import dataclass

from flask import render_template

from portal.clock import today
from portal.extensions import db
from portal.formatting import long_date
from portal.jobs import handler
from portal.models import PolicyFeedback, PolicyVersion
from portal.models.vocab import PolicyVersionStatus, label
from portal.pdf_ua import pdf_from_html
from portal.policy import feedback, versions
from portal.reports import exports
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

REVIEW_PACK_PDF = "policy.review_pack_pdf"
exports.describe(
    REVIEW_PACK_PDF,
    _l("The policy review pack as a PDF"),
    "policy.feedback_list",
    _l("Back to feedback on the policy"),
    _l("The PDF could not be prepared. Try again, or download the CSV instead."),
)


@dataclass
class ReviewPack:
    in_force: PolicyVersion | None
    draft: PolicyVersion | None
    since: dt.date | None
    items: list[PolicyFeedback]
    prepared_on: dt.date

    @property
    def considered(self) -> int:
        return sum(1 for item in self.items if item.outcome is not None)


def build(day: dt.date) -> ReviewPack:
    start = feedback.review_period_start(day)
    draft = db.session.scalar(
        db.select(PolicyVersion).where(PolicyVersion.status == PolicyVersionStatus.DRAFT)
    )
    return ReviewPack(versions.in_force_on(day), draft, start, feedback.since(start), day)


def csv_rows(pack: ReviewPack) -> list[list]:
    rows = [
        [
            _("Received"),
            _("Part of the policy"),
            _("From"),
            _("Left a way to reach them"),
            _("Feedback"),
            _("What was done"),
            _("Note"),
        ]
    ]
    for item in pack.items:
        rows.append(
            [
                long_date(item.received_at),
                str(feedback.SECTIONS.get(item.section, item.section)),
                label(item.given_by),
                _("No") if item.is_anonymous else _("Yes"),
                item.text,
                label(item.outcome) if item.outcome else _("Not yet considered"),
                item.outcome_note,
            ]
        )
    return rows


def pdf_html(pack: ReviewPack, html_lang: str) -> str:
    return render_template(
        "policy/review_pack.html",
        pack=pack,
        sections=feedback.SECTIONS,
        css=exports.report_css(),
        html_lang=html_lang,
    )


def _pdf_bytes(payload: dict) -> bytes:
    html = pdf_html(build(today()), payload["html_lang"])
    db.session.rollback()  # read: no transaction open while WeasyPrint works
    return pdf_from_html(html)


@handler(REVIEW_PACK_PDF)
def review_pack_pdf(payload: dict, job) -> None:
    """Build the PDF in the reader's language (exports.build_export)."""
    exports.build_export(payload, lambda: _pdf_bytes(payload))
