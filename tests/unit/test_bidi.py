"""Isolating left-to-right text inside right-to-left text (issue 15 item 11)."""

from flask_babel import force_locale

from portal.bidi import FSI, PDI, dir_unless, gettext_isolated, isolate, ltr, text_direction


def test_the_direction_is_the_first_strong_letter_outside_any_isolate():
    assert text_direction("14 Clift Road") == "ltr"
    assert text_direction("عزيزي Jordan") == "rtl"
    assert text_direction(f"{FSI}Olivia Carter{PDI} هو جهة الاتصال") == "rtl"
    assert text_direction("03000 120 120") is None


def test_plain_text_is_isolated_only_inside_right_to_left_languages(app):
    with app.test_request_context(), force_locale("ar"):
        assert isolate("03000 120 120") == f"{FSI}03000 120 120{PDI}"
        sentence = gettext_isolated("If you need help, call %(phone)s.", phone="03000 120 120")
        assert f"{FSI}03000 120 120{PDI}" in sentence
    with app.test_request_context(), force_locale("en_GB"):
        assert isolate("03000 120 120") == "03000 120 120"
    assert isolate("L-2026-00001", right_to_left=True) == f"{FSI}L-2026-00001{PDI}"


def test_html_isolation_writes_the_direction_out_for_weasyprint():
    assert str(ltr("14 Clift Road")) == '<bdi dir="ltr">14 Clift Road</bdi>'
    assert str(ltr("أميرة حداد")) == '<bdi dir="rtl">أميرة حداد</bdi>'
    assert str(ltr("<b>")) == '<bdi dir="ltr">&lt;b&gt;</bdi>'
    assert str(dir_unless("We will review it.", "rtl")) == ' dir="ltr"'
    assert str(dir_unless("سنراجعه.", "rtl")) == ""


def test_a_web_address_is_never_wrapped_in_marks(app):
    """Mail programs would take the invisible mark into the link, which then breaks."""

    with app.test_request_context(), force_locale("ar"):
        sentence = gettext_isolated("Sign in to see it: %(link)s", link="https://x.example/my")
        phone = gettext_isolated("Telephone: %(phone)s", phone="03000 120 120")
    assert sentence.endswith("https://x.example/my")
    assert "\u2068" not in sentence and "\u2069" not in sentence
    assert "\u206803000 120 120\u2069" in phone
