"""Running tallies behind the headquarters statistics, kept by database triggers.

The statistics read these instead of counting 300,000 residents at every screen. Triggers
(migration ``0007_stats_tallies``) update them in the same statement as the row they count,
whatever wrote it: a desk form, the CLI, a fixtures load, the generator's bulk inserts or
raw SQL. No service writes them, and they are not fixture data: a load fills them through
the triggers of the rows it inserts.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class GridTally(SQLModel, table=True):
    """What stands on one grid today: its current (not archived) residents, its households."""

    __tablename__ = "grid_tally"

    grid_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    residents: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    households: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class GridMonthTally(SQLModel, table=True):
    """What happened on one grid in one calendar month (``month`` is its first day):
    anti-fraud installs of current residents, by install date, and visits, by visit date.

    A period's count is the sum of the months wholly inside it plus the days at its ragged
    edges, counted from the indexed rows themselves."""

    __tablename__ = "grid_month_tally"
    # Period first and, on SQLite, stored in key order: a period is one range of rows.
    __table_args__ = ({"sqlite_with_rowid": False},)

    month: date = Field(primary_key=True)
    grid_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    installs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    visits: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class GridWeekTally(SQLModel, table=True):
    """The same per ISO week (``week`` is its Monday): the weeks of a chart, and the whole
    weeks at a period's edges outside its whole months."""

    __tablename__ = "grid_week_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    week: date = Field(primary_key=True)
    grid_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    installs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    visits: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class GridDayTally(SQLModel, table=True):
    """The same per day: the days at a period's edges outside its whole weeks."""

    __tablename__ = "grid_day_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    day: date = Field(primary_key=True)
    grid_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    installs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    visits: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class ResidentVisitDay(SQLModel, table=True):
    """One resident met by one visit, with the visit's day and the resident's grid and
    archived flag as they stand: residents visited in a period are counted from one narrow
    index range per grid, without reading the visit's and the resident's rows."""

    __tablename__ = "resident_visit_day"
    __table_args__ = (
        Index("ix_resident_visit_day_stats", "grid_id", "visit_date", "resident_id", "archived"),
    )

    visit_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    resident_id: int = Field(
        primary_key=True, index=True, sa_column_kwargs={"autoincrement": False}
    )
    grid_id: int
    visit_date: date
    archived: bool
