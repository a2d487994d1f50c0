"""The escalation form (s3.3): its "Who approved it?" list starts with an empty choice, so
nobody is named as the approver by someone skipping the question (and the page is valid
HTML: a required list may not start with a real choice)."""

import sqlalchemy as sa

from portal import clock
from portal.extensions import db
from portal.models import Escalation
from portal.models.vocab import EscalationKind, Role
from tests.factories import make_customer, make_ready_case, make_user
from tests.helpers import check_page, csrf_token, date_fields, error_summary, parse, url

TODAY = clock.today()


def test_the_approver_list_starts_empty_and_skipping_it_is_an_error(app, client, login_as):
    officer = login_as(Role.CASE_OFFICER)
    director = make_user(Role.APPEALS_DIRECTOR, display_name="Helen Price")
    case = make_ready_case(make_customer(), officer)
    path = url("cases.new_escalation", case_id=case.id)

    page = client.get(path)
    check_page(page.get_data(as_text=True))
    select = parse(page).cssselect('select[name="approver_id"]')[0]
    first, *rest = select.cssselect("option")
    assert select.get("required") is not None
    assert first.get("value") == "" and first.get("selected") is not None
    assert [o.text_content() for o in rest] == ["Helen Price"]

    answers = {
        "kind": EscalationKind.POLICE.value,
        "reason": "Threats of violence at the office.",
        **date_fields("decided_on", TODAY),
    }
    token = csrf_token(client, path)
    skipped = client.post(path, data={"csrf_token": token, **answers, "approver_id": ""})
    assert skipped.status_code == 400
    assert error_summary(skipped) == ["Choose who approved it"]
    kept = parse(skipped).cssselect('textarea[name="reason"]')[0].text_content().strip()
    assert kept == answers["reason"]
    assert db.session.scalar(sa.select(sa.func.count(Escalation.id))) == 0

    saved = client.post(
        path, data={"csrf_token": token, **answers, "approver_id": str(director.id)}
    )
    assert saved.status_code == 303
    escalation = db.session.scalar(sa.select(Escalation))
    assert escalation.approved_by_id == director.id
