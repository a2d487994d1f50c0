"""Numbers and language names kept once worked out (portal/formatting.py, issue 18) read
exactly as Babel writes them, in each reader's language."""

from flask_babel import force_locale, format_decimal, get_locale

from portal.formatting import decimal, language_name

VALUES = [0, 7, 1234, 350000, -42, 2.5, 1.0, 0.125]
PATTERNS = [None, "+#,##0;-#,##0", "#,##0.0", "#,##0.00"]


def test_numbers_read_as_babel_writes_them_in_every_language(app):
    with app.test_request_context():
        for code in ("en_GB", "cy", "ar", "pl", "bn"):
            with force_locale(code):
                for value in VALUES:
                    for pattern in PATTERNS:
                        assert decimal(value, pattern) == format_decimal(value, pattern), (
                            code,
                            value,
                            pattern,
                        )
    assert decimal(1234) == format_decimal(1234)  # outside a request: Babel's default


def test_language_names_follow_the_readers_language(app):
    with app.test_request_context():
        with force_locale("cy"):
            welsh = language_name("pl")
            assert welsh == "Pwyleg"
        with force_locale("en_GB"):
            assert language_name("pl") == "Polish"
            assert str(get_locale()) == "en_GB"
        with force_locale("cy"):
            assert language_name("pl") == welsh  # the kept name, still Welsh
    assert language_name("xx-nonsense") == "xx-nonsense"
    assert language_name("") == ""
