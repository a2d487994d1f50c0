"""Left-to-right text inside right-to-left text (issue 15 item 11): an address, a phone
number, an email address, a reference or an English name inside an Arabic sentence must
keep its own order ("14 Clift Road", not "Clift Road 14"), and must not move the
sentence's full stop. The Unicode bidirectional algorithm does this when the embedded text
is *isolated*:

- in HTML, `<bdi dir="...">` (the `ltr` Jinja filter). The direction is written out rather
  than left to the browser, because WeasyPrint ignores `<bdi>` but honours `dir`;
- in plain text (emails, text letters, and values put into a translated sentence before it
  is frozen into a letter), FIRST STRONG ISOLATE U+2068 ... POP DIRECTIONAL ISOLATE U+2069
  (`isolate`), which browsers, WeasyPrint (Pango) and mail readers all honour.
"""

import unicodedata

from flask_babel import get_locale
from jinja2 import pass_context
from markupsafe import Markup, escape

from portal import translations

FSI = "\u2068"  # FIRST STRONG ISOLATE: the text between takes its own direction
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
ISOLATE_MARKS = str.maketrans("", "", FSI + PDI)


def text_direction(text) -> str | None:
    """ "ltr" or "rtl" from the first strong character outside any isolate (the rule
    browsers apply to dir="auto", rule P2), or None when the text has no letters."""
    depth = 0
    for char in str(text or ""):
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0:
            kind = unicodedata.bidirectional(char)
            if kind == "L":
                return "ltr"
            if kind in ("R", "AL"):
                return "rtl"
    return None


def reading_right_to_left() -> bool:
    locale = get_locale()
    return locale is not None and locale.text_direction == "rtl"


# A web address is left bare: mail programs take an invisible mark next to it into the
# link, which then breaks. An address is all left-to-right, so it needs no isolation.
LINK_STARTS = ("http://", "https://")


def isolate(value, right_to_left: bool | None = None) -> str:
    """The value between FSI and PDI when the text around it is right-to-left (by default:
    the reader's language), for plain text. Left-to-right languages are left as they are:
    nothing there to reorder, and the marks would only reach braille and speech."""
    text = "" if value is None else str(value)
    if right_to_left is None:
        right_to_left = reading_right_to_left()
    if not text or not right_to_left or text.startswith(LINK_STARTS):
        return text
    return f"{FSI}{text}{PDI}"


def without_marks(text: str) -> str:
    """Plain text for readers that want no control characters (braille, speech)."""
    return text.translate(ISOLATE_MARKS)


def gettext_isolated(string: str, **variables) -> str:
    """gettext with every placeholder value isolated: for sentences that carry a phone
    number, an email address, a reference or a name into a right-to-left language. Numbers
    stay numbers (for %(num)d)."""
    return translations.gettext(
        string,
        **{
            name: isolate(value) if isinstance(value, str) else value
            for name, value in variables.items()
        },
    )


def _isolated_value(value):
    if isinstance(value, Markup):
        return escape(FSI) + value + PDI if value and reading_right_to_left() else value
    return isolate(value) if isinstance(value, str) else value


def _isolated(variables: dict) -> dict:
    return {name: _isolated_value(value) for name, value in variables.items()}


@pass_context
def _template_gettext(context, string: str, **variables) -> str:
    """A template's `_()` / `gettext` / `{% trans %}`: as Jinja's newstyle gettext (the
    sentence is always a format string; escaped values under autoescape), its
    placeholders' values isolated, from the translations found once (portal.translations)."""
    translated = translations.current().ugettext(string)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 - the catalogue's sentence, as Jinja's
    if not variables and "%" not in translated:
        return translated  # nothing to put in: formatting would return it unchanged
    return translated % _isolated(variables)  # values escaped by Markup's %


@pass_context
def _template_ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
    """A template's `ngettext` / `{% trans count=... %}`, as _template_gettext."""
    values = _isolated(variables)
    values.setdefault("num", num)
    translated = translations.current().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 - the catalogue's sentence, as Jinja's
    return translated % values


def isolate_template_placeholders(app) -> None:
    """Every `_()`, `gettext`, `ngettext` and `{% trans %}` in every template isolates the
    phone numbers, emails, names and references it puts into a sentence (installed over
    Flask-Babel's callables)."""
    env = app.jinja_env
    env.globals.update(gettext=_template_gettext, ngettext=_template_ngettext)
    env.globals["_"] = env.globals["gettext"]


def ltr(value) -> Markup:
    """Jinja filter: the value in its own `<bdi>`, its direction written out (ltr unless
    its first letter is right-to-left)."""
    text = "" if value is None else str(value)
    if not text:
        return Markup("")
    direction = text_direction(text) or "ltr"
    return Markup('<bdi dir="{}">{}</bdi>').format(direction, escape(text))


def dir_unless(text, page_direction: str) -> Markup:
    """Jinja filter: ` dir="ltr"` on an element whose text runs the other way from the page
    (an English sentence not yet translated into Arabic), so its full stop stays at its end."""
    direction = text_direction(text)
    if direction is None or direction == page_direction:
        return Markup("")
    return Markup(' dir="{}"').format(direction)


FILTERS = {"ltr": ltr, "isolate": isolate, "dir_unless": dir_unless}
