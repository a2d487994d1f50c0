"""Configuration read from the environment, with safe development defaults.

``PORTAL_ENV`` picks the class: ``development`` (default, for ``make run``),
``production`` (gunicorn against PostgreSQL) or ``testing``.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", PROJECT_ROOT / "instance"))
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-not-for-production"  # noqa: S105
# Keys the audit trail's hash chain (portal.audit). Not a secret in development and tests;
# production refuses to start with it (check_production_settings).
DEVELOPMENT_AUDIT_KEY = "development-only-audit-key-not-for-production"
MIN_KEY_LENGTH = 32

# Interface, email and letter languages (issue 7), each with a complete catalogue for
# customer-, advocate- and public-facing text. "en" is formatted as British English (dates
# "25 December 2026", not US style). Arabic and Urdu are written right to left.
SUPPORTED_LOCALES = ("en", "cy", "pl", "ro", "pt", "es", "ar", "ur", "bn", "pa", "so", "uk")
BABEL_LOCALE_FOR = {"en": "en_GB"}
LOCALE_NAMES = {
    "en": "English",
    "cy": "Cymraeg",
    "pl": "Polski",
    "ro": "Română",
    "pt": "Português",
    "es": "Español",
    "ar": "العربية",
    "ur": "اردو",
    "bn": "বাংলা",
    "pa": "ਪੰਜਾਬੀ",
    "so": "Soomaali",
    "uk": "Українська",
}


class Config:
    ENV_NAME = "development"
    # One home for the facts every page, letter and email repeats (issue 12): the landlord's
    # name and how to reach it, and the Housing Ombudsman's details as the policy gives them
    # (s3.4). Translated sentences take them as named placeholders.
    LANDLORD_NAME = "Alliance Homes"  # the policy's landlord (s1.4)
    LANDLORD_PHONE = "03000 120 120"
    LANDLORD_EMAIL = "act@alliancehomes.org.uk"
    # Where a customer restricted to writing sends letters (one line; set it for a real landlord).
    LANDLORD_ADDRESS = "Alliance Homes, Customer Relations, PO Box 100, Bristol BS1 9AA"
    OMBUDSMAN_FORM_URL = "https://www.housing-ombudsman.org.uk/residents/make-a-complaint/"
    OMBUDSMAN_EMAIL = "info@housing-ombudsman.org.uk"
    OMBUDSMAN_PHONE = "0300 111 3000"
    OMBUDSMAN_ADDRESS = ("Housing Ombudsman Service", "PO Box 1484", "Unit D", "Preston", "PR2 0ET")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"
    # No ping before every request (a round trip on every page, issue 18): a connection the
    # server has dropped fails one request with the friendly 503 and SQLAlchemy discards the
    # pool's other connections; connections are renewed every 30 minutes regardless.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 1800}
    SQLITE_BUSY_TIMEOUT_MS = 15_000

    # Sessions: a signed cookie that names a server-side session row (portal.auth.sessions).
    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # plain http on 127.0.0.1 in development
    SESSION_IDLE_TIMEOUT = dt.timedelta(minutes=30)  # NIST 800-63B AAL2 (SECURITY.md §4)
    SESSION_ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = dt.timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = dt.timedelta(seconds=0)  # no "remember me"

    # Brute force per account (portal.auth.throttle; SECURITY.md §4): 5 wrong guesses free,
    # then waits from 30 seconds doubling to 15 minutes (at most 8 guesses in 5 minutes;
    # Cyber Essentials 4.2.1 allows 10), and a lock that a password reset or an admin ends.
    SIGN_IN_FREE_TRIES = 5
    SIGN_IN_FIRST_WAIT = dt.timedelta(seconds=30)
    SIGN_IN_LONGEST_WAIT = dt.timedelta(minutes=15)
    SIGN_IN_LOCK_AFTER = 30
    # Per network address (portal.auth.rate_limits): (tries, in seconds). High enough for
    # an office of colleagues behind one address; the per-account throttle does the rest.
    RATE_LIMITS = {
        "sign-in": (60, 300),
        "second-factor": (60, 300),
        "self-service": (20, 3600),  # password reset and invitation requests
        "policy-feedback": (10, 3600),  # the public feedback form (issue 17)
    }
    # How many reverse proxies (load balancer, nginx) stand in front of the app and set
    # X-Forwarded-For / -Proto. 0: trust no such header (a client could forge it). With
    # proxies and 0 here, every customer would share the proxy's address and its limits.
    TRUSTED_PROXIES = 0
    # argon2id parameters; None means argon2-cffi's defaults (t=3, m=64 MiB, p=4).
    ARGON2_PARAMETERS: dict | None = None

    # Evidence files: up to 5 of at most 5 MiB each (portal.uploads), plus the form itself.
    MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    # What one appeal or reconsideration draft (or one incident) may hold in all, however
    # many requests the files come in: the form's 5 files of 5 MiB.
    MAX_UPLOAD_BYTES_PER_DRAFT = 25 * 1024 * 1024
    # ClamAV (portal/uploads/virus_scan.py): "auto" scans when clamd or clamscan with
    # signatures is there and otherwise does not; "required" refuses uploads without it.
    VIRUS_SCAN = "auto"
    CLAMD_SOCKET = ""
    CLAMAV_DATABASE = ""
    VIRUS_SCAN_TIMEOUT = 60
    MAX_CONTENT_LENGTH = 26 * 1024 * 1024
    # A customer export from the housing management system (portal/customer_imports): only
    # its upload page takes a body this large; every other page keeps MAX_CONTENT_LENGTH.
    IMPORT_MAX_BYTES = 100 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "en_GB"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    MAIL_SERVER = ""
    MAIL_PORT = 587
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = True
    MAIL_FROM = "portal@localhost"
    # Without MAIL_SERVER, mail is written to this folder for the developer to read.
    MAIL_OUTBOX_DIR = str(INSTANCE_DIR / "outbox")
    # Evidence files and rendered letters live in the database (issue 18 item 5). Versions
    # before it kept uploads here: the migration a7c3e5f10018 copies them in (and its
    # downgrade writes them back). Nothing else reads it.
    UPLOAD_DIR = str(INSTANCE_DIR / "uploads")
    # Where people reach the portal: every absolute link in an email or a letter is built
    # from it (portal.external_links), never from the request's Host header.
    PORTAL_BASE_URL = "http://127.0.0.1:5000"
    # Requests for any other host are refused (400): Flask's TRUSTED_HOSTS is PORTAL_BASE_URL's
    # host plus these (e.g. an internal name the load balancer's health check uses).
    EXTRA_TRUSTED_HOSTS: tuple[str, ...] = ()
    LOAD_DEMO_DATA_ALLOWED = True

    # The audit trail (portal/audit.py, SECURITY.md §5). AUDIT_KEY keys the hash chain
    # (HMAC-SHA256): kept outside the database, so someone who can write to the database
    # cannot recompute a chain that verifies. `flask audit checkpoint` appends the signed
    # head of the chain to AUDIT_CHECKPOINT_FILE and, when set, emails it to
    # AUDIT_CHECKPOINT_EMAIL (off the box); `flask audit verify` checks both.
    AUDIT_KEY = DEVELOPMENT_AUDIT_KEY
    AUDIT_CHECKPOINT_FILE = str(INSTANCE_DIR / "audit-checkpoints.log")
    AUDIT_CHECKPOINT_EMAIL = ""
    # PostgreSQL: migrations connect as the schema owner (MIGRATION_DATABASE_URL) and grant
    # the app's own role (APP_DATABASE_ROLE, the user in DATABASE_URL) rights on every
    # table, but only SELECT and INSERT on audit_events (portal/database_roles.py).
    MIGRATION_DATABASE_URL = ""
    APP_DATABASE_ROLE = ""
    # Every page template compiled when the app starts (about 0.7 s), not by the first
    # request for each page on each worker: after a deploy, twenty people asking for their
    # files at once otherwise wait behind the compiling too (issue 18 item 4).
    TEMPLATES_COMPILED_AT_START = True


class DevelopmentConfig(Config):
    # ``make run`` serves 127.0.0.1 (the base URL); a developer may also type localhost.
    EXTRA_TRUSTED_HOSTS = ("localhost",)


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_NAME = "__Host-portal_session"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    LOAD_DEMO_DATA_ALLOWED = False
    PREFERRED_URL_SCHEME = "https"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Not the host tests send requests to, so a test sees links ignore the Host header.
    PORTAL_BASE_URL = "https://portal.example.org"
    # Flask's test client says "localhost"; the browser tests' live server is 127.0.0.1.
    EXTRA_TRUSTED_HOSTS = ("localhost", "127.0.0.1")
    # Each test's app compiles only the pages it renders.
    TEMPLATES_COMPILED_AT_START = False
    # Cheap argon2id for speed; production parameters are tested separately.
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


class ConfigurationError(RuntimeError):
    """The portal refuses to start with an unsafe configuration."""


VIRUS_SCAN_MODES = ("auto", "required", "off")

# Environment variable -> (setting, parser). Read when the app is created, not at import.
ENVIRONMENT_SETTINGS = {
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_USERNAME": ("MAIL_USERNAME", str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", lambda v: v.strip().lower() in {"1", "true", "yes", "on"}),
    "MAIL_FROM": ("MAIL_FROM", str),
    "MAIL_OUTBOX_DIR": ("MAIL_OUTBOX_DIR", str),
    "UPLOAD_DIR": ("UPLOAD_DIR", str),
    "PORTAL_BASE_URL": ("PORTAL_BASE_URL", str),
    "LANDLORD_NAME": ("LANDLORD_NAME", str),
    "LANDLORD_PHONE": ("LANDLORD_PHONE", str),
    "LANDLORD_EMAIL": ("LANDLORD_EMAIL", str),
    "LANDLORD_ADDRESS": ("LANDLORD_ADDRESS", str),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "VIRUS_SCAN": ("VIRUS_SCAN", str),
    "CLAMD_SOCKET": ("CLAMD_SOCKET", str),
    "CLAMAV_DATABASE": ("CLAMAV_DATABASE", str),
    "EXTRA_TRUSTED_HOSTS": (
        "EXTRA_TRUSTED_HOSTS",
        lambda v: tuple(h.strip() for h in v.split(",") if h.strip()),
    ),
    "AUDIT_KEY": ("AUDIT_KEY", str),
    "AUDIT_CHECKPOINT_FILE": ("AUDIT_CHECKPOINT_FILE", str),
    "AUDIT_CHECKPOINT_EMAIL": ("AUDIT_CHECKPOINT_EMAIL", str),
    "MIGRATION_DATABASE_URL": ("MIGRATION_DATABASE_URL", str),
    "APP_DATABASE_ROLE": ("APP_DATABASE_ROLE", str),
}


def load_config(config=None) -> dict:
    """Settings as a dict: the class named by PORTAL_ENV, then the environment, then ``config``."""
    overrides = dict(config or {})
    env_name = overrides.pop("PORTAL_ENV", None) or os.environ.get("PORTAL_ENV", "development")
    if env_name not in CONFIGS:
        raise ConfigurationError(f"PORTAL_ENV must be one of {sorted(CONFIGS)}, not {env_name!r}")
    settings = {k: getattr(CONFIGS[env_name], k) for k in dir(CONFIGS[env_name]) if k.isupper()}
    for variable, (setting, parse) in ENVIRONMENT_SETTINGS.items():
        if os.environ.get(variable):
            settings[setting] = parse(os.environ[variable])
    settings.update(overrides)
    if settings["VIRUS_SCAN"] not in VIRUS_SCAN_MODES:
        raise ConfigurationError(f"VIRUS_SCAN must be one of {VIRUS_SCAN_MODES}")
    if "TRUSTED_HOSTS" not in overrides:
        settings["TRUSTED_HOSTS"] = trusted_hosts(settings)
    if settings["ENV_NAME"] == "production":
        check_production_settings(settings)
    return settings


def trusted_hosts(settings: dict) -> list[str]:
    """The hosts the portal answers for: PORTAL_BASE_URL's, then EXTRA_TRUSTED_HOSTS. A
    request naming another host gets a 400, so nothing (a password reset link, a redirect)
    is ever built from a Host header an attacker chose."""
    base_host = urlsplit(settings["PORTAL_BASE_URL"]).hostname
    if not base_host:
        raise ConfigurationError(
            f"PORTAL_BASE_URL must be an absolute URL, not {settings['PORTAL_BASE_URL']!r}"
        )
    extras = [h for h in settings.get("EXTRA_TRUSTED_HOSTS", ()) if h != base_host]
    return [base_host, *extras]


def check_production_settings(settings: dict) -> None:
    key = settings.get("SECRET_KEY") or ""
    if key == DEVELOPMENT_SECRET_KEY or len(key) < MIN_KEY_LENGTH:
        raise ConfigurationError(
            "Refusing to start in production without a real SECRET_KEY "
            "(at least 32 random characters, e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))')."
        )
    check_audit_key(settings)


def check_audit_key(settings: dict) -> None:
    """The audit chain's key: real, and not the session key (a leaked SECRET_KEY must not
    also let someone rewrite the audit trail; SECURITY.md §5, ASVS 16.4.3)."""
    key = settings.get("AUDIT_KEY") or ""
    if key == DEVELOPMENT_AUDIT_KEY or len(key) < MIN_KEY_LENGTH:
        raise ConfigurationError(
            "Refusing to start in production without a real AUDIT_KEY (at least 32 random "
            "characters, kept outside the database and never changed: it keys the audit "
            "trail's hash chain)."
        )
    if key == settings.get("SECRET_KEY"):
        raise ConfigurationError("AUDIT_KEY must not be the same as SECRET_KEY.")
