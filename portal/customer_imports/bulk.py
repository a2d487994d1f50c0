"""Bulk writes for the import: one statement per chunk on PostgreSQL.

An ``executemany`` of thousands of rows makes the driver build a statement with thousands
of placeholders (psycopg spends longer on that than the server on the rows); PostgreSQL can
take one array per column instead and ``unnest`` them, in ``INSERT … SELECT`` and
``UPDATE … FROM``. SQLite gets a plain ``executemany``.
"""

import json

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from portal.extensions import db


def _is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _array_value(column, value):
    if isinstance(column.type, sa.JSON):
        return None if value is None else json.dumps(value)
    return getattr(value, "value", value)  # enum members as their stored value


def _array_type(column):
    if isinstance(column.type, sa.JSON | sa.Enum):
        return postgresql.ARRAY(sa.Text)
    return postgresql.ARRAY(column.type)


def _unnested(table, rows: list[dict], names: list[str]):
    """``unnest(:a, :b, …) AS anon(a, b, …)`` with one array per column."""
    arrays = [
        sa.bindparam(
            f"array_{name}",
            [_array_value(table.c[name], row[name]) for row in rows],
            type_=_array_type(table.c[name]),
        )
        for name in names
    ]
    return sa.func.unnest(*arrays).table_valued(*names).render_derived()


def _as_column_type(table, source, name):
    column = table.c[name]
    if isinstance(column.type, sa.JSON):
        return sa.cast(source.c[name], column.type)
    return source.c[name]


def insert(table, rows: list[dict], constants: dict | None = None, returning=()):
    """Insert ``rows`` (dicts with the same keys), each also given ``constants``; returns
    the result (rows of ``returning`` columns, if any)."""
    constants = constants or {}
    if not _is_postgresql():
        statement = sa.insert(table).values(**constants)
        if returning:
            statement = statement.returning(*returning)
        return db.session.execute(statement, rows)
    names = list(rows[0])
    source = _unnested(table, rows, names)
    select = sa.select(
        *(_as_column_type(table, source, name) for name in names),
        *(sa.literal(value, table.c[name].type) for name, value in constants.items()),
    )
    statement = sa.insert(table).from_select([*names, *constants], select)
    if returning:
        statement = statement.returning(*returning)
    return db.session.execute(statement)


def update(table, rows: list[dict], key: str = "id") -> None:
    """Set each row's values on the table's row whose ``key`` matches."""
    names = [name for name in rows[0] if name != key]
    if not _is_postgresql():
        statement = (
            sa.update(table)
            .where(table.c[key] == sa.bindparam(f"match_{key}"))
            .values({name: sa.bindparam(f"new_{name}") for name in names})
        )
        parameters = [
            {f"new_{n}" if n != key else f"match_{n}": v for n, v in r.items()} for r in rows
        ]
        db.session.execute(statement, parameters)
        return
    source = _unnested(table, rows, [key, *names])
    statement = (
        sa.update(table)
        .where(table.c[key] == source.c[key])
        .values({name: _as_column_type(table, source, name) for name in names})
    )
    db.session.execute(statement)
