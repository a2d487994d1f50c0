"""Managed Behaviour Portal: the Flask application factory."""

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from portal.config import load_config
from portal.extensions import babel, csrf, db, login_manager, migrate
from portal.templating import PortalTemplate


def create_app(config=None) -> Flask:
    """Build the app. ``config`` is a dict of settings laid over the environment's."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_mapping(load_config(config))
    setup_proxies(app)
    setup_templates(app)
    setup_extensions(app)
    setup_request_hooks(app)
    setup_blueprints(app)
    setup_error_pages(app)
    setup_cli(app)
    if app.config["TEMPLATES_COMPILED_AT_START"]:
        compile_templates(app)
    if app.config["ENV_NAME"] == "production":
        from portal.database_roles import refuse_unsafe_app_role
        from portal.demo import refuse_production_with_demo_accounts

        refuse_unsafe_app_role(app)
        refuse_production_with_demo_accounts(app)
    return app


def setup_proxies(app: Flask) -> None:
    """Forwarded headers only from configured proxies (TRUSTED_PROXIES), and only the
    client's address and scheme: never X-Forwarded-Host, -Port or -Prefix, so the host
    the portal answers for stays the one TRUSTED_HOSTS checks."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0
        )


def setup_templates(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from portal import contact_details, htmx, i18n, reach_us, security
    from portal.models.vocab import label
    from portal.navigation import home_endpoint_for, navigation_for, signed_in_user
    from portal.pagination import page_url
    from portal.plain_words import describe_restriction

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(Path(app.root_path).parent / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.template_class = PortalTemplate
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    app.jinja_env.globals.update(
        html_lang=i18n.html_lang,
        text_direction=i18n.text_direction,
        language_choices=i18n.language_choices,
        current_language=i18n.select_language,
        current_language_is_unreviewed=i18n.current_language_is_unreviewed,
        offer_to_save_language=i18n.offer_to_save_language,
        navigation_for=navigation_for,
        home_endpoint_for=home_endpoint_for,
        signed_in_user=signed_in_user,
        can_reach=security.can_reach,
        label=label,
        page_url=page_url,
        describe_restriction=describe_restriction,
        landlord_name=app.config["LANDLORD_NAME"],
        landlord_phone=app.config["LANDLORD_PHONE"],
        landlord_email=app.config["LANDLORD_EMAIL"],
        ombudsman=contact_details.ombudsman,
        reach_us=reach_us.page_ways,
        reach_us_general=reach_us.general_ways,
        reach_us_lines=reach_us.way_lines,
        still_get_through=reach_us.still_get_through,
        poll_trigger=htmx.poll_trigger,
        session_idle_seconds=lambda: int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds()),
    )
    from portal.uploads import virus_scan

    app.jinja_env.globals["files_are_virus_scanned"] = virus_scan.in_use
    from portal import bidi, formatting

    app.jinja_env.filters.update(formatting.FILTERS)
    app.jinja_env.filters.update(bidi.FILTERS)


def compile_templates(app: Flask) -> None:
    """Compile the portal's templates and the GOV.UK macros they import now; Jinja keeps
    them in the environment's cache."""
    for name in app.jinja_loader.list_templates():
        if name.endswith(".html"):
            app.jinja_env.get_template(name)


def setup_extensions(app: Flask) -> None:
    from portal import i18n
    from portal.database import setup_database

    setup_database(app)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True
    )
    # CSRF is checked by our own hook, after the access rule (setup_request_hooks).
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_babel_locale)
    from portal import bidi

    bidi.isolate_template_placeholders(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "basic"
    from portal.auth.sessions import load_signed_in_user

    login_manager.user_loader(load_signed_in_user)


def setup_request_hooks(app: Flask) -> None:
    from portal import i18n, security, uploads

    # First: nothing else runs for a request naming a host that is not the portal's.
    app.before_request(security.refuse_untrusted_host)
    app.before_request(i18n.remember_requested_language)
    app.before_request(security.enforce_access_rules)
    app.before_request(uploads.apply_upload_limit)
    # After the access rule, so a person refused a route gets 403 whatever they send.
    app.before_request(security.check_csrf_token)
    app.after_request(security.add_security_headers)


def setup_blueprints(app: Flask) -> None:
    """Each area's package holds its blueprint; its views are attached by importing its
    routes here, when the app is built, so that one area can use another's services
    without pulling in its views."""
    from portal.account.routes import bp as account_bp
    from portal.admin.routes import bp as admin_bp
    from portal.advocate.routes import bp as advocate_bp
    from portal.auth.routes import bp as auth_bp
    from portal.cases.routes import bp as cases_bp
    from portal.challenges import vary_routes  # noqa: F401 (routes on the same blueprint)
    from portal.challenges.routes import bp as challenges_bp
    from portal.contacts.routes import bp as contacts_bp
    from portal.customer_imports.routes import bp as customer_imports_bp
    from portal.customer_records.routes import bp as customer_records_bp
    from portal.gdpr.routes import bp as gdpr_bp
    from portal.letters.routes import bp as letters_bp
    from portal.my.routes import bp as my_bp
    from portal.policy.routes import bp as policy_bp
    from portal.public.routes import bp as public_bp
    from portal.reports.routes import bp as reports_bp
    from portal.restrictions.routes import bp as restrictions_bp
    from portal.staff.routes import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)  # /account/…
    app.register_blueprint(admin_bp)  # /staff/accounts/…
    app.register_blueprint(policy_bp)  # /staff/policy/…
    app.register_blueprint(my_bp, url_prefix="/my")
    app.register_blueprint(advocate_bp, url_prefix="/advocate")
    app.register_blueprint(staff_bp, url_prefix="/staff")
    for staff_area in (customer_records_bp, cases_bp, restrictions_bp, contacts_bp):
        app.register_blueprint(staff_area, url_prefix="/staff")
    app.register_blueprint(gdpr_bp)  # /staff/data-protection/…
    app.register_blueprint(customer_imports_bp)  # /staff/data-protection/customer-imports/…
    app.register_blueprint(letters_bp)  # /letters/… for readers, /staff/…letters… for staff
    app.register_blueprint(reports_bp)  # /staff/reports/… and /staff/cases/…/evidence-pack
    app.register_blueprint(challenges_bp)  # /challenges/… and /staff/…/decide


def setup_error_pages(app: Flask) -> None:
    from portal.errors import register_error_handlers

    register_error_handlers(app)


def setup_cli(app: Flask) -> None:
    from portal.cli import register_commands

    register_commands(app)
