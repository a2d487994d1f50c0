"""Every form in the portal inherits the one base that refuses hidden characters
(portal.forms.PortalForm; issue 14 item 6), so a new form gets the rule by default."""

import pytest
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from portal.forms import HIDDEN_CHARACTER_ERRORS, PortalForm
from portal.text_input import CONTROL, DIRECTION


def all_subclasses(cls):
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *all_subclasses(sub)}
    return found


def test_every_form_of_the_portal_inherits_the_portal_form(app):
    # create_app imported every area's routes, and with them every form module.
    forms = {form for form in all_subclasses(FlaskForm) if form.__module__.startswith("portal.")}
    assert len(forms) > 40
    outside = sorted(
        f"{f.__module__}.{f.__qualname__}" for f in forms if not issubclass(f, PortalForm)
    )
    assert outside == []


class Sample(PortalForm):
    class Meta:
        csrf = False

    name = StringField()
    secret = PasswordField()
    story = TextAreaField()


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"name": "Jordan\x00"}, "name", CONTROL),
        ({"secret": "pass\x1bword"}, "secret", CONTROL),
        ({"name": "two\nlines"}, "name", CONTROL),
        ({"name": "T-100\u202e234"}, "name", DIRECTION),
        ({"story": "first line\x00"}, "story", CONTROL),
        ({"story": "form\x0cfeed"}, "story", CONTROL),
    ],
)
def test_a_hidden_character_is_refused_on_its_field(app, data, field, error):
    with app.test_request_context(method="POST", data=data):
        form = Sample()
        assert not form.validate()
        assert form.errors == {field: [HIDDEN_CHARACTER_ERRORS[error]]}


def test_multi_line_text_keeps_tabs_new_lines_and_direction_marks(app):
    story = "First line\r\n\tSecond line \u202bمرحبا\u202c"
    with app.test_request_context(method="POST", data={"name": "Siân", "story": story}):
        form = Sample()
        assert form.validate(), form.errors
        assert form.story.data == story
