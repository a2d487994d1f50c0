"""Issue 15 item 12: the letter choice radios have legends; letter downloads say their
charset once; the post queue names the paper copy's print, never "Web page"."""

from portal.letters import render
from portal.models.vocab import LetterFormat
from tests.helpers import letter_file, parse, sign_in, text_of, url
from tests.letter_fixtures import make_notice_world
from tests.views.test_letter_views import staff_issue_notice


def test_letter_downloads_send_their_charset_once(app, client):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    for slug in ("html", "text", "braille", "pdf"):
        response = letter_file(
            client, url("letters.download", letter_id=letter.id, locale="en", fmt=slug)
        )
        assert response.status_code == 200
        assert response.headers["Content-Type"] == render.FORMATS[slug].media_type
        assert response.headers["Content-Type"].count("charset") <= 1
        response.close()


def test_the_post_queue_names_the_paper_copys_print_not_web_page(app, client):
    case, _restriction, officer, _customer = make_notice_world(
        preferred_letter_format=LetterFormat.HTML
    )
    letter = staff_issue_notice(client, case, officer, needs_post="yes")
    sign_in(client, officer.email)
    page = parse(client.get(url("letters.post_queue")))
    [label] = [text_of(x) for x in page.cssselect("main label") if letter.reference in text_of(x)]
    assert "standard print" in label
    assert "Web page" not in label


def test_the_language_and_format_radios_each_have_a_legend(app, client):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    page = parse(client.get(url("letters.show", letter_id=letter.id)))
    legends = {}
    for fieldset in page.cssselect("main fieldset"):
        [name] = {radio.get("name") for radio in fieldset.cssselect("input[type=radio]")}
        legends[name] = text_of(fieldset.cssselect("legend")[0])
    assert legends == {"locale": "Language", "letter_format": "Format"}
