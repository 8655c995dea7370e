"""visited residents' days in the grid and room tallies

Revision ID: 0011_resident_day_tallies
Revises: 0010_dispute_tallies
Create Date: 2026-12-06 05:40:00

Residents visited in a period were counted from ``resident_visit_day``'s rows in range
whose visit day before is older than the period (migration 0009): one index range per grid,
every visited resident of the period read (12,000 at branch scale). That count is the rows
in range less those whose day before is in the period too (a resident's second and later
days of the period). The first part sums from tallies, like visits: ``resident_days``
counts ``resident_visit_day``'s rows per grid (the resident's) and month, week and day of
the visit, and per room through the room tallies; the second reads only the repeat days,
through ``ix_resident_visit_day_before``. A trigger on ``resident_visit_day`` keeps the
tallies; the room tallies' triggers are made again to carry the new column.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_resident_day_tallies"
down_revision: str | None = "0010_dispute_tallies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (grid tally, room tally, key column): the same as ``models.tallies.ROOM_TALLIES``.
_TALLIES = (
    ("grid_month_tally", "room_month_tally", "month"),
    ("grid_week_tally", "room_week_tally", "week"),
    ("grid_day_tally", "room_day_tally", "day"),
)
_ROOM_OF_GRID = (
    "coalesce((SELECT coalesce(g.police_room_id, p.police_room_id, gp.police_room_id) "
    "FROM grid AS g LEFT JOIN grid AS p ON p.id = g.parent_id "
    "LEFT JOIN grid AS gp ON gp.id = p.parent_id WHERE g.id = {grid}), 0)"
)


def _bucket(dialect: str, key: str, day: str) -> str:
    if key == "day":
        return day
    if dialect == "postgresql":
        return f"CAST(date_trunc('{key}', {day}) AS DATE)"
    if key == "month":
        return f"date({day}, 'start of month')"
    return f"date({day}, 'weekday 0', '-6 days')"  # the Monday of its ISO week


# --- the visited residents' days: one upsert per grid tally -------------------------------


def _day_add(dialect: str, tally: str, key: str) -> str:
    return (
        f"INSERT INTO {tally} ({key}, grid_id, resident_days) "
        f"SELECT {_bucket(dialect, key, 'NEW.visit_date')}, NEW.grid_id, 1 WHERE 1 = 1 "
        f"ON CONFLICT ({key}, grid_id) DO UPDATE SET "
        f"resident_days = {tally}.resident_days + 1"
    )


def _day_remove(dialect: str, tally: str, key: str) -> str:
    # an existing row only: deleting everything in any order leaves nothing negative behind
    return (
        f"UPDATE {tally} SET resident_days = resident_days - 1 "
        f"WHERE {key} = {_bucket(dialect, key, 'OLD.visit_date')} AND grid_id = OLD.grid_id"
    )


def _create_day_triggers(dialect: str) -> None:
    adds = [_day_add(dialect, grid, key) for grid, _room, key in _TALLIES]
    removes = [_day_remove(dialect, grid, key) for grid, _room, key in _TALLIES]
    watched = "grid_id, visit_date"
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION tally_resident_visit_day() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  IF TG_OP <> 'INSERT' THEN {'; '.join(removes)}; END IF;\n"
            f"  IF TG_OP <> 'DELETE' THEN {'; '.join(adds)}; END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        op.execute(
            f"CREATE TRIGGER tally_resident_visit_day AFTER INSERT OR DELETE OR UPDATE OF "
            f"{watched} ON resident_visit_day FOR EACH ROW "
            "EXECUTE FUNCTION tally_resident_visit_day()"
        )
        return
    for event, statements in (
        ("insert", adds),
        ("delete", removes),
        ("update", removes + adds),
    ):
        when = f"UPDATE OF {watched}" if event == "update" else event.upper()
        op.execute(
            f"CREATE TRIGGER tally_resident_visit_day_{event} AFTER {when} "
            f"ON resident_visit_day BEGIN {'; '.join(statements)}; END"
        )


def _drop_day_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tally_resident_visit_day ON resident_visit_day")
        op.execute("DROP FUNCTION IF EXISTS tally_resident_visit_day()")
        return
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS tally_resident_visit_day_{event}")


# --- the room tallies' triggers (0008's, 0010's), for a given set of columns:
# written again, not imported: a migration must not change when a later one does -----------------------


def _room_refill(figures: tuple[str, ...]) -> list[str]:
    """The room tallies counted afresh from the grid tallies."""
    named = ", ".join(figures)
    summed = ", ".join(f"sum({figure})" for figure in figures)
    picked = ", ".join(f"t.{figure}" for figure in figures)
    statements = [f"DELETE FROM {room}" for _grid, room, _key in _TALLIES]
    for grid, room, key in _TALLIES:
        statements.append(
            f"INSERT INTO {room} ({key}, room_id, {named}) "
            f"SELECT {key}, room_id, {summed} FROM ("
            f"SELECT t.{key}, {_ROOM_OF_GRID.format(grid='t.grid_id')} AS room_id, "
            f"{picked} FROM {grid} AS t) AS counted GROUP BY {key}, room_id"
        )
    return statements


def _room_add(room: str, key: str, figures: tuple[str, ...]) -> str:
    return (
        f"INSERT INTO {room} ({key}, room_id, {', '.join(figures)}) "
        f"SELECT NEW.{key}, {_ROOM_OF_GRID.format(grid='NEW.grid_id')}, "
        f"{', '.join(f'NEW.{figure}' for figure in figures)} WHERE 1 = 1 "
        f"ON CONFLICT ({key}, room_id) DO UPDATE SET "
        + ", ".join(f"{figure} = {room}.{figure} + excluded.{figure}" for figure in figures)
    )


def _room_remove(room: str, key: str, figures: tuple[str, ...]) -> str:
    return (
        f"UPDATE {room} SET "
        + ", ".join(f"{figure} = {figure} - OLD.{figure}" for figure in figures)
        + f" WHERE {key} = OLD.{key} AND room_id = {_ROOM_OF_GRID.format(grid='OLD.grid_id')}"
    )


def _create_room_triggers(dialect: str, figures: tuple[str, ...]) -> None:
    for grid, room, key in _TALLIES:
        add, remove = _room_add(room, key, figures), _room_remove(room, key, figures)
        if dialect == "postgresql":
            op.execute(
                f"CREATE FUNCTION tally_{room}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                f"  IF TG_OP <> 'INSERT' THEN {remove}; END IF;\n"
                f"  IF TG_OP <> 'DELETE' THEN {add}; END IF;\n"
                "  RETURN NULL;\n"
                "END $$"
            )
            op.execute(
                f"CREATE TRIGGER tally_{room} AFTER INSERT OR DELETE OR UPDATE "
                f"ON {grid} FOR EACH ROW EXECUTE FUNCTION tally_{room}()"
            )
            continue
        for event, statements in (
            ("insert", [add]),
            ("delete", [remove]),
            ("update", [remove, add]),
        ):
            op.execute(
                f"CREATE TRIGGER tally_{room}_{event} AFTER {event.upper()} ON {grid} "
                f"BEGIN {'; '.join(statements)}; END"
            )
    refill = "; ".join(_room_refill(figures))
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION room_tallies_grid() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n  {refill};\n  RETURN NULL;\nEND $$"
        )
        op.execute(
            "CREATE TRIGGER room_tallies_grid AFTER UPDATE OF police_room_id, parent_id "
            "ON grid FOR EACH ROW WHEN (OLD.police_room_id IS DISTINCT FROM "
            "NEW.police_room_id OR OLD.parent_id IS DISTINCT FROM NEW.parent_id) "
            "EXECUTE FUNCTION room_tallies_grid()"
        )
        return
    op.execute(
        "CREATE TRIGGER room_tallies_grid AFTER UPDATE OF police_room_id, parent_id ON grid "
        "WHEN OLD.police_room_id IS NOT NEW.police_room_id "
        "OR OLD.parent_id IS NOT NEW.parent_id "
        f"BEGIN {refill}; END"
    )


def _drop_room_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS room_tallies_grid ON grid")
        op.execute("DROP FUNCTION IF EXISTS room_tallies_grid()")
    else:
        op.execute("DROP TRIGGER IF EXISTS room_tallies_grid")
    for grid, room, _key in _TALLIES:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS tally_{room} ON {grid}")
            op.execute(f"DROP FUNCTION IF EXISTS tally_{room}()")
            continue
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS tally_{room}_{event}")


_BEFORE = ("installs", "visits", "registered", "resolved")
_AFTER = (*_BEFORE, "resident_days")
_REPEATS = ["previous_visit_date", "visit_date", "grid_id"]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_room_triggers(dialect)
    for grid, room, _key in _TALLIES:
        for table in (grid, room):
            op.add_column(
                table, sa.Column("resident_days", sa.Integer(), server_default="0", nullable=False)
            )
    for grid, _room, key in _TALLIES:
        # the visited residents' days already there, counted as the trigger counts them
        op.execute(
            f"INSERT INTO {grid} ({key}, grid_id, resident_days) "
            f"SELECT {key}, grid_id, count(*) FROM ("
            f"SELECT {_bucket(dialect, key, 'visit_date')} AS {key}, grid_id "
            "FROM resident_visit_day) AS counted "
            f"GROUP BY {key}, grid_id ON CONFLICT ({key}, grid_id) DO UPDATE SET "
            "resident_days = excluded.resident_days"
        )
    for statement in _room_refill(_AFTER):
        op.execute(statement)
    _create_room_triggers(dialect, _AFTER)
    _create_day_triggers(dialect)
    op.create_index("ix_resident_visit_day_before", "resident_visit_day", _REPEATS, unique=False)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_index("ix_resident_visit_day_before", table_name="resident_visit_day")
    _drop_day_triggers(dialect)
    _drop_room_triggers(dialect)
    for grid, room, _key in _TALLIES:
        for table in (grid, room):
            # in place, not batch: a copy renamed back trips SQLite over the triggers
            op.execute(f"ALTER TABLE {table} DROP COLUMN resident_days")
    _create_room_triggers(dialect, _BEFORE)
