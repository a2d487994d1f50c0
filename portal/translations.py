"""The translations of the language being written in, found in one lookup (issue 18).

Every `_()` and `{% trans %}` in a template went through Flask-Babel's gettext, which
looks up the request's Babel namespace, domain and locale again on each call: 12.6 µs a
sentence against 0.3 µs for the catalogue itself, and a page holds 40 to 400 sentences.
``current()`` keeps the translations beside Flask-Babel's own locale on its per-request
namespace, and gives them back while that locale is the one in use: ``force_locale``
(a letter written in the customer's language) and ``refresh`` both replace or remove the
locale, and so are seen. The result is always ``flask_babel.get_translations()``'s;
tests/unit/test_template_gettext.py holds it to that. ``gettext`` and ``lazy_gettext``
here are Flask-Babel's, found the same way, for Python code.
"""

from flask import g
from flask_babel import get_translations
from flask_babel.speaklater import LazyString


def current():
    """``flask_babel.get_translations()``, remembered for the locale in use."""
    try:
        namespace = g._flask_babel
        if namespace.portal_translations_locale is namespace.babel_locale:
            return namespace.portal_translations
    except (AttributeError, RuntimeError):  # not worked out yet, or no app context
        pass
    translations = get_translations()
    try:
        namespace = g._flask_babel
        namespace.portal_translations = translations
        namespace.portal_translations_locale = namespace.babel_locale
    except (AttributeError, RuntimeError):
        pass
    return translations


def gettext(string: str, **variables) -> str:
    """``flask_babel.gettext``, through ``current()``: the Python side's sentences (a
    vocabulary label, a status line) as the templates' (issue 18: a report page turned some
    250 lazy labels into text at 7.8 µs each)."""
    translated = current().ugettext(string)
    return translated % variables if variables else translated


def lazy_gettext(string: str, **variables) -> LazyString:
    """``flask_babel.lazy_gettext``, translated through ``gettext`` above when used."""
    return LazyString(gettext, string, **variables)
