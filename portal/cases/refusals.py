"""The rules a case change can break (policy s3, s3.2, s4), one named refusal each, as
portal.restrictions.rules and portal.challenges.refusals do. Views map each to the form
field that shows its message (portal.cases.routes)."""

from portal.refusals import Refusal
from portal.translations import lazy_gettext as _l


class CaseRuleBroken(Refusal):
    """A case change the rules do not allow. Each rule is its own subclass, naming the
    policy section it comes from; views decide which form field shows the message."""


class NoBehaviourChosen(CaseRuleBroken):
    """s3.1: An incident records at least one kind of behaviour."""

    section = "s3.1"
    default_message = _l("Choose at least one kind of behaviour (policy section 3.1).")


class IncidentInFuture(CaseRuleBroken):
    """An incident is recorded after it happened."""

    section = ""
    default_message = _l("The date and time of the incident cannot be in the future.")


class StepInFuture(CaseRuleBroken):
    """s3.2: An informal step is recorded once taken."""

    section = "s3.2"
    default_message = _l("The date of the step cannot be in the future.")


class SupportOrganisationMissing(CaseRuleBroken):
    """s3.3: A support referral names the organisation."""

    section = "s3.3"
    default_message = _l("Enter the organisation the customer was referred to.")


class OtherAgenciesMissing(CaseRuleBroken):
    """s6.2: A multi-agency approach names the organisations."""

    section = "s6.2"
    default_message = _l("Say which other organisations support the customer (policy section 6.2).")


class UnmetNeedUnstated(CaseRuleBroken):
    """s6.1: Behaviour that could be an unmet need says which need."""

    section = "s6.1"
    default_message = _l("Say what the unmet communication or support need might be.")


class CallEndInFuture(CaseRuleBroken):
    """s3.2: A call ended by staff is logged after it ended."""

    section = "s3.2"
    default_message = _l("The time the call ended cannot be in the future.")


class EscalationSelfApproved(CaseRuleBroken):
    """s3.3: An extreme step is approved by someone other than its proposer."""

    section = "s3.3"
    default_message = _l("Someone other than you must approve an escalation (policy section 3.3).")


class EscalationApproverNotSenior(CaseRuleBroken):
    """s3.3: An extreme step is approved by a review manager or the appeals director."""

    section = "s3.3"
    default_message = _l(
        "The approver must be a review manager or the appeals director (policy section 3.3)."
    )


class ReferralOutcomeMissing(CaseRuleBroken):
    """s3.2: A referral is closed with what was done."""

    section = "s3.2"
    default_message = _l("Enter what was done about the referral")


class DecisionInFuture(CaseRuleBroken):
    """s3.2: A complaint refusal is recorded once decided."""

    section = "s3.2"
    default_message = _l("The date of the decision cannot be in the future.")
