"""The figures of the statistics report, counted in SQL: one grouped query per figure family.

Every query groups by the grid a record sits on (or, for what belongs to a police room as a
whole — weekly sweeps, calls without a grid — by the room), and, for the first screen, sums
those groups per police room in SQL (``stats_grouping.Grouping``); a drill-down counts its
own grids only. No query here returns more rows than there are grids counted or rooms.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from policeroom.i18n import N_
from policeroom.models.disputes import OPEN_STATUSES, Dispute, SweepReport
from policeroom.models.org import PoliceRoom
from policeroom.models.roster import ResponseArrival, ResponseCall, ResponseTier
from policeroom.models.tallies import GridTally, ResidentVisitDay
from policeroom.services.disputes import sweeps, warnings
from policeroom.services.reports import stats_tallies
from policeroom.services.reports.stats_grouping import Grouping, ancestry

# The columns of the report, in the order they are shown.
FIGURES = (
    "residents",
    "households",
    "visits",
    "residents_visited",
    "anti_fraud_installs",
    "disputes_registered",
    "disputes_resolved",
    "disputes_open",
    "disputes_overdue",
    "early_warnings",
    "missing_sweeps",
    "calls",
    "arrivals",
    "arrivals_met",
)
# The figures a terminal has room for: `report stats`'s table and the statistics screen.
MAIN_FIGURES = (
    "residents",
    "visits",
    "residents_visited",
    "anti_fraud_installs",
    "disputes_registered",
    "disputes_resolved",
    "disputes_open",
    "disputes_overdue",
    "early_warnings",
    "missing_sweeps",
    "calls",
)
# Their names in reports and on screen (the statistics screen needs them without openpyxl).
FIGURE_LABELS = {
    "residents": N_("Residents"),
    "households": N_("Households"),
    "visits": N_("Visits"),
    "residents_visited": N_("Residents visited"),
    "residents_not_visited": N_("Residents not visited"),
    "anti_fraud_installs": N_("Anti-fraud installs"),
    "disputes_registered": N_("Disputes registered"),
    "disputes_resolved": N_("Disputes resolved"),
    "disputes_open": N_("Disputes open"),
    "disputes_overdue": N_("Disputes overdue"),
    "early_warnings": N_("Early warnings"),
    "missing_sweeps": N_("Missing weekly sweeps"),
    "calls": N_("1-3-5 calls"),
    "arrivals": N_("Arrivals"),
    "arrivals_met": N_("Arrivals in time"),
}
LEVEL_LABELS = {
    "station": N_("Stations"),
    "room": N_("Police rooms"),
    "grid": N_("Grids"),
}
# Figures that count what happened in the period (the rest are stocks or today's state).
PERIOD_FIGURES = frozenset(
    {
        "visits",
        "residents_visited",
        "anti_fraud_installs",
        "disputes_registered",
        "disputes_resolved",
        "missing_sweeps",
        "calls",
        "arrivals",
        "arrivals_met",
    }
)

Counts = dict[str, int]


@dataclass
class OwnCounts:
    """Counts of the records sitting directly on each grid and on each police room.

    ``by_grid`` is keyed by grid, or, when the counts were grouped by police room
    (``Grouping.by_room``), by the room each grid answers to, None for the grids that
    answer to none."""

    by_grid: defaultdict[int | None, Counts] = field(default_factory=lambda: defaultdict(dict))
    by_room: defaultdict[int, Counts] = field(default_factory=lambda: defaultdict(dict))
    # Calls that name neither a grid nor a police room.
    unplaced: Counts = field(default_factory=dict)
    by_room_keys: bool = False

    def put(self, key: int | None, name: str, number: Any) -> None:
        """Add ``number`` to ``name`` of ``key`` (a key None counts when keyed by room)."""
        if number and (key is not None or self.by_room_keys):
            counts = self.by_grid[key]
            counts[name] = counts.get(name, 0) + int(number)

    def add(self, target: defaultdict[int, Counts], name: str, rows: Any) -> None:
        for key, number in rows:
            if key is not None:
                target[key][name] = target[key].get(name, 0) + int(number)


def _between(column: Any, date_from: date, date_to: date) -> list[Any]:
    return [col(column) >= date_from, col(column) <= date_to]


def _rows(session: Session, statement: Any) -> list[Any]:
    """Through the Core connection: plain tuples, without the ORM session's row handling
    (which cost more than the queries themselves at branch scale)."""
    return list(session.connection().execute(statement))


def minutes_to_scene(session: Session) -> Any:
    """Minutes from the call to arrival, as SQL (the two databases subtract times apart)."""
    if session.get_bind().dialect.name == "postgresql":
        seconds = sa.extract("epoch", col(ResponseArrival.arrived_at) - col(ResponseCall.called_at))
        return seconds / 60
    return (
        sa.func.julianday(col(ResponseArrival.arrived_at))
        - sa.func.julianday(col(ResponseCall.called_at))
    ) * 1440


def _stocks(
    session: Session, found: OwnCounts, today: date, grouping: Grouping, with_rooms: bool
) -> None:
    """What stands today whatever the period: residents and households (the triggers'
    running tallies, not a count of 300,000 rows), early warnings."""
    for key, residents, households in _rows(
        session,
        grouping.rollup(
            sa.select(
                col(GridTally.grid_id), col(GridTally.residents), col(GridTally.households)
            ).where(
                sa.or_(col(GridTally.residents) != 0, col(GridTally.households) != 0),
                *grouping.where(col(GridTally.grid_id)),
            )
        ),
    ):
        found.put(key, "residents", residents)
        found.put(key, "households", households)
    by_grid, by_room = warnings.counts_by_grid(session, today, grouping, with_sweeps=with_rooms)
    for key, number in by_grid.items():
        found.put(key, "early_warnings", number)
    found.add(found.by_room, "early_warnings", by_room.items())


Period = tuple[date, date]


def _spread(found: list[OwnCounts], name: str, rows: Any) -> None:
    """Rows of (key, the period's count, the previous period's count) into each period's."""
    for key, *numbers in rows:
        for counts, number in zip(found, numbers, strict=True):
            counts.put(key, name, number)


def own_counts(
    session: Session,
    period: Period,
    previous: Period,
    today: date,
    grouping: Grouping | None = None,
    *,
    with_rooms: bool = True,
) -> tuple[OwnCounts, OwnCounts]:
    """Every figure of ``period`` and of ``previous`` (each from its first day to its last)
    for the grids of ``grouping`` (default: the branch's), grouped by grid or by police room
    as it says (and by room where a record has no grid); what does not depend on the period
    (residents, households, open disputes, warnings) in the first only.

    Each figure family of both periods is one query over the days of either, each period a
    filtered count. Residents, households, installs, visits and residents visited read the
    tallies the database triggers keep (``stats_tallies``, ``models.tallies``), never the
    residents' or visits' rows: their cost grows with the grids, not with the residents.

    Without ``with_rooms``, what a police room owns as a whole (weekly sweeps, calls logged
    without a grid) is left out: a drill-down's grids, whose rooms the first screen read."""
    grouping = grouping or Grouping()
    both = (period, previous)
    found = [OwnCounts(by_room_keys=grouping.by_room), OwnCounts(by_room_keys=grouping.by_room)]
    # Installs, visits and disputes registered and resolved from the triggers' month, week
    # and day tallies.
    tallied = stats_tallies.counts_by_grid(session, both, grouping)
    resident_days: list[Any] = []
    for index, name in enumerate(stats_tallies.FIGURES):
        first = 1 + len(both) * index
        numbers = [(row[0], *row[first : first + len(both)]) for row in tallied]
        if name == "resident_days":
            resident_days = numbers
            continue
        _spread(found, name, numbers)
    visited_current = _residents_visited(session, found, both, grouping, resident_days)
    now, before = found
    _disputes(session, now, today, grouping)
    _stocks(session, now, today, grouping, with_rooms)
    _not_visited(now, visited_current)
    if with_rooms:
        _sweeps(session, found, both, today)
    _calls(session, found, both, grouping, with_rooms)
    return now, before


def _residents_visited(
    session: Session,
    found: list[OwnCounts],
    periods: tuple[Period, ...],
    grouping: Grouping,
    resident_days: list[Any],
) -> list[tuple[int | None, int]]:
    """Residents visited in each period, and (returned) those of the first still current.

    A resident visited in a period counts once, on the resident's own grid, so that the rows
    add up to the branch's number of distinct residents visited. The triggers keep each
    visited resident's day, grid, archived flag and visit day before (``resident_visit_day``)
    and tally those days (``resident_days``, rows of ``resident_days`` here: key, then a
    count per period); a resident's second and later days of a period are those whose day
    before is in it too. So the figure is the tallied days less those repeats, read through
    ``ix_resident_visit_day_before``: no visited resident is read but a repeat, and no
    distinct count is made (a count of every visited resident's first day of the period, one
    index range per grid, cost 1.8 against 0.05 ms at branch scale on SQLite, 4.7 against
    1.7 on PostgreSQL; a distinct count, 4 ms)."""
    day = col(ResidentVisitDay.visit_date)
    before = col(ResidentVisitDay.previous_visit_date)
    grid = col(ResidentVisitDay.grid_id)
    repeats = _rows(
        session,
        grouping.rollup(
            sa.select(
                grid,
                *(sa.func.count().filter(before >= start, day <= end) for start, end in periods),
            )
            .where(
                before >= min(start for start, _end in periods),
                before <= max(end for _start, end in periods),
                *grouping.where(grid),
            )
            .group_by(grid)
        ),
    )
    visited = {key: [int(number or 0) for number in numbers] for key, *numbers in resident_days}
    for key, *numbers in repeats:
        into = visited.setdefault(key, [0] * len(periods))
        for index, number in enumerate(numbers):
            into[index] -= int(number or 0)
    _spread(found, "residents_visited", [(key, *numbers) for key, numbers in visited.items()])
    # the residents pane lists current residents: its "not visited" leaves out those visited
    # and archived since (few, so counted from their own partial index, first days only)
    start, end = periods[0]
    archived = _rows(
        session,
        grouping.rollup(
            sa.select(grid, sa.func.count())
            .with_hint(ResidentVisitDay, "INDEXED BY ix_resident_visit_day_archived", "sqlite")
            .where(
                col(ResidentVisitDay.archived) == sa.true(),
                day >= start,
                day <= end,
                # none before: older than any period
                sa.func.coalesce(before, date.min) < start,
                *grouping.where(grid),
            )
            .group_by(grid)
        ),
    )
    gone = {key: int(number or 0) for key, number in archived}
    return [(key, numbers[0] - gone.get(key, 0)) for key, numbers in visited.items()]


def _not_visited(found: OwnCounts, visited_current: list[tuple[int | None, int]]) -> None:
    """Current residents no visit of the period met: the residents pane lists current ones
    only, so a visited resident archived since is left out of the difference."""
    met = {key: int(number) for key, number in visited_current}
    for key, counts in found.by_grid.items():
        left = counts.get("residents", 0) - met.get(key, 0)
        if left:
            counts["residents_not_visited"] = left


def _disputes(session: Session, now: OwnCounts, today: date, grouping: Grouping) -> None:
    """Open and overdue disputes as they stand today, whatever the period: the open ones
    only, through ``ix_dispute_status_reported`` (a few dozen of 1,600 at branch scale). The
    registered and resolved of each period come from the tallies."""
    overdue = col(Dispute.due_on) < today
    rows = _rows(
        session,
        grouping.rollup(
            sa.select(col(Dispute.grid_id), sa.func.count(), sa.func.count().filter(overdue))
            .where(
                col(Dispute.status).in_(sorted(OPEN_STATUSES)),
                *grouping.where(col(Dispute.grid_id)),
            )
            .group_by(col(Dispute.grid_id))
        ),
    )
    for key, open_count, overdue_count in rows:
        now.put(key, "disputes_open", open_count)
        now.put(key, "disputes_overdue", overdue_count)


def sweep_weeks(date_from: date, date_to: date, today: date) -> list[date]:
    """The Mondays of the weeks that lie wholly in the period and have fully passed."""
    last = sweeps.last_completed_week(today)
    monday = sweeps.week_start_of(date_from)
    if monday < date_from:
        monday += timedelta(days=7)
    weeks: list[date] = []
    while monday + timedelta(days=6) <= date_to and monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _sweeps(
    session: Session, found: list[OwnCounts], periods: tuple[Period, ...], today: date
) -> None:
    """Weeks of each period a police room has not confirmed its sweep for."""
    room_ids: list[int] | None = None
    for counts, (date_from, date_to) in zip(found, periods, strict=True):
        weeks = sweep_weeks(date_from, date_to, today)
        if not weeks:
            continue
        confirmed = dict(
            _rows(
                session,
                sa.select(
                    col(SweepReport.police_room_id),
                    sa.func.count(sa.distinct(col(SweepReport.week_start))),
                )
                .where(col(SweepReport.week_start).in_(weeks))
                .group_by(col(SweepReport.police_room_id)),
            )
        )
        if room_ids is None:
            room_ids = [row[0] for row in _rows(session, sa.select(col(PoliceRoom.id)))]
        for room_id in room_ids:
            missing = len(weeks) - int(confirmed.get(room_id, 0))
            if missing:
                counts.by_room[room_id]["missing_sweeps"] = missing


def _calls(
    session: Session,
    found: list[OwnCounts],
    periods: tuple[Period, ...],
    grouping: Grouping,
    with_rooms: bool,
) -> None:
    """1-3-5 calls in each period, the arrivals sent to them and those on scene in time."""
    spans = [
        (datetime.combine(start, time(0)), datetime.combine(stop + timedelta(days=1), time(0)))
        for start, stop in periods
    ]
    called = col(ResponseCall.called_at)
    in_spans = [sa.and_(called >= start, called < end) for start, end in spans]
    # one index range from the first day to the last: an OR of the periods is a union of
    # ranges SQLite collects into a row set first (0.9 against 0.3 ms, branch); the periods
    # meet (the previous ends where this one starts), so the range reads nothing more
    where = [called >= min(start for start, _end in spans), called < max(end for _s, end in spans)]
    if not with_rooms:
        where.append(col(ResponseCall.grid_id).is_not(None))
    if grouping.grids:
        # a call without a grid belongs to its room as a whole, whatever the grids counted
        kept = grouping.where(col(ResponseCall.grid_id))
        where.append(sa.or_(col(ResponseCall.grid_id).is_(None), sa.and_(*kept)))
    place = (col(ResponseCall.grid_id), col(ResponseCall.police_room_id))
    met = sa.and_(
        col(ResponseArrival.arrived_at).is_not(None),
        minutes_to_scene(session) <= col(ResponseTier.minutes),
    )
    calls = sa.select(*place, *(sa.func.count().filter(span) for span in in_spans))
    arrivals = (
        sa.select(
            *place,
            *(sa.func.count().filter(span) for span in in_spans),
            *(sa.func.count().filter(span, met) for span in in_spans),
        )
        .join(ResponseArrival, col(ResponseArrival.call_id) == col(ResponseCall.id))
        .join(ResponseTier, col(ResponseTier.id) == col(ResponseArrival.tier_id))
    )
    periods_count = len(periods)
    for statement, names in ((calls, ("calls",)), (arrivals, ("arrivals", "arrivals_met"))):
        for key, own, *numbers in _placed(
            session, statement.where(*where).group_by(*place), grouping
        ):
            for index, name in enumerate(names):
                for counts, number in zip(
                    found, numbers[index * periods_count : (index + 1) * periods_count], strict=True
                ):
                    if not number:
                        continue
                    if not own:
                        counts.put(key, name, number)
                        continue
                    into = counts.by_room[key] if key is not None else counts.unplaced
                    into[name] = into.get(name, 0) + int(number)


def _placed(session: Session, grouped: Any, grouping: Grouping) -> list[Any]:
    """Rows of (key, whether the room owns them as a whole, numbers...) from rows of (grid,
    room, numbers...): a call on a grid keyed by grid or by the room the grid answers to, a
    call without one by its own room (None: neither)."""
    if not grouping.by_room:
        return [
            (grid_id if grid_id is not None else room_id, grid_id is None, *numbers)
            for grid_id, room_id, *numbers in _rows(session, grouped)
        ]
    rows = grouped.subquery()
    grid_id, room_id, *numbers = list(rows.c)
    above = ancestry()
    own = grid_id.is_(None)
    key = sa.case((own, room_id), else_=above.room)
    statement = sa.select(key, own, *(sa.func.sum(number) for number in numbers))
    statement = above.join(statement.select_from(rows), grid_id, outer=True)
    return _rows(session, statement.group_by(key, own))
