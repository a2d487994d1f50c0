"""Every "how to reach us" line follows the person's restriction and recorded needs, names
their single point of contact's channel, and says what always gets through (issue 15,
items 2 and 3; s3.2, s6.1). Proven on the parsed pages and on the issued letter's files."""

import io

import lxml.html
import pypdf

from portal.clock import today
from portal.extensions import db
from portal.models import RestrictionMeasure
from portal.models.vocab import ContactChannel, RestrictionOption, Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import (
    check_page,
    emails_to,
    letter_file,
    parse,
    post_form,
    sign_in,
    sign_out,
    text_of,
    texts,
    url,
)
from tests.letter_fixtures import make_notice_world
from tests.views.test_letter_views import staff_issue_notice

PHONE = "03000 120 120"
EMAIL = "act@alliancehomes.org.uk"
WRITING = "In writing: Alliance Homes, Customer Relations, PO Box 100, Bristol BS1 9AA"
STILL = "you can always contact us in any way about an emergency"


def _restricted_customer(login_as, measures=None, **needs):
    user = login_as(Role.CUSTOMER)
    customer = make_customer(user, **needs)
    officer = make_user(Role.CASE_OFFICER, display_name="Olivia Carter")
    manager = make_user(Role.REVIEW_MANAGER)
    case = make_ready_case(customer, officer)
    make_active_restriction(case, officer, manager, starts_on=today(), measures=measures)
    return customer


def _footer(page) -> str:
    return " ".join(texts(page, "footer"))


def _banner(page) -> str:
    return " ".join(texts(page, ".govuk-phase-banner"))


def _reach_list(page) -> list[str]:
    """The lines under the home page's "How to reach us" heading."""
    [heading] = parse(page).cssselect("#reach-us")
    return [text_of(li) for li in heading.getnext().cssselect("li")]


def test_email_only_customer_is_never_told_to_call(app, client, login_as):
    _restricted_customer(login_as)  # the factory's restriction: email only
    home = client.get(url("my.home"))
    check_page(home.get_data(as_text=True))
    assert _reach_list(home) == [f"Email: {EMAIL}"]
    for part in (_footer(home), _banner(home), " ".join(texts(home, "main"))):
        assert PHONE not in part and "call us" not in part.lower()
    assert EMAIL in _footer(home)
    # Item 3: on the home page and on the restriction itself.
    assert STILL in " ".join(texts(home, "main > .portal-still-get-through"))
    [card_line] = texts(home, ".govuk-summary-card .portal-still-get-through")
    assert "new complaint" in card_line and STILL in card_line
    for endpoint in ("public.policy", "public.accessibility", "public.rights"):
        page = client.get(url(endpoint))
        assert PHONE not in " ".join(texts(page, "body")), endpoint


def test_deaf_customer_without_a_restriction_is_offered_no_telephone(app, client, login_as):
    user = login_as(Role.CUSTOMER)
    make_customer(user, cannot_use_telephone=True)
    home = client.get(url("my.home"))
    assert _reach_list(home) == [f"Email: {EMAIL}", WRITING]
    assert PHONE not in _footer(home) and PHONE not in _banner(home)
    assert not texts(home, "main .portal-still-get-through")  # no restriction to say it of


def test_telephone_only_for_a_deaf_customer_offers_text_relay_and_the_contact(
    app, client, login_as
):
    sam = make_user(Role.CASE_OFFICER, display_name="Sam Patel", email="sam.patel@example.com")
    _restricted_customer(
        login_as,
        measures=[
            RestrictionMeasure(
                option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.TELEPHONE
            ),
            RestrictionMeasure(
                option=RestrictionOption.SINGLE_POINT_OF_CONTACT, single_point_of_contact_id=sam.id
            ),
        ],
        cannot_use_telephone=True,
    )
    home = client.get(url("my.home"))
    assert _reach_list(home) == [
        f"Text relay (Relay UK): 18001 {PHONE}",
        f"Your single point of contact is Sam Patel: call 18001 {PHONE} and ask for them.",
    ]
    # Issue 18: a page that loads no restrictions itself (the accessibility statement)
    # reads only the four columns of the measures the ways need; it says what the home
    # page (which hands over the restrictions it loaded) says.
    statement = client.get(url("public.accessibility"))
    assert _footer(statement) == _footer(home)
    assert _banner(statement) == _banner(home)
    assert f"Text relay (Relay UK): 18001 {PHONE}" in _footer(statement)
    assert "Sam Patel" in _footer(statement)


def test_single_point_of_contact_is_named_with_their_own_email(app, client, login_as):
    sam = make_user(Role.CASE_OFFICER, display_name="Sam Patel", email="sam.patel@example.com")
    _restricted_customer(
        login_as,
        measures=[
            RestrictionMeasure(
                option=RestrictionOption.SINGLE_POINT_OF_CONTACT, single_point_of_contact_id=sam.id
            )
        ],
    )
    home = client.get(url("my.home"))
    lines = _reach_list(home)
    assert lines[:3] == [
        f"Email: {EMAIL}",
        f"Telephone: {PHONE}",
        WRITING,
    ]
    assert lines[3] == (
        "Your single point of contact is Sam Patel: email them at sam.patel@example.com."
    )
    assert "sam.patel@example.com" in _footer(home)


def test_staff_do_not_see_call_us_in_the_beta_banner(app, client, login_as):
    login_as(Role.CASE_OFFICER)
    page = client.get(url("staff.cases"))
    banner = _banner(page)
    assert "system administrator" in banner
    assert PHONE not in banner and "call us" not in banner.lower()


def test_sign_in_help_gives_every_general_channel_neutrally(app, client):
    page = client.get(url("auth.sign_in"))
    main = " ".join(texts(page, "main"))
    assert f"Email: {EMAIL}" in main and f"Telephone: {PHONE}" in main
    assert WRITING in main
    assert "Call us" not in main
    assert "new complaints always get through" in main
    for language in ("en", "ar"):
        footer = _footer(client.get(url("auth.sign_in") + f"?lang={language}"))
        assert EMAIL in footer and PHONE in footer, language
    assert "call us" not in _banner(page).lower()


def _letter_files(client, letter, locale="en") -> dict[str, bytes]:
    files = {}
    for slug in ("html", "pdf", "easy-read", "text"):
        response = letter_file(
            client, url("letters.download", letter_id=letter.id, locale=locale, fmt=slug)
        )
        assert response.status_code == 200
        files[slug] = response.data
        response.close()
    return files


def _pdf_text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_restriction_notice_for_email_only_never_says_call_and_says_what_gets_through(app, client):
    case, _restriction, officer, customer = make_notice_world()  # email only
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    files = _letter_files(client, letter)
    html = " ".join(text_of(parse_bytes(files["html"])).split())
    pdf = _pdf_text(files["pdf"])
    text = " ".join(files["text"].decode("utf-8").split())
    for body in (html, pdf, text):
        assert PHONE not in body
        assert "call us" not in body.lower() and "calling us" not in body.lower()
        assert f"Email: {EMAIL}" in body
        assert "What you can still do" in body and "to make a new complaint" in body
    assert PHONE not in _pdf_text(files["easy-read"])
    assert "emergency or a new complaint" in _pdf_text(files["easy-read"])
    # The email saying the letter is waiting follows the restriction too.
    [notice] = emails_to(app, "jordan@example.com")
    assert PHONE not in notice.get_content() and f"Email: {EMAIL}" in notice.get_content()


def test_account_emails_never_say_call_us_alone(app, client):
    user = make_user(Role.CUSTOMER)
    post_form(client, url("auth.forgot_password"), {"email": user.email})
    message = emails_to(app, user.email)[-1]
    body = message.get_content()
    assert "call" not in body.lower()
    assert f"Email: {EMAIL}" in body and f"Telephone: {PHONE}" in body


def test_letter_to_a_deaf_customer_names_the_contacts_email_not_a_phone(app, client):
    case, restriction, officer, customer = make_notice_world(cannot_use_telephone=True)
    restriction.measures = [
        RestrictionMeasure(
            option=RestrictionOption.SINGLE_POINT_OF_CONTACT,
            single_point_of_contact_id=officer.id,
        )
    ]
    officer.email = "olivia.carter@example.com"
    db.session.commit()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    html = " ".join(text_of(parse_bytes(_letter_files(client, letter)["html"])).split())
    assert PHONE not in html
    assert (
        "Your single point of contact is Olivia Carter: email them at olivia.carter@example.com."
        in html
    )


def parse_bytes(data: bytes):
    return lxml.html.fromstring(data.decode("utf-8"))


def test_staff_read_the_same_line_the_customer_will_read(app, client):
    case, restriction, officer, _customer = make_notice_world()
    sign_in(client, officer.email)
    page = client.get(url("restrictions.show", restriction_id=restriction.id))
    assert page.status_code == 200
    [line] = texts(page, "main .portal-still-get-through")
    assert STILL in line and "new complaint" in line


def test_an_advocate_sees_the_customers_restriction_not_their_needs(app, client):
    """The advocate contacts us within the customer's restriction, with their own
    abilities: a deaf customer's telephone ban is not the advocate's."""
    from portal.models import AdvocateAuthority
    from portal.models.vocab import AdvocateRelationship

    _case, restriction, _officer, customer = make_notice_world(cannot_use_telephone=True)
    advocate = make_user(Role.ADVOCATE)
    db.session.add(
        AdvocateAuthority(
            customer_id=customer.id,
            advocate_user_id=advocate.id,
            advocate_name=advocate.display_name,
            advocate_email=advocate.email,
            relationship_to_customer=AdvocateRelationship.FRIEND,
        )
    )
    # A restriction that limits nobody's channel: every way but the customer's needs.
    restriction.measures = [
        RestrictionMeasure(option=RestrictionOption.ADVOCATE_OFFERED, advocate_offered_on=today())
    ]
    db.session.commit()
    sign_in(client, advocate.email)
    page = client.get(url("advocate.customer", customer_id=customer.id))
    assert page.status_code == 200
    assert f"Telephone: {PHONE}" in _reach_list(page)
    assert texts(page, "main > .portal-still-get-through")  # their contact is restricted
    sign_out(client)
    sign_in(client, customer.user.email)
    assert f"Telephone: {PHONE}" not in _reach_list(client.get(url("my.home")))
