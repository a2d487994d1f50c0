"""Issue 16 item 3: the easy read letter tells the customer the same essential facts as the
full one: what they may do (each measure, in plain words), why, until when, and how to
reach the Housing Ombudsman (s3.2, s3.4, s6.5). Read from the downloaded PDF."""

import re

from flask_babel import force_locale

from portal.extensions import db
from portal.letters.facts import measure_facts
from portal.letters.sections import measure_of
from portal.models import RestrictionMeasure
from portal.models.vocab import QuotaPeriod, RestrictionOption
from portal.plain_words import describe_measure
from tests.helpers import letter_file, sign_in, url
from tests.letter_fixtures import make_notice_world
from tests.views.test_letter_views import pdf_text, staff_issue_notice


def words(text: str) -> str:
    """One space between words; none before a full stop (text extraction adds one where
    a line ends in an isolated phrase)."""
    return re.sub(r"\s+([.,])", r"\1", " ".join(text.split()))


def test_the_easy_read_restriction_notice_says_what_why_until_when_and_the_ombudsman(app, client):
    case, restriction, officer, customer = make_notice_world()
    restriction.reason = "Eleven calls in one day about one repair."
    restriction.measures.append(
        RestrictionMeasure(
            option=RestrictionOption.CONTACT_LIMIT, contact_limit=3, limit_period=QuotaPeriod.WEEK
        )
    )
    db.session.commit()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)

    for locale in ("en", "pl"):
        response = letter_file(
            client, url("letters.download", letter_id=letter.id, locale=locale, fmt="easy-read")
        )
        assert response.status_code == 200
        said = words(pdf_text(response.data))
        response.close()
        with app.test_request_context(), force_locale(locale):
            rules = [
                words(describe_measure(measure_of(measure_facts(m)))) for m in restriction.measures
            ]
        assert len(rules) == 2
        for rule in rules:  # "You can contact us only by email." / "up to 3 times a week"
            assert rule in said, (locale, rule)
        assert "Eleven calls in one day about one repair." in said  # why, in their words
        assert app.config["OMBUDSMAN_PHONE"] in said
        assert re.search(r"\b2027\b", said)  # until when: the end date (six months on)
