"""Running tallies behind the headquarters statistics, kept by database triggers.

The statistics read these instead of counting 300,000 residents at every screen. Triggers
(migration ``0007_stats_tallies``) update them in the same statement as the row they count,
whatever wrote it: a desk form, the CLI, a fixtures load, the generator's bulk inserts or
raw SQL. No service writes them, and they are not fixture data: a load fills them through
the triggers of the rows it inserts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Connection, Index, text
from sqlmodel import Field, SQLModel

from policeroom.models.disputes import DisputeStatus


class GridTally(SQLModel, table=True):
    """What stands on one grid today: its current (not archived) residents, its households."""

    __tablename__ = "grid_tally"

    grid_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    residents: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    households: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Counted(SQLModel):
    """What every month, week and day tally counts, grid and room alike (``FIGURES``)."""

    installs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    visits: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    registered: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    resolved: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    resident_days: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class GridMonthTally(Counted, table=True):
    """What happened on one grid in one calendar month (``month`` is its first day):
    anti-fraud installs of current residents, by install date; visits, by visit date; and
    disputes registered and, of those, resolved, by the day reported (migration
    ``0010_dispute_tallies``); visited residents' days (``resident_visit_day``'s rows), on
    the resident's grid, by visit date (migration ``0011_resident_day_tallies``).

    A period's count is the sum of the months wholly inside it plus the days at its ragged
    edges, counted from the indexed rows themselves."""

    __tablename__ = "grid_month_tally"
    # Period first and, on SQLite, stored in key order: a period is one range of rows.
    __table_args__ = ({"sqlite_with_rowid": False},)

    month: date = Field(primary_key=True)
    grid_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class GridWeekTally(Counted, table=True):
    """The same per ISO week (``week`` is its Monday): the weeks of a chart, and the whole
    weeks at a period's edges outside its whole months."""

    __tablename__ = "grid_week_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    week: date = Field(primary_key=True)
    grid_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class GridDayTally(Counted, table=True):
    """The same per day: the days at a period's edges outside its whole weeks."""

    __tablename__ = "grid_day_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    day: date = Field(primary_key=True)
    grid_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class RoomMonthTally(Counted, table=True):
    """``grid_month_tally`` summed per police room: the room of each grid or of its nearest
    ancestor that has one (``room_id`` 0: grids that answer to no room). Kept by triggers on
    the grid tallies (migration ``0008_room_tallies``), and counted afresh when a grid's
    room or parent changes: the first screen reads 58 rooms' rows, not 670 grids'."""

    __tablename__ = "room_month_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    month: date = Field(primary_key=True)
    room_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class RoomWeekTally(Counted, table=True):
    """``grid_week_tally`` summed per police room, as ``RoomMonthTally``."""

    __tablename__ = "room_week_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    week: date = Field(primary_key=True)
    room_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class RoomDayTally(Counted, table=True):
    """``grid_day_tally`` summed per police room, as ``RoomMonthTally``."""

    __tablename__ = "room_day_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    day: date = Field(primary_key=True)
    room_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class ResidentVisitDay(SQLModel, table=True):
    """One resident met by one visit, with the visit's day and the resident's grid and
    archived flag as they stand, and the resident's visit day before it (None: the first;
    migration ``0009_visit_day_before``). Residents visited in a period are its rows less
    those whose day before is in the period too: the rows are tallied per grid and room
    (``resident_days``, migration ``0011_resident_day_tallies``) and the repeats found
    through ``ix_resident_visit_day_before``, so no visited resident is read but a repeat,
    and no distinct count is made (``services.reports.stats_counts``)."""

    __tablename__ = "resident_visit_day"
    __table_args__ = (
        Index("ix_resident_visit_day_stats", "grid_id", "visit_date", "previous_visit_date"),
        # the days whose day before is in a period too: a resident's second and later days
        # of it (migration ``0011_resident_day_tallies``)
        Index("ix_resident_visit_day_before", "previous_visit_date", "visit_date", "grid_id"),
        # the visited residents archived since (few): counted without a second pass over
        # every visited resident of the period
        Index(
            "ix_resident_visit_day_archived",
            "grid_id",
            "visit_date",
            "previous_visit_date",
            sqlite_where=text("archived = 1"),
            postgresql_where=text("archived"),
        ),
    )

    visit_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    resident_id: int = Field(
        primary_key=True, index=True, sa_column_kwargs={"autoincrement": False}
    )
    grid_id: int
    visit_date: date
    archived: bool
    previous_visit_date: date | None = None


# The tables whose rows the triggers count, and the triggers' tables.
COUNTED = ("resident", "household", "visit", "visit_resident", "dispute")
TALLIES = ("grid_tally", "grid_month_tally", "grid_week_tally", "grid_day_tally")
# What the month, week and day tallies count, grid and room alike.
FIGURES = ("installs", "visits", "registered", "resolved", "resident_days")
# The grid tallies whose triggers keep the room tallies, each with its room tally and key.
ROOM_TALLIES = (
    ("grid_month_tally", "room_month_tally", "month"),
    ("grid_week_tally", "room_week_tally", "week"),
    ("grid_day_tally", "room_day_tally", "day"),
)
# The police room a grid answers to (0: none), from the grid ``{grid}`` names: the grid has
# three levels, so its own room, its parent's or its grandparent's.
ROOM_OF_GRID = (
    "coalesce((SELECT coalesce(g.police_room_id, p.police_room_id, gp.police_room_id) "
    "FROM grid AS g LEFT JOIN grid AS p ON p.id = g.parent_id "
    "LEFT JOIN grid AS gp ON gp.id = p.parent_id WHERE g.id = {grid}), 0)"
)


# A visited resident's visit day before this one, in the order the trigger of migration
# ``0009_visit_day_before`` keeps: by day, then by visit.
DAY_BEFORE = (
    "lag(visit.visit_date) OVER (PARTITION BY visit_resident.resident_id "
    "ORDER BY visit.visit_date, visit_resident.visit_id)"
)


def room_refill_statements() -> list[str]:
    """The room tallies counted afresh from the grid tallies (as the migration fills them,
    and as its trigger does when a grid's room or parent changes)."""
    named = ", ".join(FIGURES)
    summed = ", ".join(f"sum({figure})" for figure in FIGURES)
    picked = ", ".join(f"t.{figure}" for figure in FIGURES)
    statements = [f"DELETE FROM {room}" for _grid, room, _key in ROOM_TALLIES]
    for grid, room, key in ROOM_TALLIES:
        statements.append(
            f"INSERT INTO {room} ({key}, room_id, {named}) "
            f"SELECT {key}, room_id, {summed} FROM ("
            f"SELECT t.{key}, {ROOM_OF_GRID.format(grid='t.grid_id')} AS room_id, "
            f"{picked} FROM {grid} AS t) AS counted GROUP BY {key}, room_id"
        )
    return statements


def _refill_statements(dialect: str) -> list[str]:
    """Every tally counted afresh from the rows, as the triggers count them (the same
    statements as the migration's first fill)."""
    if dialect == "postgresql":
        month = "CAST(date_trunc('month', {day}) AS DATE)"
        week = "CAST(date_trunc('week', {day}) AS DATE)"
    else:
        month = "date({day}, 'start of month')"
        week = "date({day}, 'weekday 0', '-6 days')"
    installed = (
        "FROM resident WHERE NOT archived AND anti_fraud_installed AND anti_fraud_on IS NOT NULL"
    )
    statements = [f"DELETE FROM {table}" for table in (*TALLIES, "resident_visit_day")]
    statements.append(
        "INSERT INTO grid_tally (grid_id, residents, households) "
        "SELECT grid_id, sum(residents), sum(households) FROM ("
        "SELECT grid_id, CASE WHEN archived THEN 0 ELSE 1 END AS residents, 0 AS households "
        "FROM resident UNION ALL SELECT grid_id, 0, 1 FROM household"
        ") AS counted GROUP BY grid_id"
    )
    for table, key, bucket in (
        ("grid_month_tally", "month", month),
        ("grid_week_tally", "week", week),
        ("grid_day_tally", "day", "{day}"),
    ):
        statements.append(
            f"INSERT INTO {table} ({key}, grid_id, {', '.join(FIGURES)}) "
            f"SELECT {key}, grid_id, {', '.join(f'sum({figure})' for figure in FIGURES)} FROM ("
            f"SELECT {bucket.format(day='anti_fraud_on')} AS {key}, grid_id, 1 AS installs, "
            f"0 AS visits, 0 AS registered, 0 AS resolved, 0 AS resident_days {installed} "
            f"UNION ALL SELECT {bucket.format(day='visit_date')}, grid_id, 0, 1, 0, 0, 0 "
            "FROM visit "
            f"UNION ALL SELECT {bucket.format(day='reported_on')}, grid_id, 0, 0, 1, "
            f"CASE WHEN status = '{DisputeStatus.RESOLVED.value}' THEN 1 ELSE 0 END, 0 "
            "FROM dispute "
            # each visited resident's day, on the resident's grid, as resident_visit_day has it
            f"UNION ALL SELECT {bucket.format(day='visit.visit_date')}, resident.grid_id, "
            "0, 0, 0, 0, 1 FROM visit_resident JOIN visit ON visit.id = visit_resident.visit_id "
            "JOIN resident ON resident.id = visit_resident.resident_id"
            f") AS counted GROUP BY {key}, grid_id"
        )
    statements.append(
        "INSERT INTO resident_visit_day "
        "(visit_id, resident_id, grid_id, visit_date, archived, previous_visit_date) "
        "SELECT visit_resident.visit_id, visit_resident.resident_id, resident.grid_id, "
        "visit.visit_date, resident.archived, "
        f"{DAY_BEFORE} FROM visit_resident "
        "JOIN visit ON visit.id = visit_resident.visit_id "
        "JOIN resident ON resident.id = visit_resident.resident_id"
    )
    return statements + room_refill_statements()


@contextmanager
def counted_in_bulk(connection: Connection) -> Iterator[None]:
    """Bulk inserts into an empty database, the tallies counted once at the end.

    A row trigger costs four upserts per resident: on PostgreSQL a PL/pgSQL call each, which
    made the generator's 300,000 residents take 3.2 times as long; on SQLite a quarter more
    CPU, enough to take `fixtures generate` past five times a raw executemany. So the
    triggers are off for the bulk inserts and the tallies counted afresh before they are on
    again, all in the caller's transaction: no other session sees them off, and a failure
    rolls the switch back with the rows. PostgreSQL switches them off (``DISABLE TRIGGER
    USER`` keeps the foreign keys' own triggers); SQLite cannot, so they are dropped and
    created again from their own text in ``sqlite_master`` (DDL is transactional there).
    """
    # the grid tallies' own triggers too: the room tallies are counted afresh with them
    # and the visited residents' own, which count a resident's days before one at a time
    switched = (
        *COUNTED,
        *(grid for grid, _room, _key in ROOM_TALLIES),
        "resident_visit_day",
    )
    if connection.dialect.name == "postgresql":
        for table in switched:
            connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    else:
        marks = ", ".join("?" for _ in switched)
        triggers = connection.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
            switched,
        ).all()
        for name, _sql in triggers:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for statement in _refill_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)
    if connection.dialect.name == "postgresql":
        for table in switched:
            connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    else:
        for _name, sql in triggers:
            connection.exec_driver_sql(sql)
