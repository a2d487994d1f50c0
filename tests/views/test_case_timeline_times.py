"""The case timeline shows a time only where one was recorded (issue 15 item 12): an
informal step is recorded as a day, so no "00:00:00"."""

from flask_babel import format_date

from portal.models.vocab import Role
from tests.factories import make_customer, make_ready_case, make_user
from tests.helpers import parse, sign_in, text_of, url


def test_a_day_recorded_without_a_time_shows_no_midnight(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(make_user(Role.CUSTOMER)), officer)
    [step] = case.informal_steps
    sign_in(client, officer.email)
    page = parse(client.get(url("cases.show", case_id=case.id)))
    headings = [text_of(h) for h in page.cssselect("main ol h3")]
    with app.test_request_context():
        day = format_date(step.taken_on, "long")
    [step_heading] = [h for h in headings if h.endswith(day)]
    assert "00:00" not in step_heading
    assert all("00:00:00" not in heading for heading in headings)
