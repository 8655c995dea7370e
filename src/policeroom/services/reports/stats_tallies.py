"""A period's installs, visits and disputes registered and resolved per grid, from the
tallies the database triggers keep (migrations ``0007_stats_tallies``,
``0010_dispute_tallies``) rather than from the rows.

A period splits into the calendar months wholly inside it (``grid_month_tally``), then, at
each ragged edge, the ISO weeks wholly inside what is left (``grid_week_tally``), then at
most six days on either side of those weeks (``grid_day_tally``). The three parts do not
overlap and cover the period, so the sum is the rows' count exactly; a year costs a few
thousand tally rows whatever the branch's size, and no resident's or visit's row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from policeroom.models.tallies import (
    GridDayTally,
    GridMonthTally,
    GridWeekTally,
    RoomDayTally,
    RoomMonthTally,
    RoomWeekTally,
)
from policeroom.services.reports.stats_grouping import Grouping

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


# Each tallied figure and its column in the tallies.
_FIGURES = {
    "anti_fraud_installs": "installs",
    "visits": "visits",
    "disputes_registered": "registered",
    "disputes_resolved": "resolved",
    # each visited resident's days: residents visited are these less the repeat days
    # (``stats_counts``), not a figure of their own
    "resident_days": "resident_days",
}

# The figures tallied, in the order ``counts_by_grid`` gives them.
FIGURES = tuple(_FIGURES)


def _keys(ranges: list[Period], step: Any) -> list[date]:
    """Every month's first day, Monday or day of ``ranges`` (listed rather than a range, so
    that a few grids' tallies are read by key, period and grid, not by scanning every grid's
    rows of the period)."""
    found: list[date] = []
    for start, stop in ranges:
        day = start
        while day <= stop:
            found.append(day)
            day = step(day)
    return found


def counts_by_grid(
    session: Session, periods: tuple[Period, ...], grouping: Grouping | None = None
) -> list[Any]:
    """Rows of (grid, then for each of ``FIGURES`` its count in each period), in one query:
    the month, week and day tallies' rows of the periods, summed per grid (per police room
    when ``grouping`` says so, and of its grids only)."""
    grouping = grouping or Grouping()
    splits = [split(*days) for days in periods]
    # every room's rows: the room tallies, 58 rooms' rows a month rather than 670 grids'
    by_room = grouping.by_room and not grouping.grids
    tallies: Any = (
        (RoomMonthTally, RoomWeekTally, RoomDayTally)
        if by_room
        else (GridMonthTally, GridWeekTally, GridDayTally)
    )
    parts = []
    for tally, key, ranges, step in (
        (tallies[0], "month", [part.months for part in splits], _next_month),
        (tallies[1], "week", [part.weeks for part in splits], _next_week),
        (tallies[2], "day", [part.days for part in splits], _next_day),
    ):
        day = col(getattr(tally, key))
        unit = col(tally.room_id if by_room else tally.grid_id)
        for index, mine in enumerate(ranges):
            if not mine:
                continue
            # each period's rows apart, its figures in its own columns and 0 in the others':
            # no CASE per row and figure (a CASE over the period's ranges for each of the
            # 4 figures and 2 periods cost more than reading the rows, branch)
            numbers = [
                (getattr(tally, column) if period == index else sa.literal(0)).label(f"n{number}")
                for number, (column, period) in enumerate(
                    (column, period)
                    for column in _FIGURES.values()
                    for period in range(len(ranges))
                )
            ]
            parts.append(
                sa.select(unit.label("unit"), *numbers).where(
                    day.in_(_keys(mine, step)), *grouping.where(unit)
                )
            )
    if not parts:
        return []
    rows = sa.union_all(*parts).subquery()
    sums = [sa.func.sum(column) for column in list(rows.c)[1:]]
    statement = sa.select(rows.c.unit, *sums).group_by(rows.c.unit)
    if by_room:
        # room 0 holds the grids under no room
        return [(row[0] or None, *row[1:]) for row in session.connection().execute(statement)]
    return list(session.connection().execute(grouping.rollup(statement)))


def _next_week(day: date) -> date:
    return day + timedelta(days=7)


def _next_day(day: date) -> date:
    return day + timedelta(days=1)


def installs_by_week(session: Session, date_from: date, date_to: date, scoped: Any) -> list[Any]:
    """(day, installs) for the chart of installs per week: a whole week's from the week
    tally on its Monday, the days of the weeks cut by the period's ends from the day tally
    (``scoped``: the conditions on a grid column that keep the grids asked for)."""
    weeks, days = whole_weeks(date_from, date_to)
    parts: list[tuple[Any, Any, list[Period]]] = [
        (GridWeekTally, GridWeekTally.week, [weeks] if weeks else []),
        (GridDayTally, GridDayTally.day, days),
    ]
    found: list[Any] = []
    for tally, key, ranges in parts:
        if ranges:
            found += session.execute(
                sa.select(col(key), sa.func.sum(col(tally.installs)))
                .where(_between(col(key), ranges), *scoped(tally.grid_id))
                .group_by(col(key))
            ).all()
    return found
