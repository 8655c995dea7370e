"""The series behind the statistics charts: disputes per month by category, installs per
week against target, 1-3-5 arrivals by tier.

Counted in SQL grouped by day (a year is a few hundred rows whatever the branch's size) and
gathered into months and weeks here, since the two databases name months differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from policeroom.i18n import _
from policeroom.models.disputes import Dispute, DisputeCategory
from policeroom.models.org import Grid
from policeroom.models.roster import ResponseArrival, ResponseCall, ResponseTier
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.disputes import sweeps
from policeroom.services.org import tree
from policeroom.services.reports import stats, stats_tallies
from policeroom.services.reports.stats_counts import minutes_to_scene


@dataclass(frozen=True)
class MonthCategories:
    """Disputes registered in one month, by category (every category, zeros included)."""

    month: date
    by_category: tuple[tuple[DisputeCategory, int], ...]

    @property
    def total(self) -> int:
        return sum(number for _category, number in self.by_category)


@dataclass(frozen=True)
class WeekInstalls:
    """Anti-fraud installs in one week (Monday) and the week's share of the targets."""

    week: date
    installs: int
    target: int


@dataclass(frozen=True)
class TierArrivals:
    """Arrivals of one 1-3-5 tier in the period: sent, on scene in time."""

    code: str
    minutes: int
    sent: int
    met: int


@dataclass(frozen=True)
class StatsSeries:
    months: tuple[MonthCategories, ...]
    weeks: tuple[WeekInstalls, ...]
    tiers: tuple[TierArrivals, ...]


def _months(date_from: date, date_to: date) -> list[date]:
    months: list[date] = []
    month = date_from.replace(day=1)
    while month <= date_to:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def series(
    ctx: ServiceContext,
    date_from: date,
    date_to: date,
    grid_code: str | None = None,
    *,
    room_id: int | None = None,
    station_id: int | None = None,
) -> StatsSeries:
    """The three charts' data for the branch, or for ``grid_code`` and the grids under it,
    or for the grids of one police room or of one station's rooms (the statistics screen's
    levels); always within the actor's rooms."""
    if date_to < date_from:
        raise ValidationError.single("date_to", _("the period ends before it starts"))
    total_target = stats.targets_of(
        ctx, date_from, date_to, grid_code, room_id=room_id, station_id=station_id
    ).get("anti_fraud_installs", 0)
    with ctx.read() as session:
        scope_ids = None
        if grid_code is not None:
            path = session.execute(
                sa.select(col(Grid.path)).where(col(Grid.code) == grid_code)
            ).scalar_one()
            scope_ids = sa.select(col(Grid.id)).where(tree.path_condition(path))
        else:
            scope_ids = stats.unit_grids(room_id, station_id)

        def scoped(column: Any) -> list[Any]:
            # the grid asked for, and always only what the actor's rooms hold
            found = [core_scope.grids_clause(ctx, col(column))]
            return found if scope_ids is None else [*found, col(column).in_(scope_ids)]

        by_day = session.execute(
            sa.select(col(Dispute.reported_on), col(Dispute.category), sa.func.count())
            .where(
                col(Dispute.reported_on) >= date_from,
                col(Dispute.reported_on) <= date_to,
                *scoped(Dispute.grid_id),
            )
            .group_by(col(Dispute.reported_on), col(Dispute.category))
        ).all()
        installs = stats_tallies.installs_by_week(session, date_from, date_to, scoped)
        start = datetime.combine(date_from, time(0))
        end = datetime.combine(date_to + timedelta(days=1), time(0))
        met = sa.and_(
            col(ResponseArrival.arrived_at).is_not(None),
            minutes_to_scene(session) <= col(ResponseTier.minutes),
        )
        sent = {
            tier_id: (int(number), int(in_time))
            for tier_id, number, in_time in session.execute(
                sa.select(
                    col(ResponseArrival.tier_id), sa.func.count(), sa.func.count().filter(met)
                )
                .join(ResponseCall, col(ResponseCall.id) == col(ResponseArrival.call_id))
                .join(ResponseTier, col(ResponseTier.id) == col(ResponseArrival.tier_id))
                .where(
                    col(ResponseCall.called_at) >= start,
                    col(ResponseCall.called_at) < end,
                    *scoped(ResponseCall.grid_id),
                )
                .group_by(col(ResponseArrival.tier_id))
            ).all()
        }
        tiers = [
            TierArrivals(code, minutes, *sent.get(tier_id, (0, 0)))
            for tier_id, code, minutes in session.execute(
                sa.select(
                    col(ResponseTier.id), col(ResponseTier.code), col(ResponseTier.minutes)
                ).order_by(col(ResponseTier.minutes), col(ResponseTier.code))
            ).all()
        ]
    months = {month: dict.fromkeys(DisputeCategory, 0) for month in _months(date_from, date_to)}
    for day, category, number in by_day:
        months[day.replace(day=1)][DisputeCategory(category)] += int(number)
    weeks: dict[date, int] = {}
    monday = sweeps.week_start_of(date_from)
    while monday <= date_to:
        weeks[monday] = 0
        monday += timedelta(days=7)
    for day, number in installs:
        weeks[sweeps.week_start_of(day)] += int(number)
    days = (date_to - date_from).days + 1
    week_rows = []
    for week in weeks:
        inside = (min(week + timedelta(days=6), date_to) - max(week, date_from)).days + 1
        week_rows.append(WeekInstalls(week, weeks[week], round(total_target * inside / days)))
    return StatsSeries(
        months=tuple(
            MonthCategories(month, tuple(counts.items())) for month, counts in months.items()
        ),
        weeks=tuple(week_rows),
        tiers=tuple(tiers),
    )
