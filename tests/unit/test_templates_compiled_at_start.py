"""A web worker compiles every template when it starts (issue 18 item 4): the first people
after a deploy do not wait behind the compiling, and a template that cannot compile stops
the start instead of one page failing later."""

from portal import create_app


def test_a_started_app_holds_every_page_template_and_the_govuk_macros_compiled(tmp_path):
    app = create_app(
        {
            "PORTAL_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}",
            "TEMPLATES_COMPILED_AT_START": True,
        }
    )
    names = [name for name in app.jinja_loader.list_templates() if name.endswith(".html")]
    assert "layouts/base.html" in names and "letters/_file_status.html" in names
    assert any(name.startswith("govuk_frontend_jinja/") for name in names)
    compiled = {key[1] for key in app.jinja_env.cache}  # (loader, name)
    assert set(names) <= compiled


def test_tests_compile_only_what_they_render(tmp_path):
    app = create_app(
        {"PORTAL_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    assert len(app.jinja_env.cache) == 0
