import logging
from logging.config import fileConfig

from flask import current_app

from alembic import context

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


_migration_engine = None


def get_engine():
    """The app's engine, or the schema owner's when MIGRATION_DATABASE_URL is set: on
    PostgreSQL the app's own role may not create, alter or own tables
    (portal/database_roles.py)."""
    global _migration_engine
    owner_url = current_app.config.get("MIGRATION_DATABASE_URL")
    if not owner_url:
        return current_app.extensions["migrate"].db.engine
    if _migration_engine is None:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        _migration_engine = create_engine(owner_url, poolclass=NullPool)
    return _migration_engine


def grant_app_role(connection):
    """After every upgrade (tables added later included): the app's role gets what it
    needs, and only SELECT and INSERT on the audit trail."""
    role = current_app.config.get("APP_DATABASE_ROLE")
    if role and connection.dialect.name == "postgresql":
        from portal.database_roles import grant_app_role as grant

        grant(connection, role)


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
    except AttributeError:
        return str(get_engine().url).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def render_item(type_, obj, autogen_context):
    """Write the portal's own column types as plain SQLAlchemy types, so that a migration
    stays frozen and never imports application code that may later change."""
    from portal.models.types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives
    conf_args.setdefault("render_item", render_item)
    conf_args.setdefault("compare_type", True)

    connectable = get_engine()

    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_sqlite_foreign_keys(connection)
                grant_app_role(connection)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, *, on: bool):
    """A batch migration on SQLite rebuilds a table: copy, drop the old, rename. With
    foreign keys on, dropping a table that other rows reference deletes those rows (ON
    DELETE CASCADE) or fails. SQLite's own procedure for such changes turns the checks off
    outside any transaction, then checks every key before committing
    (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema changes").
    The PRAGMA is sent on the driver's connection, before SQLAlchemy begins a transaction,
    because inside one SQLite ignores it."""
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _check_sqlite_foreign_keys(connection):
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
