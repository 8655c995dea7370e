"""per-room tallies for the statistics' first screen, kept by triggers on the grid tallies

Revision ID: 0008_room_tallies
Revises: 0007_stats_tallies
Create Date: 2026-12-06 02:20:00

The first screen shows the 58 police rooms, but read the installs and visits of the period
from the grid tallies: 670 grids' rows per month, summed per room at every read. The room
tallies hold those sums per room (the room of the grid or of its nearest ancestor that has
one; 0 for grids under no room) and per month, week and day. Triggers on the grid tallies
add each change of a grid tally row to its room's row, so every door that writes residents
or visits keeps them exact through the grid tallies' own triggers. A grid's room or parent
changing moves its tallies to another room: a trigger on ``grid`` then counts the room
tallies afresh from the grid tallies (a rare administrator's edit; the grid has three
levels, so a grid's room is its own, its parent's or its grandparent's).

``ix_resident_visit_day_archived`` holds the visited residents archived since (few): the
"not visited" figure counts them without a second pass over every visited resident.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_room_tallies"
down_revision: str | None = "0007_stats_tallies"
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


def _refill() -> list[str]:
    """The room tallies counted afresh from the grid tallies."""
    statements = [f"DELETE FROM {room}" for _grid, room, _key in _TALLIES]
    for grid, room, key in _TALLIES:
        statements.append(
            f"INSERT INTO {room} ({key}, room_id, installs, visits) "
            f"SELECT {key}, room_id, sum(installs), sum(visits) FROM ("
            f"SELECT t.{key}, {_ROOM_OF_GRID.format(grid='t.grid_id')} AS room_id, "
            f"t.installs, t.visits FROM {grid} AS t) AS counted GROUP BY {key}, room_id"
        )
    return statements


def _add(room: str, key: str) -> str:
    return (
        f"INSERT INTO {room} ({key}, room_id, installs, visits) "
        f"SELECT NEW.{key}, {_ROOM_OF_GRID.format(grid='NEW.grid_id')}, NEW.installs, "
        f"NEW.visits WHERE 1 = 1 ON CONFLICT ({key}, room_id) DO UPDATE SET "
        f"installs = {room}.installs + excluded.installs, "
        f"visits = {room}.visits + excluded.visits"
    )


def _remove(room: str, key: str) -> str:
    # an existing row only: deleting everything in any order leaves nothing negative behind
    return (
        f"UPDATE {room} SET installs = installs - OLD.installs, visits = visits - OLD.visits "
        f"WHERE {key} = OLD.{key} AND room_id = {_ROOM_OF_GRID.format(grid='OLD.grid_id')}"
    )


def _create_triggers(dialect: str) -> None:
    for grid, room, key in _TALLIES:
        adds, removes = [_add(room, key)], [_remove(room, key)]
        if dialect == "postgresql":
            op.execute(
                f"CREATE FUNCTION tally_{room}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                f"  IF TG_OP <> 'INSERT' THEN {'; '.join(removes)}; END IF;\n"
                f"  IF TG_OP <> 'DELETE' THEN {'; '.join(adds)}; END IF;\n"
                "  RETURN NULL;\n"
                "END $$"
            )
            op.execute(
                f"CREATE TRIGGER tally_{room} AFTER INSERT OR DELETE OR UPDATE "
                f"ON {grid} FOR EACH ROW EXECUTE FUNCTION tally_{room}()"
            )
            continue
        body = {"insert": adds, "delete": removes, "update": removes + adds}
        for event, statements in body.items():
            op.execute(
                f"CREATE TRIGGER tally_{room}_{event} AFTER {event.upper()} ON {grid} "
                f"BEGIN {'; '.join(statements)}; END"
            )
    refill = "; ".join(_refill())
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


def _drop_triggers(dialect: str) -> None:
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


def upgrade() -> None:
    for _grid, room, key in _TALLIES:
        op.create_table(
            room,
            sa.Column(key, sa.Date(), nullable=False),
            sa.Column("room_id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("installs", sa.Integer(), server_default="0", nullable=False),
            sa.Column("visits", sa.Integer(), server_default="0", nullable=False),
            sa.PrimaryKeyConstraint(key, "room_id", name=op.f(f"pk_{room}")),
            sqlite_with_rowid=False,
        )
    op.create_index(
        "ix_resident_visit_day_archived",
        "resident_visit_day",
        ["grid_id", "visit_date", "resident_id"],
        unique=False,
        sqlite_where=sa.text("archived = 1"),
        postgresql_where=sa.text("archived"),
    )
    dialect = op.get_bind().dialect.name
    for statement in _refill():
        op.execute(statement)
    _create_triggers(dialect)


def downgrade() -> None:
    _drop_triggers(op.get_bind().dialect.name)
    op.drop_index("ix_resident_visit_day_archived", table_name="resident_visit_day")
    for _grid, room, _key in reversed(_TALLIES):
        op.drop_table(room)
