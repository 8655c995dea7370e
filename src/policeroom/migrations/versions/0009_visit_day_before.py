"""each visited resident's day carries the resident's visit day before it

Revision ID: 0009_visit_day_before
Revises: 0008_room_tallies
Create Date: 2026-12-06 05:30:00

Residents visited in a period were counted ``count(DISTINCT resident_id)`` per grid: a
temporary b-tree of every visited resident of the period (12,000 at branch scale, 4 ms on
SQLite, a sort on PostgreSQL). A resident's first visit day in a period is the one whose
visit day before it (``previous_visit_date``) is earlier than the period or none, so the
same figure is a plain count of the index entries in range whose day before is older: no
resident is counted twice, and no b-tree is built. Days of one resident are ordered by day,
then by visit, so that two visits on one day count once.

A trigger on ``resident_visit_day`` counts a resident's days before afresh whenever one of
the resident's rows comes, goes or changes day (a resident has a handful of visits: a few
rows); it only ever writes ``previous_visit_date``, which no trigger watches.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_visit_day_before"
down_revision: str | None = "0008_room_tallies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A resident's days before counted afresh (``models.tallies.DAY_BEFORE`` counts the same with
# a window function when the generator fills the table in bulk).
_DAYS_BEFORE_OF = (
    "UPDATE resident_visit_day SET previous_visit_date = ("
    "SELECT max(earlier.visit_date) FROM resident_visit_day AS earlier "
    "WHERE earlier.resident_id = resident_visit_day.resident_id "
    "AND (earlier.visit_date < resident_visit_day.visit_date "
    "OR (earlier.visit_date = resident_visit_day.visit_date "
    "AND earlier.visit_id < resident_visit_day.visit_id))) "
    "WHERE resident_id = {resident}"
)
_WATCHED = "visit_date, resident_id, visit_id"


def _create_triggers(dialect: str) -> None:
    old = _DAYS_BEFORE_OF.format(resident="OLD.resident_id")
    new = _DAYS_BEFORE_OF.format(resident="NEW.resident_id")
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION visit_day_before() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  IF TG_OP <> 'INSERT' THEN {old}; END IF;\n"
            f"  IF TG_OP <> 'DELETE' THEN {new}; END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        op.execute(
            f"CREATE TRIGGER visit_day_before AFTER INSERT OR DELETE OR UPDATE OF {_WATCHED} "
            "ON resident_visit_day FOR EACH ROW EXECUTE FUNCTION visit_day_before()"
        )
        return
    for event, statements in (
        ("insert", [new]),
        ("delete", [old]),
        ("update", [old, new]),
    ):
        when = f"UPDATE OF {_WATCHED}" if event == "update" else event.upper()
        op.execute(
            f"CREATE TRIGGER visit_day_before_{event} AFTER {when} ON resident_visit_day "
            f"BEGIN {'; '.join(statements)}; END"
        )


def _drop_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS visit_day_before ON resident_visit_day")
        op.execute("DROP FUNCTION IF EXISTS visit_day_before()")
        return
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS visit_day_before_{event}")


def _indexes(stats: list[str], archived: list[str]) -> None:
    op.create_index("ix_resident_visit_day_stats", "resident_visit_day", stats, unique=False)
    op.create_index(
        "ix_resident_visit_day_archived",
        "resident_visit_day",
        archived,
        unique=False,
        sqlite_where=sa.text("archived = 1"),
        postgresql_where=sa.text("archived"),
    )


def _drop_indexes() -> None:
    op.drop_index("ix_resident_visit_day_archived", table_name="resident_visit_day")
    op.drop_index("ix_resident_visit_day_stats", table_name="resident_visit_day")


def upgrade() -> None:
    _drop_indexes()
    op.add_column("resident_visit_day", sa.Column("previous_visit_date", sa.Date(), nullable=True))
    op.execute(_DAYS_BEFORE_OF.format(resident="resident_visit_day.resident_id"))
    # narrower than before: the count reads no resident id and no archived flag
    counted = ["grid_id", "visit_date", "previous_visit_date"]
    _indexes(counted, counted)
    _create_triggers(op.get_bind().dialect.name)


def downgrade() -> None:
    _drop_triggers(op.get_bind().dialect.name)
    _drop_indexes()
    # in place, not batch: a copy renamed back trips SQLite over the triggers naming the table
    op.execute("ALTER TABLE resident_visit_day DROP COLUMN previous_visit_date")
    _indexes(
        ["grid_id", "visit_date", "resident_id", "archived"],
        ["grid_id", "visit_date", "resident_id"],
    )
