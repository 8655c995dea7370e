"""The 1-3-5 rapid-response log (一分钟、三分钟、五分钟): calls, dispatch, arrival, compliance.

A tier is met when its force is on scene within its minutes of the call. Tiers are rows of
``ResponseTier`` so a branch can change the minutes or the force that answers.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import delete
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import AuditAction
from policeroom.models.org import Grid, PoliceRoom
from policeroom.models.roster import (
    ArrivalInput,
    CallCreate,
    ResponseArrival,
    ResponseCall,
    ResponseForce,
    ResponseTier,
    TierInput,
)
from policeroom.services.core import audit, requests
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError, NotFound, ValidationError
from policeroom.services.core.locking import save_versioned
from policeroom.services.core.paging import Page, clamp_page_size

Period = Literal["all", "day", "week", "month"]
DEFAULT_TIERS = (
    ("1", 1, ResponseForce.POLICE_ROOM),
    ("3", 3, ResponseForce.STATION),
    ("5", 5, ResponseForce.BRANCH),
)


@dataclass(frozen=True)
class TierRow:
    id: int
    code: str
    minutes: int
    force: str
    version: int = 1


@dataclass(frozen=True)
class ArrivalRow:
    tier_id: int
    tier_code: str
    tier_minutes: int
    dispatched_at: datetime | None
    arrived_at: datetime | None
    minutes_to_scene: float | None

    @property
    def met(self) -> bool:
        return self.minutes_to_scene is not None and self.minutes_to_scene <= self.tier_minutes


@dataclass(frozen=True)
class CallRow:
    id: int
    version: int
    police_room_id: int | None
    grid_id: int | None
    called_at: datetime
    summary: str
    arrivals: tuple[ArrivalRow, ...]


@dataclass(frozen=True)
class TierCompliance:
    """One tier over one period: how many were sent, how many arrived in time, the median."""

    period_start: date | None
    tier_code: str
    minutes: int
    force: str
    dispatched: int
    arrived: int
    within: int
    median_minutes: float | None

    @property
    def share(self) -> float | None:
        """Share of dispatches on scene within the tier's minutes (None when none were sent)."""
        return self.within / self.dispatched if self.dispatched else None


def force_label(force: str) -> str:
    """A tier's force in words: a ``ResponseForce`` in the interface language, or the text a
    fixture stored for a force of its own."""
    try:
        return label(ResponseForce(force))
    except ValueError:
        return force


# --- tiers ------------------------------------------------------------------------------


def _tier_row(tier: ResponseTier) -> TierRow:
    assert tier.id is not None
    return TierRow(tier.id, tier.code, tier.minutes, tier.force, tier.version)


def tier_rows(session: Session) -> list[TierRow]:
    """The configured tiers, quickest first."""
    statement = select(ResponseTier).order_by(col(ResponseTier.minutes), col(ResponseTier.code))
    return [_tier_row(tier) for tier in session.exec(statement)]


def tiers(ctx: ServiceContext) -> list[TierRow]:
    """The configured tiers, quickest first."""
    with ctx.read() as session:
        return tier_rows(session)


def ensure_default_tiers(ctx: ServiceContext) -> list[TierRow]:
    """The report's 1-3-5 tiers (police room, station, branch) when none are configured,
    made in one transaction: all three or none."""
    found = tiers(ctx)
    if found:
        return found
    ctx.require_write()
    with ctx.transaction() as session:
        # Asked again inside the write: another desk may have made them in the meantime.
        if not tier_rows(session):
            for code, minutes, force in DEFAULT_TIERS:
                write_tier(session, ctx, TierInput(code=code, minutes=minutes, force=force.value))
        return tier_rows(session)


def write_tier(
    session: Session,
    ctx: ServiceContext,
    data: TierInput,
    tier_id: int | None = None,
    expected_version: int | None = None,
) -> TierRow:
    """Check and write one tier inside the caller's transaction; a change (``tier_id``) is
    refused with ``StaleRecord`` unless the tier is still at ``expected_version``."""
    tier = session.get(ResponseTier, tier_id) if tier_id is not None else None
    if tier_id is not None and tier is None:
        raise NotFound(_("tier {id} does not exist").format(id=tier_id))
    errors: list[FieldError] = []
    code = data.code
    clash = session.exec(select(ResponseTier).where(ResponseTier.code == code)).first()
    if clash is not None and clash.id != tier_id:
        errors.append(FieldError("code", _("code {code} is taken").format(code=code)))
    if data.force not in {force.value for force in ResponseForce}:
        errors.append(FieldError("force", _("choose police room, station or branch")))
    if errors:
        raise ValidationError(errors, "response tier")
    before = audit.snapshot(tier) if tier is not None else None
    if tier is not None:
        assert tier.id is not None and expected_version is not None, "a change names its version"
        values = {"code": code, "minutes": data.minutes, "force": data.force}
        save_versioned(session, ResponseTier, tier.id, expected_version, values)
        session.refresh(tier)
    else:
        tier = ResponseTier(code=code, minutes=data.minutes, force=data.force)
        session.add(tier)
        session.flush()
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    audit.record(session, ctx, action, "response_tier", tier.id, before, audit.snapshot(tier))
    return _tier_row(tier)


def save_tier(
    ctx: ServiceContext,
    data: TierInput,
    tier_id: int | None = None,
    expected_version: int | None = None,
) -> TierRow:
    """Create a tier, or change one (``tier_id``) over the version its editor read."""
    ctx.require_write()
    with ctx.transaction() as session:
        return write_tier(session, ctx, data, tier_id, expected_version)


# --- calls ------------------------------------------------------------------------------


def _arrival_errors(
    session: Session, called_at: datetime | None, arrivals: list[ArrivalInput], now: datetime
) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[int] = set()
    for index, arrival in enumerate(arrivals):
        prefix = f"arrivals.{index}"
        if arrival.tier_id is None or session.get(ResponseTier, arrival.tier_id) is None:
            errors.append(FieldError(f"{prefix}.tier_id", _("choose a tier")))
        elif arrival.tier_id in seen:
            errors.append(FieldError(f"{prefix}.tier_id", _("this tier is already listed")))
        else:
            seen.add(arrival.tier_id)
        if called_at is not None and arrival.dispatched_at and arrival.dispatched_at < called_at:
            errors.append(FieldError(f"{prefix}.dispatched_at", _("before the call")))
        earliest = arrival.dispatched_at or called_at
        if earliest is not None and arrival.arrived_at and arrival.arrived_at < earliest:
            errors.append(FieldError(f"{prefix}.arrived_at", _("before the dispatch or call")))
        for field, value in (
            ("dispatched_at", arrival.dispatched_at),
            ("arrived_at", arrival.arrived_at),
        ):
            if value is not None and value > now:
                errors.append(FieldError(f"{prefix}.{field}", _("in the future")))
    return errors


def log_call(ctx: ServiceContext, data: CallCreate) -> CallRow:
    """Record a call and, as far as known, each tier's dispatch and arrival."""
    ctx.require_write()
    now = ctx.clock.now()
    with ctx.transaction() as session:
        made = requests.earlier(session, ctx, "response_call")
        if made is not None:
            return _call_rows(session, [session.get_one(ResponseCall, made)])[0]
        errors: list[FieldError] = []
        if data.called_at is None:
            errors.append(FieldError("called_at", _("the time of the call is needed")))
        elif data.called_at > now:
            errors.append(FieldError("called_at", _("in the future")))
        if data.police_room_id is not None and session.get(PoliceRoom, data.police_room_id) is None:
            errors.append(FieldError("police_room_id", _("no such police room")))
        if data.grid_id is not None and session.get(Grid, data.grid_id) is None:
            errors.append(FieldError("grid_id", _("no such grid")))
        errors += _arrival_errors(session, data.called_at, data.arrivals, now)
        if errors:
            raise ValidationError(errors, "response call")
        assert data.called_at is not None
        # A call with no room is the branch's; a room's desk logs its own room's calls.
        core_scope.require_room(session, ctx, data.police_room_id)
        call = ResponseCall(
            police_room_id=data.police_room_id,
            grid_id=data.grid_id,
            called_at=data.called_at,
            summary=data.summary,
            created_at=now,
            updated_at=now,
        )
        session.add(call)
        session.flush()
        assert call.id is not None
        for arrival in data.arrivals:
            assert arrival.tier_id is not None
            session.add(
                ResponseArrival(
                    call_id=call.id,
                    tier_id=arrival.tier_id,
                    dispatched_at=arrival.dispatched_at,
                    arrived_at=arrival.arrived_at,
                )
            )
        session.flush()
        after = audit.snapshot(call) | {
            "arrivals": [a.model_dump(mode="json") for a in data.arrivals]
        }
        audit.record(session, ctx, AuditAction.CREATE, "response_call", call.id, after=after)
        requests.remember(session, ctx, "response_call", call.id)
        return _call_rows(session, [call])[0]


def record_arrival(
    ctx: ServiceContext, call_id: int, data: ArrivalInput, expected_version: int
) -> CallRow:
    """Set (or correct) one tier's dispatch and arrival of a call."""
    ctx.require_write()
    now = ctx.clock.now()
    with ctx.transaction() as session:
        call = session.get(ResponseCall, call_id)
        if call is None:
            raise NotFound(_("call {id} does not exist").format(id=call_id))
        core_scope.require_room(session, ctx, call.police_room_id)
        errors = _arrival_errors(session, call.called_at, [data], now)
        if errors:
            raise ValidationError(
                [FieldError(e.field.removeprefix("arrivals.0."), e.message) for e in errors],
                "response call",
            )
        assert data.tier_id is not None
        save_versioned(session, ResponseCall, call_id, expected_version, {"updated_at": now})
        old = session.exec(
            select(ResponseArrival).where(
                ResponseArrival.call_id == call_id, ResponseArrival.tier_id == data.tier_id
            )
        ).first()
        before = audit.snapshot(old) if old else {}
        session.execute(
            delete(ResponseArrival).where(
                col(ResponseArrival.call_id) == call_id,
                col(ResponseArrival.tier_id) == data.tier_id,
            )
        )
        session.add(
            ResponseArrival(
                call_id=call_id,
                tier_id=data.tier_id,
                dispatched_at=data.dispatched_at,
                arrived_at=data.arrived_at,
            )
        )
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.UPDATE,
            "response_call",
            call_id,
            before,
            data.model_dump(mode="json"),
        )
        session.refresh(call)
        return _call_rows(session, [call])[0]


def _call_rows(session: Session, calls: list[ResponseCall]) -> list[CallRow]:
    ids = [call.id for call in calls if call.id is not None]
    arrivals: dict[int, list[ArrivalRow]] = defaultdict(list)
    if ids:
        statement = (
            select(ResponseArrival, ResponseTier)
            .join(ResponseTier, col(ResponseTier.id) == ResponseArrival.tier_id)
            .where(col(ResponseArrival.call_id).in_(ids))
            .order_by(col(ResponseTier.minutes), col(ResponseTier.code))
        )
        by_call = {call.id: call for call in calls}
        for arrival, tier in session.exec(statement):
            called_at = by_call[arrival.call_id].called_at
            assert tier.id is not None
            arrivals[arrival.call_id].append(
                ArrivalRow(
                    tier.id,
                    tier.code,
                    tier.minutes,
                    arrival.dispatched_at,
                    arrival.arrived_at,
                    _minutes(called_at, arrival.arrived_at),
                )
            )
    rows = []
    for call in calls:
        assert call.id is not None
        rows.append(
            CallRow(
                call.id,
                call.version,
                call.police_room_id,
                call.grid_id,
                call.called_at,
                call.summary,
                tuple(arrivals.get(call.id, [])),
            )
        )
    return rows


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / 60


def calls_page(
    session: Session,
    police_room_id: int | None,
    date_from: date,
    date_to: date,
    after: tuple[object, ...] | None = None,
    size: int = 50,
    ctx: ServiceContext | None = None,
) -> Page[CallRow]:
    """Calls of the period, newest first, a page at a time (keyset on time and id); with
    ``ctx``, of the actor's police rooms."""
    size = clamp_page_size(size)
    start = datetime.combine(date_from, time(0))
    end = datetime.combine(date_to + timedelta(days=1), time(0))
    statement = select(ResponseCall).where(
        col(ResponseCall.called_at) >= start, col(ResponseCall.called_at) < end
    )
    if police_room_id is not None:
        statement = statement.where(ResponseCall.police_room_id == police_room_id)
    if ctx is not None:
        statement = statement.where(core_scope.rooms_clause(ctx, ResponseCall.police_room_id))
    if after is not None:
        last_at, last_id = after
        assert isinstance(last_at, datetime) and isinstance(last_id, int)
        statement = statement.where(
            (col(ResponseCall.called_at) < last_at)
            | ((col(ResponseCall.called_at) == last_at) & (col(ResponseCall.id) < last_id))
        )
    statement = statement.order_by(
        col(ResponseCall.called_at).desc(), col(ResponseCall.id).desc()
    ).limit(size + 1)
    found = list(session.exec(statement))
    rows = _call_rows(session, found[:size])
    more = len(found) > size
    cursor = (rows[-1].called_at, rows[-1].id) if more and rows else None
    return Page(rows, cursor)


def calls(
    ctx: ServiceContext,
    police_room_id: int | None,
    date_from: date,
    date_to: date,
    after: tuple[object, ...] | None = None,
    size: int = 50,
) -> Page[CallRow]:
    """Calls of the period, newest first, a page at a time (keyset on time and id)."""
    with ctx.read() as session:
        return calls_page(session, police_room_id, date_from, date_to, after, size, ctx)


# --- compliance -------------------------------------------------------------------------


def _period_start(day: date, period: Period) -> date | None:
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return None


def compliance(
    ctx: ServiceContext,
    police_room_id: int | None,
    date_from: date,
    date_to: date,
    period: Period = "all",
) -> list[TierCompliance]:
    """Per tier (and per day, week or month): dispatches, arrivals in time, median minutes.

    Minutes run from the call to arrival; a force sent but never on scene counts against
    its tier.
    """
    start = datetime.combine(date_from, time(0))
    end = datetime.combine(date_to + timedelta(days=1), time(0))
    with ctx.read() as session:
        tier_rows = [
            _tier_row(t)
            for t in session.exec(
                select(ResponseTier).order_by(col(ResponseTier.minutes), col(ResponseTier.code))
            )
        ]
        statement = (
            select(ResponseArrival.tier_id, ResponseCall.called_at, ResponseArrival.arrived_at)
            .join(ResponseCall, col(ResponseCall.id) == ResponseArrival.call_id)
            .where(col(ResponseCall.called_at) >= start, col(ResponseCall.called_at) < end)
        )
        if police_room_id is not None:
            statement = statement.where(ResponseCall.police_room_id == police_room_id)
        statement = statement.where(core_scope.rooms_clause(ctx, ResponseCall.police_room_id))
        facts = list(session.exec(statement))
    grouped: dict[tuple[date | None, int], list[float | None]] = defaultdict(list)
    for tier_id, called_at, arrived_at in facts:
        grouped[(_period_start(called_at.date(), period), tier_id)].append(
            _minutes(called_at, arrived_at)
        )
    periods = sorted({key[0] for key in grouped}, key=lambda d: d or date.min) or [None]
    if period == "all":
        periods = [None]
    result = []
    for period_start in periods:
        for tier in tier_rows:
            minutes = grouped.get((period_start, tier.id), [])
            arrived = [m for m in minutes if m is not None]
            result.append(
                TierCompliance(
                    period_start,
                    tier.code,
                    tier.minutes,
                    tier.force,
                    len(minutes),
                    len(arrived),
                    sum(1 for m in arrived if m <= tier.minutes),
                    statistics.median(arrived) if arrived else None,
                )
            )
    return result
