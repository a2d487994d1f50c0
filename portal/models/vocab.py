"""The domain's fixed vocabularies, each traced to the policy section it comes from.

Section numbers refer to ``docs/policy/managed-behaviour-policy.txt``. Values are
stored in the database, so they never change once released; labels are translatable and
live in ``LABELS`` (read through :func:`label`).
"""

from enum import StrEnum

from portal.translations import lazy_gettext as _l


class FeedbackFrom(StrEnum):
    """Who gave feedback on the policy (s5.3: customers, colleagues and service users)."""

    CUSTOMER = "customer"
    ADVOCATE = "advocate"  # family, friend or support worker acting for a customer
    COLLEAGUE = "colleague"
    SOMEONE_ELSE = "someone_else"


class FeedbackOutcome(StrEnum):
    """What the policy's owner did with a piece of feedback (s5.3)."""

    NO_CHANGE = "no_change"
    NEXT_VERSION = "next_version"  # a change in the next version
    ANSWERED = "answered"


class PolicyVersionStatus(StrEnum):
    """A policy version is drafted, then published to be in force from a date (s9)."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Role(StrEnum):
    """Who someone is to the portal (DESIGN.md, "Who uses it")."""

    CUSTOMER = "customer"
    ADVOCATE = "advocate"
    CASE_OFFICER = "case_officer"
    REVIEW_MANAGER = "review_manager"  # Service Delivery Manager – Customer Experience, s3.4
    APPEALS_DIRECTOR = "appeals_director"  # Service Director – Customer Operations, s3.4, s4
    COMMUNITY_SAFETY = "community_safety"  # Community Safety Team, s3.2
    LEADERSHIP = "leadership"  # s5.1
    ADMIN = "admin"
    # Data protection and records staff: customer import, subject access, retention. Its own
    # role, not the admin's: the admin manages accounts and sees no case content, while a
    # subject access export holds everything about a customer (UK GDPR Art. 15; DESIGN.md).
    DATA_STEWARD = "data_steward"


STAFF_ROLES = frozenset(
    {
        Role.CASE_OFFICER,
        Role.REVIEW_MANAGER,
        Role.APPEALS_DIRECTOR,
        Role.COMMUNITY_SAFETY,
        Role.LEADERSHIP,
        Role.ADMIN,
        Role.DATA_STEWARD,
    }
)


class BehaviourType(StrEnum):
    """The eight kinds of unacceptable behaviour listed in s3.1."""

    UNREASONABLE_DEMANDS = "unreasonable_demands"
    UNREASONABLE_PERSISTENCE = "unreasonable_persistence"
    REFUSING_RESOLUTION = "refusing_resolution"
    OFFENSIVE_LANGUAGE = "offensive_language"
    VERBAL_ABUSE_OR_VIOLENCE = "verbal_abuse_or_violence"
    CONTACT_OVERLOAD = "contact_overload"
    HARASSMENT = "harassment"
    SERIOUS_BREACH_OF_RULES = "serious_breach_of_rules"


# s3.2: "Where verbal abuse, threats, or violence is involved, this will be passed to the
# Community Safety Team". Threatening language (s3.1, fourth bullet) counts as threats.
COMMUNITY_SAFETY_BEHAVIOURS = frozenset(
    {BehaviourType.OFFENSIVE_LANGUAGE, BehaviourType.VERBAL_ABUSE_OR_VIOLENCE}
)


class ContactChannel(StrEnum):
    """How a customer contacts the landlord (s3.1 "letters, calls, e-mails or social media")."""

    WRITING = "writing"
    EMAIL = "email"
    TELEPHONE = "telephone"
    IN_PERSON = "in_person"
    SOCIAL_MEDIA = "social_media"
    ONLINE = "online"


# s3.2: "Limiting contact to a single form – in writing, by e-mail or telephone".
RESTRICTABLE_CHANNELS = (ContactChannel.WRITING, ContactChannel.EMAIL, ContactChannel.TELEPHONE)


class InformalStepKind(StrEnum):
    """Informal ways of resolving behaviour before any restriction (s3.2, s3.3)."""

    CONVERSATION = "conversation"
    WARNING = "warning"
    SUPPORT_REFERRAL = "support_referral"


class RestrictionOption(StrEnum):
    """The options for managing contact listed in s3.2."""

    SINGLE_POINT_OF_CONTACT = "single_point_of_contact"
    ADVOCATE_OFFERED = "advocate_offered"
    SINGLE_CHANNEL = "single_channel"
    SET_TIMES = "set_times"
    CONTACT_LIMIT = "contact_limit"
    COMPLAINT_DECLINED = "complaint_declined"
    PREMISES_BARRED = "premises_barred"


class RestrictionStatus(StrEnum):
    """Life of a restriction: proposed, approved by the review manager (s3.4), then ended."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    REJECTED = "rejected"
    LIFTED = "lifted"
    EXPIRED = "expired"
    OVERTURNED = "overturned"
    SUPERSEDED = "superseded"


CURRENT_RESTRICTION_STATUSES = frozenset({RestrictionStatus.PROPOSED, RestrictionStatus.ACTIVE})


class ReviewFrequency(StrEnum):
    """s3.4: restrictions are reviewed "on a quarterly or six monthly basis"."""

    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six_monthly"


REVIEW_FREQUENCY_MONTHS = {ReviewFrequency.QUARTERLY: 3, ReviewFrequency.SIX_MONTHLY: 6}

# s3.5: restrictions "will not exceed a period of six months".
MAX_RESTRICTION_MONTHS = 6


class QuotaPeriod(StrEnum):
    """s3.2: "a limited number of times per week or per month"."""

    WEEK = "week"
    MONTH = "month"


class ReviewOutcome(StrEnum):
    """s3.4: lift if behaviour improved, otherwise keep (with reasons and how long), or vary."""

    LIFT = "lift"
    VARY = "vary"
    KEEP = "keep"


class EscalationKind(StrEnum):
    """The extreme steps of s3.3."""

    END_DIRECT_CONTACT = "end_direct_contact"
    LEGAL_ACTION_ON_TENANCY = "legal_action_on_tenancy"
    POLICE = "police"


class ChallengeStatus(StrEnum):
    """Where an appeal or reconsideration request has got to, as the customer sees it."""

    RECEIVED = "received"
    BEING_CONSIDERED = "being_considered"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


# An appeal or request still waiting for its decision (s3.4, s4).
OPEN_CHALLENGE_STATUSES = (ChallengeStatus.RECEIVED, ChallengeStatus.BEING_CONSIDERED)


class AppealDecision(StrEnum):
    """s3.4: the appeals director reviews the restriction or refusal and its length."""

    UPHOLD = "uphold"
    VARY = "vary"
    OVERTURN = "overturn"


class ReconsiderationGround(StrEnum):
    """The two grounds of s4."""

    CHANGE_IN_CIRCUMSTANCES = "change_in_circumstances"
    FACTUAL_ERROR = "factual_error"


class ReconsiderationDecision(StrEnum):
    """s4: change the restriction, or route the complaint to the complaints process."""

    CHANGE_RESTRICTION = "change_restriction"
    ROUTE_TO_COMPLAINTS = "route_to_complaints"
    NO_CHANGE = "no_change"


class LetterKind(StrEnum):
    """Every decision is "communicated in writing to the customer" (s3.2)."""

    INFORMAL_WARNING = "informal_warning"
    RESTRICTION_NOTICE = "restriction_notice"
    REVIEW_OUTCOME = "review_outcome"
    RESTRICTION_ENDED = "restriction_ended"
    APPEAL_ACKNOWLEDGEMENT = "appeal_acknowledgement"
    APPEAL_DECISION = "appeal_decision"
    RECONSIDERATION_ACKNOWLEDGEMENT = "reconsideration_acknowledgement"
    RECONSIDERATION_DECISION = "reconsideration_decision"
    COMPLAINT_REFUSAL = "complaint_refusal"


class LetterFormat(StrEnum):
    """Formats for those with visual, literacy or language difficulties (s6.5)."""

    HTML = "html"
    PDF = "pdf"
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    PLAIN_TEXT = "plain_text"
    AUDIO = "audio"
    BRAILLE = "braille"


class LetterStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    SUPERSEDED = "superseded"


class AdvocateRelationship(StrEnum):
    """s3.2, s6.1: "a family member, friend, or support worker"."""

    FAMILY_MEMBER = "family_member"
    FRIEND = "friend"
    SUPPORT_WORKER = "support_worker"


class ReferralKind(StrEnum):
    COMMUNITY_SAFETY = "community_safety"  # s3.2, ASB policy
    SUPPORT = "support"  # s3.3 support referral
    MULTI_AGENCY = "multi_agency"  # s6.2


class ReferralStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class ContactFinding(StrEnum):
    """What the portal concluded when a contact from a restricted customer was logged."""

    NO_RESTRICTION = "no_restriction"
    WITHIN_RESTRICTION = "within_restriction"
    WRONG_CHANNEL = "wrong_channel"
    OUTSIDE_PERMITTED_TIMES = "outside_permitted_times"
    OVER_LIMIT = "over_limit"
    NOT_VIA_SINGLE_POINT_OF_CONTACT = "not_via_single_point_of_contact"
    PREMISES_BARRED = "premises_barred"
    EMERGENCY = "emergency"  # always accepted (DESIGN.md "Beyond" 1)
    NEW_COMPLAINT = "new_complaint"  # always accepted


class AgeBand(StrEnum):
    UNDER_25 = "under_25"
    FROM_25_TO_34 = "25_34"
    FROM_35_TO_44 = "35_44"
    FROM_45_TO_54 = "45_54"
    FROM_55_TO_64 = "55_64"
    FROM_65_TO_74 = "65_74"
    FROM_75 = "75_plus"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


# Keyed by (vocabulary, value): two vocabularies may share a value ("premises_barred" is a
# restriction option and a contact finding), and StrEnum members with equal values are
# equal dict keys, so one label silently replaced the other.
LABELS = {
    (type(member), member.value): text
    for member, text in (
        (Role.CUSTOMER, _l("Customer")),
        (Role.ADVOCATE, _l("Advocate")),
        (Role.CASE_OFFICER, _l("Case officer")),
        (Role.REVIEW_MANAGER, _l("Review manager")),
        (Role.APPEALS_DIRECTOR, _l("Appeals director")),
        (Role.COMMUNITY_SAFETY, _l("Community Safety")),
        (Role.LEADERSHIP, _l("Leadership")),
        (Role.ADMIN, _l("Administrator")),
        (Role.DATA_STEWARD, _l("Data steward")),
        (FeedbackFrom.CUSTOMER, _l("A customer")),
        (FeedbackFrom.ADVOCATE, _l("Someone acting for a customer")),
        (FeedbackFrom.COLLEAGUE, _l("A colleague")),
        (FeedbackFrom.SOMEONE_ELSE, _l("Someone else")),
        (FeedbackOutcome.NO_CHANGE, _l("No change")),
        (FeedbackOutcome.NEXT_VERSION, _l("A change in the next version")),
        (FeedbackOutcome.ANSWERED, _l("Answered")),
        (PolicyVersionStatus.DRAFT, _l("Draft")),
        (PolicyVersionStatus.PUBLISHED, _l("Published")),
        (BehaviourType.UNREASONABLE_DEMANDS, _l("Unreasonable demands")),
        (BehaviourType.UNREASONABLE_PERSISTENCE, _l("Unreasonable persistence")),
        (BehaviourType.REFUSING_RESOLUTION, _l("Refusing to allow a resolution")),
        (BehaviourType.OFFENSIVE_LANGUAGE, _l("Offensive or threatening behaviour or language")),
        (BehaviourType.VERBAL_ABUSE_OR_VIOLENCE, _l("Verbal abuse, aggression or violence")),
        (BehaviourType.CONTACT_OVERLOAD, _l("Overload of letters, calls, emails or messages")),
        (BehaviourType.HARASSMENT, _l("Repeated distressing behaviour or harassment")),
        (BehaviourType.SERIOUS_BREACH_OF_RULES, _l("Serious breach of rules or safeguarding")),
        (ContactChannel.WRITING, _l("In writing")),
        (ContactChannel.EMAIL, _l("Email")),
        (ContactChannel.TELEPHONE, _l("Telephone")),
        (ContactChannel.IN_PERSON, _l("In person")),
        (ContactChannel.SOCIAL_MEDIA, _l("Social media")),
        (ContactChannel.ONLINE, _l("Online")),
        (InformalStepKind.CONVERSATION, _l("Conversation")),
        (InformalStepKind.WARNING, _l("Informal warning")),
        (InformalStepKind.SUPPORT_REFERRAL, _l("Support referral")),
        (RestrictionOption.SINGLE_POINT_OF_CONTACT, _l("Single point of contact")),
        (RestrictionOption.ADVOCATE_OFFERED, _l("Advocate offered")),
        (RestrictionOption.SINGLE_CHANNEL, _l("One way of contacting us")),
        (RestrictionOption.SET_TIMES, _l("Contact at set times")),
        (RestrictionOption.CONTACT_LIMIT, _l("Limited number of contacts")),
        (RestrictionOption.COMPLAINT_DECLINED, _l("Complaint no longer considered")),
        (RestrictionOption.PREMISES_BARRED, _l("Not to attend offices, hubs or events")),
        (RestrictionStatus.PROPOSED, _l("Waiting for approval")),
        (RestrictionStatus.ACTIVE, _l("In place")),
        (RestrictionStatus.REJECTED, _l("Not approved")),
        (RestrictionStatus.LIFTED, _l("Lifted")),
        (RestrictionStatus.EXPIRED, _l("Ended")),
        (RestrictionStatus.OVERTURNED, _l("Overturned on appeal")),
        (RestrictionStatus.SUPERSEDED, _l("Replaced")),
        (ReviewFrequency.QUARTERLY, _l("Every 3 months")),
        (ReviewFrequency.SIX_MONTHLY, _l("Every 6 months")),
        (ChallengeStatus.RECEIVED, _l("Received")),
        (ChallengeStatus.BEING_CONSIDERED, _l("Being considered")),
        (ChallengeStatus.DECIDED, _l("Decided")),
        (ChallengeStatus.WITHDRAWN, _l("Withdrawn")),
        (AppealDecision.UPHOLD, _l("Uphold: the decision stands")),
        (AppealDecision.VARY, _l("Vary: change the decision or how long it lasts")),
        (AppealDecision.OVERTURN, _l("Overturn: the decision is cancelled")),
        (ReconsiderationDecision.CHANGE_RESTRICTION, _l("Change the restriction")),
        (
            ReconsiderationDecision.ROUTE_TO_COMPLAINTS,
            _l("Route the complaint to the complaints process"),
        ),
        (ReconsiderationDecision.NO_CHANGE, _l("No change")),
        (AdvocateRelationship.FAMILY_MEMBER, _l("Family member")),
        (AdvocateRelationship.FRIEND, _l("Friend")),
        (AdvocateRelationship.SUPPORT_WORKER, _l("Support worker")),
        (EscalationKind.END_DIRECT_CONTACT, _l("Ending direct contact")),
        (EscalationKind.LEGAL_ACTION_ON_TENANCY, _l("Legal action on the tenancy")),
        (EscalationKind.POLICE, _l("Involving the police")),
        (ReviewOutcome.LIFT, _l("Lift the restriction")),
        (ReviewOutcome.VARY, _l("Change the restriction")),
        (ReviewOutcome.KEEP, _l("Keep the restriction")),
        (QuotaPeriod.WEEK, _l("Week (Monday to Sunday)")),
        (QuotaPeriod.MONTH, _l("Calendar month")),
        (ReferralKind.COMMUNITY_SAFETY, _l("Community Safety")),
        (ReferralKind.SUPPORT, _l("Support")),
        (ReferralKind.MULTI_AGENCY, _l("Multi-agency")),
        (ReferralStatus.OPEN, _l("Waiting to be accepted")),
        (ReferralStatus.ACCEPTED, _l("Accepted")),
        (ReferralStatus.CLOSED, _l("Closed")),
        (ContactFinding.NO_RESTRICTION, _l("No restriction applies")),
        (ContactFinding.WITHIN_RESTRICTION, _l("Within the restriction")),
        (ContactFinding.WRONG_CHANNEL, _l("Not the permitted way of contacting us")),
        (ContactFinding.OUTSIDE_PERMITTED_TIMES, _l("Outside the permitted days or times")),
        (
            ContactFinding.OVER_LIMIT,
            _l("Over the contact limit: routed to the single point of contact"),
        ),
        (
            ContactFinding.NOT_VIA_SINGLE_POINT_OF_CONTACT,
            _l("Not through the single point of contact"),
        ),
        (ContactFinding.PREMISES_BARRED, _l("At premises the customer is barred from")),
        (ContactFinding.EMERGENCY, _l("Emergency: always accepted")),
        (ContactFinding.NEW_COMPLAINT, _l("New complaint: always accepted")),
        (LetterKind.INFORMAL_WARNING, _l("Informal warning")),
        (LetterKind.RESTRICTION_NOTICE, _l("Restriction notice")),
        (LetterKind.REVIEW_OUTCOME, _l("Review outcome")),
        (LetterKind.RESTRICTION_ENDED, _l("Restriction ended")),
        (LetterKind.APPEAL_ACKNOWLEDGEMENT, _l("Appeal acknowledgement")),
        (LetterKind.APPEAL_DECISION, _l("Appeal decision")),
        (LetterKind.RECONSIDERATION_ACKNOWLEDGEMENT, _l("Reconsideration acknowledgement")),
        (LetterKind.RECONSIDERATION_DECISION, _l("Reconsideration decision")),
        (LetterKind.COMPLAINT_REFUSAL, _l("Complaint refusal")),
        (LetterFormat.HTML, _l("Web page")),
        (LetterFormat.PDF, _l("PDF")),
        (LetterFormat.LARGE_PRINT, _l("Large print")),
        (LetterFormat.EASY_READ, _l("Easy read")),
        (LetterFormat.PLAIN_TEXT, _l("Plain text")),
        (LetterFormat.AUDIO, _l("Audio")),
        (LetterFormat.BRAILLE, _l("Braille-ready file")),
    )
}


# Outcomes as a decision reads in a report or a chronology ("Upheld"), beside LABELS' "Uphold".
APPEAL_DECISION_LABELS = {
    AppealDecision.UPHOLD: _l("Upheld"),
    AppealDecision.VARY: _l("Varied"),
    AppealDecision.OVERTURN: _l("Overturned"),
}
RECONSIDERATION_DECISION_LABELS = {
    ReconsiderationDecision.CHANGE_RESTRICTION: _l("Restriction changed"),
    ReconsiderationDecision.ROUTE_TO_COMPLAINTS: _l("Passed to the complaints process"),
    ReconsiderationDecision.NO_CHANGE: _l("No change"),
}


def label(member: StrEnum) -> str:
    """The translated label for a vocabulary value (the raw value where none is defined)."""
    return str(LABELS.get((type(member), member.value), member.value))


class LinkPurpose(StrEnum):
    """What an emailed one-time link lets its holder do (issue 13)."""

    PASSWORD_RESET = "password_reset"  # noqa: S105 - a link purpose, not a password
    CUSTOMER_INVITATION = "customer_invitation"
    COLLEAGUE_INVITATION = "colleague_invitation"
    EMAIL_CHANGE = "email_change"
