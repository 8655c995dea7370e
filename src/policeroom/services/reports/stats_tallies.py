"""A period's installs and visits per grid, from the tallies the database triggers keep
(migration ``0007_stats_tallies``) rather than from the rows.

A period splits into the calendar months wholly inside it (``grid_month_tally``), then, at
each ragged edge, the ISO weeks wholly inside what is left (``grid_week_tally``), then at
most six days on either side of those weeks, counted from the indexed rows themselves. The
three parts do not overlap and cover the period, so the sum is the rows' count exactly; a
year costs a few thousand tally rows and a fortnight of rows whatever the branch's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from policeroom.models.org import Grid
from policeroom.models.people import Resident, Visit
from policeroom.models.tallies import GridMonthTally, GridWeekTally

Period = tuple[date, date]


@dataclass(frozen=True)
class Split:
    """A period as whole months (their first days), whole weeks (their Mondays) and days."""

    months: list[Period] = field(default_factory=list)
    weeks: list[Period] = field(default_factory=list)
    days: list[Period] = field(default_factory=list)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def whole_months(date_from: date, date_to: date) -> tuple[Period | None, list[Period]]:
    """The first days of the first and last calendar months lying wholly in the period
    (None if none does), and the ranges of days left over at its ragged edges."""
    first = date_from if date_from.day == 1 else _next_month(date_from)
    after = date_to + timedelta(days=1)
    end = after if after.day == 1 else after.replace(day=1)  # the day after the last month
    if first >= end:
        return None, [(date_from, date_to)]
    edges = [(date_from, first - timedelta(days=1)), (end, date_to)]
    return (first, _previous_month(end)), [(start, stop) for start, stop in edges if start <= stop]


def whole_weeks(date_from: date, date_to: date) -> tuple[Period | None, list[Period]]:
    """The Mondays of the first and last ISO weeks lying wholly in the period (None if none
    does), and the days left over before and after them."""
    first = date_from if date_from.weekday() == 0 else _monday(date_from) + timedelta(days=7)
    end = _monday(date_to + timedelta(days=1))  # the Monday after the last whole week
    if first >= end:
        return None, [(date_from, date_to)]
    edges = [(date_from, first - timedelta(days=1)), (end, date_to)]
    weeks = (first, end - timedelta(days=7))
    return weeks, [(start, stop) for start, stop in edges if start <= stop]


def split(date_from: date, date_to: date) -> Split:
    """The period as whole months, then whole weeks at its edges, then days."""
    months, edges = whole_months(date_from, date_to)
    found = Split(months=[months] if months is not None else [])
    for edge in edges:
        weeks, days = whole_weeks(*edge)
        if weeks is not None:
            found.weeks.append(weeks)
        found.days.extend(days)
    return found


def _between(column: Any, ranges: list[Period]) -> Any:
    if not ranges:
        return sa.false()
    return sa.or_(*(sa.and_(column >= start, column <= stop) for start, stop in ranges))


# Each tallied figure: its tally column, and how its rows are counted by day (the table's
# grid column, its conditions, its day column).
_FIGURES: dict[str, tuple[str, Any, list[Any], Any]] = {
    "anti_fraud_installs": (
        "installs",
        Resident.grid_id,
        [
            col(Resident.archived) == sa.false(),
            col(Resident.anti_fraud_installed) == sa.true(),
        ],
        Resident.anti_fraud_on,
    ),
    "visits": ("visits", Visit.grid_id, [], Visit.visit_date),
}

Counted = dict[str, defaultdict[int, list[int]]]


def counts_by_grid(session: Session, periods: tuple[Period, ...]) -> Counted:
    """Installs and visits of each period, per grid: ``{figure: {grid: [n per period]}}``."""
    splits = [split(*days) for days in periods]
    found: Counted = {name: defaultdict(lambda: [0] * len(periods)) for name in _FIGURES}
    for tally, key, parts in (
        (GridMonthTally, GridMonthTally.month, [part.months for part in splits]),
        (GridWeekTally, GridWeekTally.week, [part.weeks for part in splits]),
    ):
        if not any(parts):
            continue
        sums = [
            sa.func.sum(sa.case((_between(col(key), ranges), getattr(tally, column)), else_=0))
            for column, *_raw in _FIGURES.values()
            for ranges in parts
        ]
        rows = session.execute(
            sa.select(col(tally.grid_id), *sums)
            .where(_between(col(key), [r for ranges in parts for r in ranges]))
            .group_by(col(tally.grid_id))
        ).all()
        _into(found, rows, len(periods))
    if any(part.days for part in splits):
        for name, (_column, grid_column, where, day) in _FIGURES.items():
            counts = [
                sum(
                    (
                        sa.select(sa.func.count())
                        .where(
                            col(grid_column) == col(Grid.id),
                            *where,
                            col(day) >= start,
                            col(day) <= stop,
                        )
                        .scalar_subquery()
                        for start, stop in part.days
                    ),
                    sa.literal(0),
                )
                for part in splits
            ]
            # One index range per grid and range of days: ``(grid_id, …, day)`` indexes read
            # only those days' rows, where a grouped count would read the whole index.
            rows = session.execute(sa.select(col(Grid.id), *counts)).all()
            _into({name: found[name]}, rows, len(periods))
    return found


def _into(found: Counted, rows: Any, periods: int) -> None:
    """Rows of (grid, figure 1 per period…, figure 2 per period…) added into ``found``."""
    for grid_id, *numbers in rows:
        for index, counts in enumerate(found.values()):
            mine = numbers[index * periods : (index + 1) * periods]
            if any(mine):
                totals = counts[grid_id]
                for position, number in enumerate(mine):
                    totals[position] += int(number or 0)


def installs_by_week(session: Session, date_from: date, date_to: date, scoped: Any) -> list[Any]:
    """(day, installs) for the chart of installs per week: a whole week's from the tally on
    its Monday, the days of the weeks cut by the period's ends from the residents (``scoped``:
    the conditions on a grid column that keep the grids asked for)."""
    weeks, days = whole_weeks(date_from, date_to)
    found: list[Any] = []
    if weeks is not None:
        found += session.execute(
            sa.select(col(GridWeekTally.week), sa.func.sum(col(GridWeekTally.installs)))
            .where(
                col(GridWeekTally.week) >= weeks[0],
                col(GridWeekTally.week) <= weeks[1],
                *scoped(GridWeekTally.grid_id),
            )
            .group_by(col(GridWeekTally.week))
        ).all()
    _column, grid_column, where, day = _FIGURES["anti_fraud_installs"]
    for start, stop in days:
        found += session.execute(
            sa.select(col(day), sa.func.count())
            .where(
                # "in every grid" makes SQLite seek ``ix_resident_stats`` grid by grid for
                # these few days, where it chose to read every resident (0.5 s on a branch)
                col(grid_column).in_(sa.select(col(Grid.id))),
                *where,
                col(day) >= start,
                col(day) <= stop,
                *scoped(grid_column),
            )
            .group_by(col(day))
        ).all()
    return found
