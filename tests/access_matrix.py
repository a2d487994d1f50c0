"""Who may use each route, declared once here as the tests expect it (SECURITY.md §2,
figure 2), apart from the ``@access`` rules in the code: a change to a route's rule fails
the tests until this table says the same, so a widened rule never slips through.

Each endpoint maps to PUBLIC (anyone, signed in or not), SIGNED_IN (anyone signed in) or
the set of roles of which the person must hold at least one. The comment is the methods.
"""

from portal.models.vocab import Role

PUBLIC = "public"
SIGNED_IN = "signed in"

CUSTOMER, ADVOCATE = Role.CUSTOMER, Role.ADVOCATE
OFFICER, MANAGER, DIRECTOR = Role.CASE_OFFICER, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR
COMMUNITY_SAFETY, LEADERSHIP = Role.COMMUNITY_SAFETY, Role.LEADERSHIP
ADMIN, STEWARD = Role.ADMIN, Role.DATA_STEWARD

EXPECTED_ACCESS = {
    "account.change_email": SIGNED_IN,  # GET/POST
    "account.change_password": SIGNED_IN,  # GET/POST
    "account.confirm_email": PUBLIC,  # GET/POST
    "account.index": SIGNED_IN,  # GET
    "account.new_recovery_codes": SIGNED_IN,  # GET/POST
    "account.second_factor": SIGNED_IN,  # GET/POST
    "account.sign_out_other_devices": SIGNED_IN,  # POST
    "account.turn_off_second_factor": SIGNED_IN,  # GET/POST
    "admin.account": {ADMIN},  # GET/POST
    "admin.disable": {ADMIN},  # POST
    "admin.enable": {ADMIN},  # POST
    "admin.invite": {ADMIN},  # GET/POST
    "admin.reset_second_factor": {ADMIN},  # POST
    "admin.unlock": {ADMIN},  # POST
    "advocate.customer": {ADVOCATE},  # GET
    "advocate.customer_needs": {ADVOCATE},  # GET/POST
    "advocate.home": {ADVOCATE},  # GET
    "advocate.invitation": PUBLIC,  # GET/POST
    "auth.ask_for_invitation": PUBLIC,  # GET/POST
    "auth.colleague_invitation": PUBLIC,  # GET/POST
    "auth.customer_invitation": PUBLIC,  # GET/POST
    "auth.extend_session": SIGNED_IN,  # POST
    "auth.forgot_password": PUBLIC,  # GET/POST
    "auth.reset_password": PUBLIC,  # GET/POST
    "auth.save_language": SIGNED_IN,  # POST
    "auth.second_factor": PUBLIC,  # GET/POST
    "auth.sign_in": PUBLIC,  # GET/POST
    "auth.sign_out": SIGNED_IN,  # POST
    "cases.attachment": {OFFICER, MANAGER, DIRECTOR, COMMUNITY_SAFETY},  # GET
    "cases.audit_history": {MANAGER},  # GET
    "cases.new_complaint_refusal": {OFFICER},  # GET/POST
    "cases.new_escalation": {OFFICER},  # GET/POST
    "cases.new_incident": {OFFICER},  # GET/POST
    "cases.new_informal_step": {OFFICER},  # GET/POST
    "cases.new_needs_consideration": {OFFICER},  # GET/POST
    "cases.new_terminated_call": {OFFICER},  # GET/POST
    "cases.open_case": {OFFICER},  # POST
    "cases.show": {OFFICER, MANAGER, DIRECTOR, COMMUNITY_SAFETY},  # GET
    "challenges.appeal": {CUSTOMER, ADVOCATE},  # GET
    "challenges.decide_appeal": {DIRECTOR},  # GET/POST
    "challenges.decide_request": {DIRECTOR},  # GET/POST
    "challenges.vary_appeal": {DIRECTOR},  # GET/POST
    "challenges.evidence": {DIRECTOR},  # GET
    "challenges.request_status": {CUSTOMER, ADVOCATE},  # GET
    "challenges.send": {CUSTOMER, ADVOCATE},  # POST
    "challenges.start": {CUSTOMER, ADVOCATE},  # GET/POST
    "challenges.step": {CUSTOMER, ADVOCATE},  # GET/POST
    "contacts.check": {OFFICER},  # POST
    "contacts.log_contact": {OFFICER},  # GET/POST
    "contacts.record_read": {OFFICER},  # POST
    "contacts.show": {OFFICER, MANAGER},  # GET
    "customer_imports.abandon": {STEWARD},  # POST
    "customer_imports.add_customer": {STEWARD},  # GET/POST
    "customer_imports.confirm": {STEWARD},  # POST
    "customer_imports.correct_customer": {STEWARD},  # GET/POST
    "customer_imports.index": {STEWARD},  # GET/POST
    "customer_imports.resume": {STEWARD},  # POST
    "customer_imports.run": {STEWARD},  # GET
    "customer_records.invite_to_portal": {OFFICER, MANAGER, DIRECTOR, COMMUNITY_SAFETY},  # POST
    "customer_records.record": {OFFICER, MANAGER, DIRECTOR, COMMUNITY_SAFETY},  # GET
    "customer_records.record_advocate": {OFFICER},  # GET/POST
    "customer_records.search": {OFFICER, MANAGER, DIRECTOR, COMMUNITY_SAFETY},  # GET/POST
    "gdpr.customer": {STEWARD},  # GET
    "gdpr.download_subject_access": {STEWARD},  # GET
    "gdpr.index": {STEWARD},  # GET/POST
    "gdpr.lift_hold": {STEWARD},  # POST
    "gdpr.new_subject_access": {STEWARD},  # POST
    "gdpr.place_hold": {STEWARD},  # POST
    "letters.correct": {OFFICER, MANAGER, DIRECTOR},  # POST
    "letters.download": {CUSTOMER, ADVOCATE, OFFICER, MANAGER, DIRECTOR},  # GET
    "letters.file_status": {CUSTOMER, ADVOCATE, OFFICER, MANAGER, DIRECTOR},  # GET
    "letters.issue": {OFFICER, MANAGER, DIRECTOR},  # GET/POST
    "letters.mark_posted": {OFFICER, MANAGER, DIRECTOR},  # POST
    "letters.new": {OFFICER, MANAGER, DIRECTOR},  # GET/POST
    "letters.post_queue": {OFFICER, MANAGER, DIRECTOR},  # GET
    "letters.print_batch": {OFFICER, MANAGER, DIRECTOR},  # POST
    "letters.remember_choice": {CUSTOMER, ADVOCATE},  # POST
    "letters.show": {CUSTOMER, ADVOCATE, OFFICER, MANAGER, DIRECTOR},  # GET
    "my.advocates_list": {CUSTOMER},  # GET
    "my.home": {CUSTOMER},  # GET
    "my.needs": {CUSTOMER},  # GET/POST
    "my.nominate": {CUSTOMER},  # GET/POST
    "my.revoke": {CUSTOMER},  # POST
    "my.stop_advocate": {CUSTOMER},  # GET
    "my.change_advocate_scope": {CUSTOMER},  # POST
    "policy.compare": {MANAGER, ADMIN, LEADERSHIP},  # GET
    "policy.edit": {MANAGER, ADMIN},  # GET/POST
    "policy.consider_feedback": {MANAGER},  # GET/POST
    "policy.feedback_list": {MANAGER, LEADERSHIP},  # GET
    "policy.index": {MANAGER, ADMIN, LEADERSHIP},  # GET
    "policy.new_draft": {MANAGER, ADMIN},  # POST
    "policy.publish": {MANAGER, ADMIN},  # POST
    "policy.related_documents": {MANAGER, ADMIN},  # GET/POST
    "policy.review_pack_csv": {MANAGER, LEADERSHIP},  # GET
    "policy.review_pack_pdf": {MANAGER, LEADERSHIP},  # POST
    "policy.show": {MANAGER, ADMIN, LEADERSHIP},  # GET
    "public.accessibility": PUBLIC,  # GET
    "public.complaints": PUBLIC,  # GET
    "public.health": PUBLIC,  # GET
    "public.housing_ombudsman": PUBLIC,  # GET
    "public.policy": PUBLIC,
    "public.policy_feedback": PUBLIC,  # GET/POST
    "public.policy_file": PUBLIC,  # GET
    "public.policy_file_status": PUBLIC,  # GET
    "public.policy_full_text": PUBLIC,  # GET
    "public.rights": PUBLIC,  # GET
    "public.start": PUBLIC,  # GET
    "reports.annual": {MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "reports.annual_csv": {MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "reports.annual_pdf": {MANAGER, DIRECTOR, LEADERSHIP},  # POST
    "reports.annual_work_out_again": {MANAGER, DIRECTOR, LEADERSHIP},  # POST
    "reports.annual_xlsx": {MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "reports.equality_csv": {MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "reports.equality_work_out_again": {MANAGER, DIRECTOR, LEADERSHIP},  # POST
    "reports.equality_view": {MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "reports.equality_xlsx": {MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "reports.evidence_pack_form": {MANAGER, DIRECTOR},  # GET
    "reports.evidence_pack_start": {MANAGER, DIRECTOR},  # POST
    "reports.export_file": {OFFICER, MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "reports.export_status": {OFFICER, MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "restrictions.approve": {MANAGER},  # POST
    # A review manager only to write a change decided at review (the view checks it).
    "restrictions.propose": {OFFICER, MANAGER},  # GET/POST
    "restrictions.reject": {MANAGER},  # POST
    "restrictions.review": {MANAGER},  # GET/POST
    "restrictions.show": {OFFICER, MANAGER, DIRECTOR, COMMUNITY_SAFETY},  # GET
    "staff.accept_referral": {COMMUNITY_SAFETY},  # POST
    "staff.accounts": {ADMIN},  # GET
    "staff.appeals": {DIRECTOR},  # GET
    "staff.decided_challenges": {DIRECTOR},  # GET
    "staff.cases": {OFFICER},  # GET
    "staff.letters_to_issue": {OFFICER},  # GET
    "staff.close_referral": {COMMUNITY_SAFETY},  # GET/POST
    "staff.community_safety": {COMMUNITY_SAFETY},  # GET
    "staff.reports": {MANAGER, DIRECTOR, LEADERSHIP},  # GET
    "staff.reviews": {MANAGER},  # GET
    "static": PUBLIC,  # GET
}


def expected_to_allow(endpoint: str, user) -> bool:
    """Whether the table lets this person (None: signed out) use the endpoint."""
    expected = EXPECTED_ACCESS[endpoint]
    if expected == PUBLIC:
        return True
    if user is None:
        return False
    return expected == SIGNED_IN or user.has_role(*expected)
