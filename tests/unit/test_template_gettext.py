"""The templates' gettext and ngettext (portal/bidi.py, portal/translations.py): the same
sentences as Flask-Babel's own, found once per locale in use (issue 18), following
force_locale in and out, escaping and isolating values as before."""

from flask import render_template_string
from flask_babel import force_locale, get_translations, ngettext, refresh
from flask_babel import gettext as babel_gettext
from markupsafe import Markup

from portal import translations
from portal.bidi import FSI, PDI

SENTENCE = "Sign in"
WITH_VALUE = "If you need help, call %(phone)s."
PLURAL = ("%(num)d review is overdue", "%(num)d reviews are overdue")


def test_the_translations_are_flask_babels_for_the_locale_in_use(app):
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        assert translations.current() is get_translations()
        assert translations.current() is translations.current()  # remembered
        welsh = render_template_string("{{ _(s) }}", s=SENTENCE)
        assert welsh == babel_gettext(SENTENCE) != SENTENCE
        with force_locale("pl"):
            assert translations.current() is get_translations()
            polish = render_template_string("{{ _(s) }}", s=SENTENCE)
            assert polish == babel_gettext(SENTENCE) not in (SENTENCE, welsh)
        # Back in the request's own language once the forced one ends.
        assert render_template_string("{{ _(s) }}", s=SENTENCE) == welsh
        refresh()
        assert translations.current() is get_translations()


def test_plurals_and_values_as_jinjas_own_gettext(app):
    with app.test_request_context(), force_locale("pl"):
        for count in (1, 2, 5):
            shown = render_template_string(
                "{{ ngettext(s, p, n) }}", s=PLURAL[0], p=PLURAL[1], n=count
            )
            assert shown == ngettext(*PLURAL, count)
        # Under autoescape a value is escaped, the sentence is not; a lone sentence is
        # still a format string ("%%" is one "%"), as in Jinja.
        html = render_template_string("{{ _(s, phone=v) }}", s=WITH_VALUE, v="<b>1</b>")
        assert "&lt;b&gt;1&lt;/b&gt;" in html and "<b>" not in html
        assert render_template_string("{{ _('100%%') }}") == "100%"
        assert isinstance(render_template_string("{% trans %}Sign in{% endtrans %}"), str)


def test_values_are_isolated_in_right_to_left_languages(app):
    with app.test_request_context(), force_locale("ar"):
        html = render_template_string("{{ _(s, phone='03000 120 120') }}", s=WITH_VALUE)
        assert f"{FSI}03000 120 120{PDI}" in html
        marked = render_template_string(
            "{{ _(s, phone=v) }}", s=WITH_VALUE, v=Markup("<bdi>1</bdi>")
        )
        assert "<bdi>1</bdi>" in marked


def test_the_python_sides_gettext_is_flask_babels(app):
    """portal.translations.gettext / lazy_gettext, used by the Python code, give what
    Flask-Babel's own give, in each language and under force_locale."""
    from flask_babel import lazy_gettext as babel_lazy

    lazy = translations.lazy_gettext(WITH_VALUE, phone="0300")
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        assert translations.gettext(SENTENCE) == babel_gettext(SENTENCE)
        assert str(lazy) == str(babel_lazy(WITH_VALUE, phone="0300"))
        with force_locale("ar"):
            assert translations.gettext(WITH_VALUE, phone="0300") == babel_gettext(
                WITH_VALUE, phone="0300"
            )
            assert str(lazy) == str(babel_lazy(WITH_VALUE, phone="0300"))
    # After the request, as Flask-Babel (the test's app context keeps its namespace).
    assert translations.gettext(SENTENCE) == babel_gettext(SENTENCE)
