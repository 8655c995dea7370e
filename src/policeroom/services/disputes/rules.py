"""The ledger's site rules: deadlines per status, the follow-up rule per category, limits.

Stored as JSON in the ``Setting`` table so a branch can change them without a release; a
missing or partial setting falls back to the defaults below, key by key. Also the pure
functions every dispute service shares: a status's deadline, its colour, the next action.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from policeroom.i18n import N_, _
from policeroom.labels import register
from policeroom.models.audit import AuditAction, Setting
from policeroom.models.disputes import (
    OPEN_STATUSES,
    DisputeCategory,
    DisputeStatus,
    RiskGrade,
    RiskReason,
)
from policeroom.services.core import audit, settings
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.core.fields import Problems

DEADLINES_KEY = "disputes.deadlines"
FOLLOW_UP_KEY = "disputes.follow_up_rule"
LIMITS_KEY = "disputes.limits"
SETTING_KEYS = (DEADLINES_KEY, FOLLOW_UP_KEY, LIMITS_KEY)
DEFAULT_RULE = "default"

# relativedelta keyword arguments a follow-up offset may use.
OFFSET_UNITS = ("days", "weeks", "months")


class DeadlineState(StrEnum):
    """The colour of a dispute's deadline in the list and the card."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CLOSED = "closed"


register(
    DeadlineState,
    {
        DeadlineState.ON_TIME: N_("On time"),
        DeadlineState.DUE_SOON: N_("Due soon"),
        DeadlineState.OVERDUE: N_("Overdue"),
        DeadlineState.CLOSED: N_("Closed"),
    },
)


@dataclass(frozen=True)
class Deadlines:
    """Days allowed in each open status (from the day the status began)."""

    registered_high: int = 1
    registered: int = 3
    investigating: int = 7
    mediating: int = 15


@dataclass(frozen=True)
class Limits:
    """Early-warning thresholds, in days."""

    due_soon: int = 2
    high_risk_to_mediation: int = 1
    open_too_long: int = 30
    repeat_window: int = 90


Offset = dict[str, int]


@dataclass(frozen=True)
class DisputeRules:
    deadlines: Deadlines = Deadlines()
    limits: Limits = Limits()
    # Follow-up offsets after the resolution date, per category value or ``default``.
    follow_ups: dict[str, tuple[Offset, ...]] = field(
        default_factory=lambda: {DEFAULT_RULE: ({"days": 7}, {"days": 30})}
    )
    # The versions of the settings these rules were read from: a save passes them back and
    # is refused when another desk saved since (``services.core.settings``).
    versions: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def follow_up_offsets(self, category: DisputeCategory) -> tuple[Offset, ...]:
        return self.follow_ups.get(category.value) or self.follow_ups[DEFAULT_RULE]

    def follow_up_dates(self, category: DisputeCategory, resolved_on: date) -> list[date]:
        """The due dates of the follow-ups a resolution on ``resolved_on`` schedules."""
        dates = {
            resolved_on + relativedelta(**offset) for offset in self.follow_up_offsets(category)
        }
        return sorted(dates)


def _json(session: Session, key: str) -> Any:
    setting = session.get(Setting, key)
    if setting is None or not setting.value:
        return None
    try:
        return json.loads(setting.value)
    except ValueError:
        return None


def _ints(raw: Any, defaults: Any) -> Any:
    if not isinstance(raw, dict):
        return defaults
    known = {
        name: value
        for name, value in raw.items()
        if name in defaults.__dataclass_fields__ and isinstance(value, int) and value >= 0
    }
    return replace(defaults, **known)


def _offsets_valid(raw: Any) -> bool:
    return (
        isinstance(raw, list)
        and bool(raw)
        and all(
            isinstance(offset, dict)
            and offset
            and all(
                unit in OFFSET_UNITS and isinstance(n, int) and n > 0 for unit, n in offset.items()
            )
            for offset in raw
        )
    )


def load(session: Session) -> DisputeRules:
    """The rules as stored, defaults where a setting is missing or unreadable."""
    rules = DisputeRules()
    follow_ups = dict(rules.follow_ups)
    raw = _json(session, FOLLOW_UP_KEY)
    if isinstance(raw, dict):
        for name, offsets in raw.items():
            if (
                name == DEFAULT_RULE or name in {c.value for c in DisputeCategory}
            ) and _offsets_valid(offsets):
                follow_ups[name] = tuple(dict(offset) for offset in offsets)
    return DisputeRules(
        deadlines=_ints(_json(session, DEADLINES_KEY), rules.deadlines),
        limits=_ints(_json(session, LIMITS_KEY), rules.limits),
        follow_ups=follow_ups,
        versions=settings.versions(session, SETTING_KEYS),
    )


def current(ctx: ServiceContext) -> DisputeRules:
    with ctx.read() as session:
        return load(session)


def _store(
    session: Session, ctx: ServiceContext, key: str, value: Any, versions: Mapping[str, int]
) -> None:
    setting = session.get(Setting, key)
    before = {"value": setting.value} if setting else None
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    settings.store(session, key, text, versions)
    audit.record(
        session,
        ctx,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        "setting",
        None,
        before,
        {"value": text},
        field=key[:40],
    )


def set_follow_up_rule(
    ctx: ServiceContext,
    category: DisputeCategory | None,
    offsets: list[Offset],
    versions: Mapping[str, int],
) -> DisputeRules:
    """Follow-ups for ``category`` (None: the default rule), over the ``versions`` of the
    rules the editor read (``DisputeRules.versions``).

    ``offsets`` are relativedelta arguments, e.g. ``[{"days": 7}, {"months": 1}]``.
    """
    ctx.require_write()
    if not _offsets_valid(offsets):
        raise ValidationError.single(
            "offsets",
            _("give one or more offsets such as days=7 or months=1 (units: {units})").format(
                units=", ".join(OFFSET_UNITS)
            ),
        )
    name = category.value if category is not None else DEFAULT_RULE
    with ctx.transaction() as session:
        stored = _json(session, FOLLOW_UP_KEY)
        rule = stored if isinstance(stored, dict) else {}
        rule[name] = [dict(offset) for offset in offsets]
        _store(session, ctx, FOLLOW_UP_KEY, rule, versions)
        session.flush()
        return load(session)


def set_deadlines(
    ctx: ServiceContext, deadlines: Deadlines, limits: Limits, versions: Mapping[str, int]
) -> DisputeRules:
    """Replace the deadlines per status and the early-warning limits, over the ``versions``
    of the rules the editor read."""
    ctx.require_write()
    problems = Problems()
    for prefix, values in (("deadlines", deadlines), ("limits", limits)):
        for name in values.__dataclass_fields__:
            if getattr(values, name) < 0:
                problems.add(f"{prefix}.{name}", _("cannot be negative"))
    problems.raise_if_any(_("dispute rules"))
    with ctx.transaction() as session:
        _store(session, ctx, DEADLINES_KEY, deadlines.__dict__, versions)
        _store(session, ctx, LIMITS_KEY, limits.__dict__, versions)
        session.flush()
        return load(session)


# --- deadlines ---------------------------------------------------------------------------


def status_deadline(
    rules: DisputeRules, status: DisputeStatus, risk: RiskGrade, since: date
) -> date | None:
    """The deadline of an open status that began on ``since`` (None for the others)."""
    days = {
        DisputeStatus.REGISTERED: rules.deadlines.registered_high
        if risk is RiskGrade.HIGH
        else rules.deadlines.registered,
        DisputeStatus.INVESTIGATING: rules.deadlines.investigating,
        DisputeStatus.MEDIATING: rules.deadlines.mediating,
    }.get(status)
    return since + timedelta(days=days) if days is not None else None


def effective_due_on(
    status: DisputeStatus, stored: date | None, next_follow_up: date | None
) -> date | None:
    """The deadline a dispute shows: its status's for an open one, the next follow-up not
    yet done for a resolved one, none for a referred or closed one.

    Read from the follow-ups rather than the stored ``due_on`` for resolved disputes, so
    rows written in bulk (fixtures, the generator) cannot show a stale deadline.
    """
    if status in OPEN_STATUSES:
        return stored
    if status is DisputeStatus.RESOLVED:
        return next_follow_up
    return None


def deadline_state(rules: DisputeRules, due_on: date | None, today: date) -> DeadlineState:
    """``closed`` when nothing is due (a finished dispute with no follow-up pending)."""
    if due_on is None:
        return DeadlineState.CLOSED
    if today > due_on:
        return DeadlineState.OVERDUE
    if (due_on - today).days <= rules.limits.due_soon:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


def next_action(status: DisputeStatus, due_on: date | None) -> str:
    """What the desk should do next, in the user's language."""
    if status is DisputeStatus.REGISTERED:
        return _("Investigate")
    if status is DisputeStatus.INVESTIGATING:
        return _("Mediate or refer")
    if status is DisputeStatus.MEDIATING:
        return _("Reach agreement and resolve")
    if status is DisputeStatus.RESOLVED and due_on is not None:
        return _("Follow-up by {date}").format(date=due_on.isoformat())
    return ""


def parse_reasons(stored: str) -> tuple[RiskReason, ...]:
    """The risk reasons of a ``risk_reasons`` column; unknown ids are skipped."""
    known = {reason.value for reason in RiskReason}
    return tuple(RiskReason(part) for part in stored.split(",") if part in known)


# --- the status machine ------------------------------------------------------------------

REOPEN_FROM = frozenset(
    {DisputeStatus.RESOLVED, DisputeStatus.REFERRED, DisputeStatus.CLOSED_UNRESOLVED}
)

# Moves the service allows; anything else is refused. Resolving also needs a mediation that
# reached (partial) agreement or a referral, which ``disputes.move`` checks.
TRANSITIONS: dict[DisputeStatus, frozenset[DisputeStatus]] = {
    DisputeStatus.REGISTERED: frozenset(
        {
            DisputeStatus.INVESTIGATING,
            DisputeStatus.MEDIATING,
            DisputeStatus.REFERRED,
            DisputeStatus.CLOSED_UNRESOLVED,
        }
    ),
    DisputeStatus.INVESTIGATING: frozenset(
        {DisputeStatus.MEDIATING, DisputeStatus.REFERRED, DisputeStatus.CLOSED_UNRESOLVED}
    ),
    DisputeStatus.MEDIATING: frozenset(
        {
            DisputeStatus.RESOLVED,
            DisputeStatus.INVESTIGATING,
            DisputeStatus.REFERRED,
            DisputeStatus.CLOSED_UNRESOLVED,
        }
    ),
    DisputeStatus.REFERRED: frozenset({DisputeStatus.RESOLVED, DisputeStatus.INVESTIGATING}),
    DisputeStatus.RESOLVED: frozenset({DisputeStatus.INVESTIGATING}),
    DisputeStatus.CLOSED_UNRESOLVED: frozenset({DisputeStatus.INVESTIGATING}),
}


def allowed_moves(status: DisputeStatus) -> tuple[DisputeStatus, ...]:
    """The statuses a dispute in ``status`` may move to, in workflow order."""
    allowed = TRANSITIONS[status]
    return tuple(s for s in DisputeStatus if s in allowed)
