"""per-grid tallies for the statistics, kept by triggers

Revision ID: 0007_stats_tallies
Revises: 0006_passwords
Create Date: 2026-12-05 22:20:00

The statistics' first screen counted every current resident and every household of the
branch, and every install of the period, at each read: 300,000 residents cost tens of
milliseconds where 2,000 cost one. ``grid_tally`` and ``grid_month_tally`` hold those counts
per grid (and per grid and month, week and day), kept by triggers on ``resident``, ``household`` and
``visit``: every door that writes those rows keeps them exact, raw SQL included. A row
added counts +1 on its grid (and month); a row removed, -1; a row changed, both. Decrements
update an existing tally row only, so deleting everything in any order (the training reset)
leaves no negative rows behind. The month and week tallies are keyed period first and, on
SQLite, kept in their key's order (WITHOUT ROWID): a period reads one range of them.

Residents visited in a period count each resident once, so they cannot be summed from
months: ``resident_visit_day`` keeps beside each visit's resident the visit's day and the
resident's grid and archived flag (kept by triggers on ``visit_resident``, ``visit`` and
``resident``), so that the count reads one narrow index range instead of looking up the
visit and then the resident's row (300,000 wide rows) for each of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

revision: str = "0007_stats_tallies"
down_revision: str | None = "0006_passwords"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


class _Count(NamedTuple):
    """One tally column counting the rows of a table that meet ``when`` (SQL over ``R``);
    a NamedTuple, as Alembic loads this file outside ``sys.modules`` where a dataclass fails."""

    tally: str
    column: str
    when: str
    # The date whose month or week keys the tally row (grid_month_tally, grid_week_tally),
    # or "" (grid_tally).
    day: str = ""


_INSTALLED = "NOT R.archived AND R.anti_fraud_installed AND R.anti_fraud_on IS NOT NULL"
# What each table's rows count for; ``R`` stands for NEW or OLD.
_COUNTS: dict[str, tuple[tuple[str, ...], tuple[_Count, ...]]] = {
    "resident": (
        ("grid_id", "archived", "anti_fraud_installed", "anti_fraud_on"),
        (
            _Count("grid_tally", "residents", "NOT R.archived"),
            _Count("grid_month_tally", "installs", _INSTALLED, "R.anti_fraud_on"),
            _Count("grid_week_tally", "installs", _INSTALLED, "R.anti_fraud_on"),
            _Count("grid_day_tally", "installs", _INSTALLED, "R.anti_fraud_on"),
        ),
    ),
    "household": (("grid_id",), (_Count("grid_tally", "households", "1 = 1"),)),
    "visit": (
        ("grid_id", "visit_date"),
        (
            _Count("grid_month_tally", "visits", "1 = 1", "R.visit_date"),
            _Count("grid_week_tally", "visits", "1 = 1", "R.visit_date"),
            _Count("grid_day_tally", "visits", "1 = 1", "R.visit_date"),
        ),
    ),
}


def _month(dialect: str, day: str) -> str:
    if dialect == "postgresql":
        return f"CAST(date_trunc('month', {day}) AS DATE)"
    return f"date({day}, 'start of month')"


def _week(dialect: str, day: str) -> str:
    """The Monday of the day's week (ISO weeks, as the sweeps and the charts count them)."""
    if dialect == "postgresql":
        return f"CAST(date_trunc('week', {day}) AS DATE)"
    return f"date({day}, 'weekday 0', '-6 days')"


def _keys(count: _Count, dialect: str) -> tuple[list[str], list[str]]:
    if count.tally == "grid_month_tally":
        return ["month", "grid_id"], [_month(dialect, count.day), "R.grid_id"]
    if count.tally == "grid_week_tally":
        return ["week", "grid_id"], [_week(dialect, count.day), "R.grid_id"]
    if count.tally == "grid_day_tally":
        return ["day", "grid_id"], [count.day, "R.grid_id"]
    return ["grid_id"], ["R.grid_id"]


def _add(count: _Count, dialect: str, row: str) -> str:
    names, values = _keys(count, dialect)
    statement = (
        f"INSERT INTO {count.tally} ({', '.join(names)}, {count.column}) "
        f"SELECT {', '.join(values)}, 1 WHERE {count.when} "
        f"ON CONFLICT ({', '.join(names)}) "
        f"DO UPDATE SET {count.column} = {count.tally}.{count.column} + 1"
    )
    return statement.replace("R.", f"{row}.")


def _remove(count: _Count, dialect: str, row: str) -> str:
    names, values = _keys(count, dialect)
    matches = " AND ".join(f"{name} = {value}" for name, value in zip(names, values, strict=True))
    statement = (
        f"UPDATE {count.tally} SET {count.column} = {count.column} - 1 "
        f"WHERE {matches} AND {count.when}"
    )
    return statement.replace("R.", f"{row}.")


def _create_triggers(dialect: str) -> None:
    for table, (columns, counts) in _COUNTS.items():
        adds = [_add(count, dialect, "NEW") for count in counts]
        removes = [_remove(count, dialect, "OLD") for count in counts]
        watched = ", ".join(columns)
        if dialect == "postgresql":
            op.execute(
                f"CREATE FUNCTION tally_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                f"  IF TG_OP <> 'INSERT' THEN {'; '.join(removes)}; END IF;\n"
                f"  IF TG_OP <> 'DELETE' THEN {'; '.join(adds)}; END IF;\n"
                "  RETURN NULL;\n"
                "END $$"
            )
            op.execute(
                f"CREATE TRIGGER tally_{table} AFTER INSERT OR DELETE OR UPDATE OF {watched} "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION tally_{table}()"
            )
            continue
        body = {
            "insert": adds,
            "delete": removes,
            "update": removes + adds,
        }
        for event, statements in body.items():
            when = f"UPDATE OF {watched}" if event == "update" else event.upper()
            op.execute(
                f"CREATE TRIGGER tally_{table}_{event} AFTER {when} ON {table} "
                f"BEGIN {'; '.join(statements)}; END"
            )


# Triggers keeping ``resident_visit_day``: (table, events, columns watched, statements).
_VISIT_DAY_INSERT = (
    "INSERT INTO resident_visit_day (visit_id, resident_id, grid_id, visit_date, archived) "
    "SELECT NEW.visit_id, NEW.resident_id, resident.grid_id, visit.visit_date, "
    "resident.archived FROM visit, resident "
    "WHERE visit.id = NEW.visit_id AND resident.id = NEW.resident_id"
)
_VISIT_DAY_DELETE = (
    "DELETE FROM resident_visit_day WHERE visit_id = OLD.visit_id AND resident_id = OLD.resident_id"
)
_VISIT_DAYS: dict[str, tuple[tuple[str, ...], dict[str, list[str]]]] = {
    "visit_resident": (
        ("visit_id", "resident_id"),
        {
            "insert": [_VISIT_DAY_INSERT],
            "delete": [_VISIT_DAY_DELETE],
            "update": [_VISIT_DAY_DELETE, _VISIT_DAY_INSERT],
        },
    ),
    "visit": (
        ("visit_date",),
        {
            "update": [
                "UPDATE resident_visit_day SET visit_date = NEW.visit_date WHERE visit_id = NEW.id"
            ]
        },
    ),
    "resident": (
        ("grid_id", "archived"),
        {
            "update": [
                "UPDATE resident_visit_day SET grid_id = NEW.grid_id, archived = NEW.archived "
                "WHERE resident_id = NEW.id"
            ]
        },
    ),
}


def _create_visit_day_triggers(dialect: str) -> None:
    for table, (columns, events) in _VISIT_DAYS.items():
        watched = ", ".join(columns)
        if dialect == "postgresql":
            branches = "".join(
                f"  IF TG_OP = '{event.upper()}' THEN {'; '.join(statements)}; END IF;\n"
                for event, statements in events.items()
            )
            op.execute(
                f"CREATE FUNCTION visit_day_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{branches}  RETURN NULL;\nEND $$"
            )
            kinds = " OR ".join(
                f"UPDATE OF {watched}" if event == "update" else event.upper() for event in events
            )
            op.execute(
                f"CREATE TRIGGER visit_day_{table} AFTER {kinds} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION visit_day_{table}()"
            )
            continue
        for event, statements in events.items():
            when = f"UPDATE OF {watched}" if event == "update" else event.upper()
            op.execute(
                f"CREATE TRIGGER visit_day_{table}_{event} AFTER {when} ON {table} "
                f"BEGIN {'; '.join(statements)}; END"
            )


def _drop_triggers(dialect: str) -> None:
    for table, (_columns, events) in _VISIT_DAYS.items():
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS visit_day_{table} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS visit_day_{table}()")
            continue
        for event in events:
            op.execute(f"DROP TRIGGER IF EXISTS visit_day_{table}_{event}")
    for table in _COUNTS:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS tally_{table} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS tally_{table}()")
            continue
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS tally_{table}_{event}")


def _fill(dialect: str) -> None:
    """The tallies of the rows already there, counted as the triggers count them."""
    op.execute(
        "INSERT INTO grid_tally (grid_id, residents, households) "
        "SELECT grid_id, sum(residents), sum(households) FROM ("
        "SELECT grid_id, CASE WHEN archived THEN 0 ELSE 1 END AS residents, 0 AS households "
        "FROM resident UNION ALL SELECT grid_id, 0, 1 FROM household"
        ") AS counted GROUP BY grid_id"
    )
    op.execute(
        "INSERT INTO grid_month_tally (grid_id, month, installs, visits) "
        "SELECT grid_id, month, sum(installs), sum(visits) FROM ("
        f"SELECT grid_id, {_month(dialect, 'anti_fraud_on')} AS month, 1 AS installs, "
        "0 AS visits FROM resident WHERE NOT archived AND anti_fraud_installed "
        "AND anti_fraud_on IS NOT NULL "
        f"UNION ALL SELECT grid_id, {_month(dialect, 'visit_date')}, 0, 1 FROM visit"
        ") AS counted GROUP BY grid_id, month"
    )
    op.execute(
        "INSERT INTO grid_week_tally (grid_id, week, installs, visits) "
        "SELECT grid_id, week, sum(installs), sum(visits) FROM ("
        f"SELECT grid_id, {_week(dialect, 'anti_fraud_on')} AS week, 1 AS installs, "
        "0 AS visits FROM resident WHERE NOT archived AND anti_fraud_installed "
        "AND anti_fraud_on IS NOT NULL "
        f"UNION ALL SELECT grid_id, {_week(dialect, 'visit_date')}, 0, 1 FROM visit"
        ") AS counted GROUP BY grid_id, week"
    )
    op.execute(
        "INSERT INTO grid_day_tally (grid_id, day, installs, visits) "
        "SELECT grid_id, day, sum(installs), sum(visits) FROM ("
        "SELECT grid_id, anti_fraud_on AS day, 1 AS installs, 0 AS visits FROM resident "
        "WHERE NOT archived AND anti_fraud_installed AND anti_fraud_on IS NOT NULL "
        "UNION ALL SELECT grid_id, visit_date, 0, 1 FROM visit"
        ") AS counted GROUP BY grid_id, day"
    )
    op.execute(
        "INSERT INTO resident_visit_day (visit_id, resident_id, grid_id, visit_date, archived) "
        "SELECT visit_resident.visit_id, visit_resident.resident_id, resident.grid_id, "
        "visit.visit_date, resident.archived FROM visit_resident "
        "JOIN visit ON visit.id = visit_resident.visit_id "
        "JOIN resident ON resident.id = visit_resident.resident_id"
    )


def upgrade() -> None:
    op.create_table(
        "grid_tally",
        sa.Column("grid_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("residents", sa.Integer(), server_default="0", nullable=False),
        sa.Column("households", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("grid_id", name=op.f("pk_grid_tally")),
    )
    op.create_table(
        "grid_month_tally",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("grid_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("installs", sa.Integer(), server_default="0", nullable=False),
        sa.Column("visits", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("month", "grid_id", name=op.f("pk_grid_month_tally")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "grid_week_tally",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("grid_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("installs", sa.Integer(), server_default="0", nullable=False),
        sa.Column("visits", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("week", "grid_id", name=op.f("pk_grid_week_tally")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "grid_day_tally",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grid_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("installs", sa.Integer(), server_default="0", nullable=False),
        sa.Column("visits", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("day", "grid_id", name=op.f("pk_grid_day_tally")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "resident_visit_day",
        sa.Column("visit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("resident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("visit_id", "resident_id", name=op.f("pk_resident_visit_day")),
    )
    with op.batch_alter_table("resident_visit_day", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resident_visit_day_stats",
            ["grid_id", "visit_date", "resident_id", "archived"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_resident_visit_day_resident_id"), ["resident_id"], unique=False
        )
    dialect = op.get_bind().dialect.name
    _fill(dialect)
    _create_triggers(dialect)
    _create_visit_day_triggers(dialect)


def downgrade() -> None:
    _drop_triggers(op.get_bind().dialect.name)
    op.drop_table("resident_visit_day")
    op.drop_table("grid_day_tally")
    op.drop_table("grid_week_tally")
    op.drop_table("grid_month_tally")
    op.drop_table("grid_tally")
