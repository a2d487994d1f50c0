"""What the restriction page shows and what its viewer may do there, decided here so the
template only displays (STYLE.md: templates display, they do not decide)."""

from dataclasses import dataclass

from portal import special_category
from portal.models import Restriction
from portal.models.vocab import RestrictionStatus as Status
from portal.models.vocab import ReviewOutcome, Role
from portal.plain_words import describe_restriction
from portal.restrictions import rules, services
from portal.restrictions.evidence import evidence_for


@dataclass(frozen=True)
class ViewerMay:
    """The actions the page offers this viewer."""

    decide: bool  # approve or reject a proposal (s3.4)
    decide_but_proposed_it: bool  # a review manager who proposed it: someone else decides
    review: bool  # hold the quarterly or six-monthly review (s3.4)
    propose_variation: bool  # after a review that said "vary" (s3.4)
    finish_variation: bool  # a review manager who decided "vary" writes the change (s3.4)


def may_vary_at_review(viewer, restriction: Restriction | None) -> bool:
    """A review manager writes the change they decided at a review still open (s3.4)."""
    return (
        restriction is not None
        and viewer.has_role(Role.REVIEW_MANAGER)
        and restriction.status in services.REVIEWABLE
        and services.variation_started(restriction) is not None
    )


def viewer_may(restriction: Restriction, viewer) -> ViewerMay:
    is_manager = viewer.has_role(Role.REVIEW_MANAGER)
    waiting = restriction.status == Status.PROPOSED and is_manager
    try:
        rules.check_approver(restriction.proposed_by_id, viewer.id)
        own_proposal = False
    except rules.SelfApproval:
        own_proposal = True
    last_review = restriction.reviews[-1] if restriction.reviews else None
    return ViewerMay(
        decide=waiting and not own_proposal,
        decide_but_proposed_it=waiting and own_proposal,
        review=is_manager and restriction.status in (Status.ACTIVE, Status.EXPIRED),
        propose_variation=(
            restriction.status == Status.ACTIVE
            and viewer.has_role(Role.CASE_OFFICER)
            and last_review is not None
            and last_review.outcome == ReviewOutcome.VARY
            and last_review.held_on is not None
        ),
        finish_variation=may_vary_at_review(viewer, restriction),
    )


def build_restriction_page_context(restriction: Restriction, viewer, reject_form) -> dict:
    """The page's context: the restriction in plain words, its clashes with recorded needs
    (computed once, s6.1), what the viewer may do, and whether they may read the needs
    considered (need to know, portal.special_category), and for a review manager deciding
    a proposal, the evidence on the case (portal.restrictions.evidence). Shared by ``show``
    and ``reject``."""
    customer = restriction.case.customer
    may = viewer_may(restriction, viewer)
    deciding = may.decide or may.decide_but_proposed_it
    return {
        "restriction": restriction,
        "sentences": describe_restriction(restriction),
        "conflicts": services.conflicts_of(restriction),
        "reject_form": reject_form,
        "customer": customer,
        "may": may,
        # The approver decides on the evidence (s3.4, issue 15 item 6).
        "evidence": evidence_for(restriction.case_id) if deciding else None,
        "special_category": special_category.shown_to(viewer, customer, page="restriction"),
    }
