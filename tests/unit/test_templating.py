"""portal/templating.py: the faster import check gives exactly Jinja's own answers."""

import pytest
from jinja2 import DictLoader, Environment, Template

from portal.templating import PortalTemplate

TEMPLATES = {
    "macros.html": "{% macro hello() %}hello {{ who | default('nobody') }}{% endmacro %}",
    "page.html": '{% from "macros.html" import hello %}{{ hello() }}',
}


def _environment(template_class) -> Environment:
    environment = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
    environment.template_class = template_class
    return environment


@pytest.mark.parametrize("page_globals", [None, {"who": "a page global the macros do not have"}])
def test_imports_render_as_jinja_renders_them(page_globals):
    rendered = {
        cls: _environment(cls).get_template("page.html", globals=page_globals).render()
        for cls in (Template, PortalTemplate)
    }
    assert rendered[PortalTemplate] == rendered[Template]
    expected = "hello nobody" if page_globals is None else f"hello {page_globals['who']}"
    assert rendered[PortalTemplate] == expected


def test_an_import_with_nothing_new_reuses_the_cached_module():
    environment = _environment(PortalTemplate)
    environment.get_template("page.html").render()
    macros = environment.get_template("macros.html")
    cached = macros._module
    environment.get_template("page.html").render()
    assert cached is not None and macros._module is cached


def test_the_portal_renders_with_it(app):
    assert app.jinja_env.template_class is PortalTemplate
