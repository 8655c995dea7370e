"""Registering disputes and moving them through their statuses.

Statuses: registered → investigating → mediating → resolved, or → referred, or → closed
unresolved; resolved, referred and closed disputes reopen to investigating when they flare
up again (``dispute_rules.TRANSITIONS``). Recording a mediation session
(``mediation.record``) moves a registered or investigating dispute to mediating by itself.

Numbers are ``JF-<year>-<nnnn>`` per year of the report date, drawn from a counter row in
``setting`` that the registering transaction locks, so two desks registering at once get
different numbers; numbers already in the table (loaded fixtures) are skipped.

The ledger lists (``DisputeQuery``, ``count``, ``window``, ``page_after``, ``card``) live in
``services.ledger`` and are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import AuditAction, Setting
from policeroom.models.disputes import (
    Dispute,
    DisputeBase,
    DisputeCategory,
    DisputeCreate,
    DisputeEvent,
    DisputeParty,
    DisputeSource,
    DisputeStatus,
    DisputeUpdate,
    PartyInput,
    PartyRole,
    RiskGrade,
    StatusMove,
    default_role,
)
from policeroom.models.org import Grid, Staff
from policeroom.models.people import Resident, Visit
from policeroom.services.core import audit, requests, scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.core.fields import Problems
from policeroom.services.core.locking import save_versioned
from policeroom.services.core.name_keys import name_keys
from policeroom.services.core.validation import InvalidValue, check_id_number
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes import workflow as dispute_workflow
from policeroom.services.disputes.ledger import (
    DisputeCard,
    DisputeQuery,
    DisputeRow,
    card,
    count,
    page_after,
    search,
    window,
)
from policeroom.services.disputes.workflow import load_dispute, record_name

__all__ = [
    "DisputeCard",
    "DisputeQuery",
    "DisputeRow",
    "Saved",
    "card",
    "count",
    "move",
    "page_after",
    "register",
    "remove_party",
    "search",
    "set_party_role",
    "update",
    "window",
]

NUMBER_PREFIX = "JF"
NUMBER_DIGITS = 4
RISK_NEEDS_REASON = (RiskGrade.MEDIUM, RiskGrade.HIGH)


@dataclass(frozen=True)
class Saved:
    """A stored dispute: id, number, new version and status."""

    id: int
    number: str
    version: int
    status: DisputeStatus


# --- numbers -----------------------------------------------------------------------------


def _counter_key(year: int) -> str:
    return f"disputes.last_number.{year}"


def _highest_existing(session: Session, year: int) -> int:
    prefix = f"{NUMBER_PREFIX}-{year}-"
    # Longest first, then highest: JF-2022-10000 sorts below JF-2022-9999 as text.
    found = session.exec(
        select(Dispute.number)
        .where(col(Dispute.number) >= prefix, col(Dispute.number) < prefix[:-1] + ".")
        .order_by(sa.func.length(Dispute.number).desc(), col(Dispute.number).desc())
        .limit(1)
    ).first()
    try:
        return int(found[len(prefix) :]) if found else 0
    except ValueError:
        return 0


def next_number(session: Session, year: int) -> str:
    """Take the next number of ``year``; the counter row stays locked until commit."""
    key = _counter_key(year)
    insert: Any = (
        postgresql.insert(Setting)
        if session.get_bind().dialect.name == "postgresql"
        else sqlite.insert(Setting)
    )
    session.execute(insert.values(key=key, value="0").on_conflict_do_nothing())
    # Taking the row lock (PostgreSQL) or the write lock (SQLite) before reading the last
    # number is what keeps two registrations from reading the same one.
    session.execute(sa.update(Setting).where(col(Setting.key) == key).values(value=Setting.value))
    stored = session.exec(select(Setting.value).where(col(Setting.key) == key)).one()
    last = max(int(stored or 0), _highest_existing(session, year))
    number = last + 1
    session.execute(sa.update(Setting).where(col(Setting.key) == key).values(value=str(number)))
    return f"{NUMBER_PREFIX}-{year}-{number:0{NUMBER_DIGITS}d}"


# --- checking ----------------------------------------------------------------------------


def _check_party(
    session: Session, problems: Problems, index: int, party: PartyInput, today: date
) -> dict[str, Any]:
    field = f"parties[{index}]"
    role = party.role or default_role(index)
    if party.resident_id is not None:
        resident = session.get(Resident, party.resident_id)
        if resident is None:
            problems.add(
                f"{field}.resident_id",
                _("no resident with number {id}").format(id=party.resident_id),
            )
            return {}
        return {
            "resident_id": resident.id,
            "name": resident.name,
            "phone": resident.phone,
            "id_number": resident.id_number or "",
            "role": role,
        }
    number = "".join((party.id_number or "").split()).upper()
    if number:
        try:
            number = check_id_number(number, today).number
        except InvalidValue as error:
            problems.add(f"{field}.id_number", str(error))
    return {
        "resident_id": None,
        "name": party.name,
        "phone": party.phone,
        "id_number": number,
        "role": role,
    }


def check_roles(
    problems: Problems, category: DisputeCategory | None, roles: list[PartyRole]
) -> None:
    """The roles of a dispute's parties, whichever door they come in by: a child concerned
    is named only in a marriage-and-family dispute (support, custody), and somebody besides
    the children is party to it."""
    for index, role in enumerate(roles):
        if role is PartyRole.CHILD and category not in (None, DisputeCategory.MARRIAGE_FAMILY):
            problems.add(
                f"parties[{index}].role",
                _("a child concerned is named only in a marriage and family dispute"),
            )
    if roles and all(role is PartyRole.CHILD for role in roles):
        problems.add("parties", _("a dispute needs a party besides the children concerned"))


def _check_parties(
    session: Session,
    problems: Problems,
    parties: list[PartyInput],
    today: date,
    category: DisputeCategory | None = None,
) -> list[dict[str, Any]]:
    if not parties:
        problems.add("parties", _("name at least one party"))
        return []
    checked = [_check_party(session, problems, i, p, today) for i, p in enumerate(parties)]
    check_roles(problems, category, [p["role"] for p in checked if p])
    seen: dict[tuple[str, object], int] = {}
    for index, party in enumerate(checked):
        for key in (("resident", party.get("resident_id")), ("id", party.get("id_number"))):
            if not key[1]:
                continue
            if key in seen:
                problems.add(
                    f"parties[{index}]",
                    _("{name} is already party no. {n}").format(
                        name=party["name"], n=seen[key] + 1
                    ),
                )
            else:
                seen[key] = index
    return checked


def _check_fields(
    session: Session, problems: Problems, values: dict[str, Any], given: set[str]
) -> dict[str, Any]:
    """The plain fields shared by ``register`` and ``update``."""
    clean: dict[str, Any] = {}
    if "category" in given:
        if values.get("category") is None:
            problems.add("category", _("choose a category"))
        clean["category"] = values.get("category")
    if "description" in given:
        clean["description"] = values.get("description")
    if "grid_id" in given:
        grid_id = values.get("grid_id")
        if grid_id is None:
            problems.add("grid_id", _("choose the grid where the dispute is"))
        else:
            grid = problems.reference(session, "grid_id", Grid, grid_id, _("grid"))
            if grid is not None and grid.archived:
                problems.add("grid_id", _("grid {name} is archived").format(name=grid.name))
        clean["grid_id"] = grid_id
    if "source" in given:
        if values.get("source") is None:
            problems.add("source", _("say how the dispute came to light"))
        clean["source"] = values.get("source")
    if "risk" in given or "risk_reasons" in given:
        risk = RiskGrade(values.get("risk") or RiskGrade.LOW)
        reasons = sorted(set(values.get("risk_reasons") or []))
        if risk in RISK_NEEDS_REASON and not reasons:
            problems.add(
                "risk_reasons",
                _("say why the risk is {risk}").format(risk=label(risk)),
            )
        clean["risk"] = risk
        clean["risk_reasons"] = ",".join(reason.value for reason in reasons)
    for name in ("assignee_id", "leader_id"):
        if name in given:
            problems.reference(session, name, Staff, values.get(name), _("staff member"))
            clean[name] = values.get(name)
    return clean


def _check_create(
    session: Session, data: DisputeCreate, today: date
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    problems = Problems()
    values = data.model_dump()
    visit = problems.reference(session, "visit_id", Visit, data.visit_id, _("visit"))
    if visit is not None:
        if values["source"] is None:
            values["source"] = DisputeSource.VISIT
        elif values["source"] is not DisputeSource.VISIT:
            problems.add("source", _("a dispute found on a visit has the source Visit"))
        if values["grid_id"] is None:
            values["grid_id"] = visit.grid_id
    reported_on = data.reported_on or today
    if reported_on > today:
        problems.add("reported_on", _("{d} is in the future").format(d=reported_on.isoformat()))
    elif visit is not None and reported_on < visit.visit_date:
        problems.add(
            "reported_on",
            _("{d} is before the visit that found the dispute ({v})").format(
                d=reported_on.isoformat(), v=visit.visit_date.isoformat()
            ),
        )
    fields = {
        "category",
        "description",
        "grid_id",
        "source",
        "risk",
        "risk_reasons",
        "assignee_id",
        "leader_id",
    }
    clean = _check_fields(session, problems, values, fields)
    clean["reported_on"] = reported_on
    clean["visit_id"] = data.visit_id
    parties = _check_parties(session, problems, data.parties, today, data.category)
    problems.raise_if_any(_("new dispute"))
    return clean, parties


def check(ctx: ServiceContext, data: DisputeCreate) -> None:
    """Check a registration form without saving (raises ``ValidationError``)."""
    with ctx.read() as session:
        _check_create(session, data, ctx.clock.today())


# --- writing -----------------------------------------------------------------------------


def _write_party(session: Session, dispute_id: int, party: dict[str, Any]) -> DisputeParty:
    keys = name_keys(party["name"])
    row = DisputeParty(
        dispute_id=dispute_id,
        **party,
        name_pinyin=keys.pinyin,
        name_initials=keys.initials,
    )
    session.add(row)
    return row


def register(ctx: ServiceContext, data: DisputeCreate) -> Saved:
    """Enter a dispute in the ledger as registered, with its parties and a number."""
    ctx.require_write()
    today = ctx.clock.today()
    with ctx.transaction() as session:
        made = requests.earlier(session, ctx, "dispute")
        if made is not None:
            found = session.get_one(Dispute, made)
            return Saved(made, found.number, found.version, DisputeStatus(found.status))
        clean, parties = _check_create(session, data, today)
        scope.require_grid(session, ctx, clean["grid_id"])
        rules = dispute_rules.load(session)
        number = next_number(session, clean["reported_on"].year)
        now = ctx.clock.now()
        dispute = Dispute(
            **clean,
            number=number,
            status=DisputeStatus.REGISTERED,
            status_since=clean["reported_on"],
            due_on=dispute_rules.status_deadline(
                rules, DisputeStatus.REGISTERED, clean["risk"], clean["reported_on"]
            ),
            created_at=now,
            updated_at=now,
        )
        session.add(dispute)
        session.flush()
        assert dispute.id is not None
        written = [_write_party(session, dispute.id, party) for party in parties]
        session.add(
            DisputeEvent(
                dispute_id=dispute.id,
                # Events carry the date they stand for (here the report date).
                at=datetime.combine(clean["reported_on"], now.time()),
                user_login=ctx.actor.login,
                from_status=None,
                to_status=DisputeStatus.REGISTERED,
                reason=_("registered"),
            )
        )
        session.flush()
        after = audit.snapshot(dispute) | {
            "parties": [audit.snapshot(p, ["resident_id", "name", "role"]) for p in written]
        }
        audit.record(session, ctx, AuditAction.CREATE, "dispute", dispute.id, None, after)
        requests.remember(session, ctx, "dispute", dispute.id)
        return Saved(dispute.id, number, dispute.version, DisputeStatus.REGISTERED)


def update(
    ctx: ServiceContext, dispute_id: int, data: DisputeUpdate, expected_version: int
) -> Saved:
    """Change the fields set in ``data`` (category, description, grid, risk, people).

    A new risk grade moves a registered dispute's deadline with it.
    """
    ctx.require_write()
    with ctx.transaction() as session:
        dispute = load_dispute(session, dispute_id, ctx, write=True)
        before = audit.snapshot(dispute)
        given = set(data.model_fields_set)
        problems = Problems()
        values = problems.changes(data, DisputeBase)
        if "risk" in given or "risk_reasons" in given:
            values.setdefault("risk", dispute.risk)
            values.setdefault(
                "risk_reasons", list(dispute_rules.parse_reasons(dispute.risk_reasons))
            )
            given |= {"risk", "risk_reasons"}
        clean = _check_fields(session, problems, values, given)
        if clean.get("category") is not None:
            roles = [PartyRole(p.role) for p in _parties_of(session, dispute_id)]
            check_roles(problems, clean["category"], roles)
        problems.raise_if_any(record_name(dispute))
        if "grid_id" in clean:
            # Handing a case to another room's grid is that room's (or the station's) work.
            scope.require_grid(session, ctx, clean["grid_id"])
        if dispute.status is DisputeStatus.REGISTERED and "risk" in clean:
            rules = dispute_rules.load(session)
            clean["due_on"] = dispute_rules.status_deadline(
                rules,
                DisputeStatus.REGISTERED,
                clean["risk"],
                dispute.status_since or dispute.reported_on,
            )
        version = save_versioned(
            session,
            Dispute,
            dispute_id,
            expected_version,
            clean | {"updated_at": ctx.clock.now()},
        )
        session.flush()
        session.refresh(dispute)
        old, new = audit.diff(before, audit.snapshot(dispute))
        audit.record(session, ctx, AuditAction.UPDATE, "dispute", dispute_id, old, new)
        return Saved(dispute_id, dispute.number, version, DisputeStatus(dispute.status))


def _parties_of(session: Session, dispute_id: int) -> list[DisputeParty]:
    return list(
        session.exec(
            select(DisputeParty)
            .where(col(DisputeParty.dispute_id) == dispute_id)
            .order_by(col(DisputeParty.id))
        ).all()
    )


def _load_party(session: Session, dispute: Dispute, party_id: int) -> DisputeParty:
    party = session.get(DisputeParty, party_id)
    if party is None or party.dispute_id != dispute.id:
        raise NotFound(
            _("{name} has no party number {id}").format(name=record_name(dispute), id=party_id)
        )
    return party


PARTY_AUDIT = ["dispute_id", "resident_id", "name", "role"]


def add_party(
    ctx: ServiceContext, dispute_id: int, party: PartyInput, expected_version: int
) -> Saved:
    """Add a party found later (a resident or an outsider); without a role, a respondent."""
    ctx.require_write()
    with ctx.transaction() as session:
        dispute = load_dispute(session, dispute_id, ctx, write=True)
        current = [
            PartyInput(resident_id=p.resident_id, name=p.name, id_number=p.id_number, role=p.role)
            for p in _parties_of(session, dispute_id)
        ]
        problems = Problems()
        checked = _check_parties(
            session, problems, [*current, party], ctx.clock.today(), dispute.category
        )
        problems.raise_if_any(record_name(dispute))
        version = save_versioned(
            session, Dispute, dispute_id, expected_version, {"updated_at": ctx.clock.now()}
        )
        row = _write_party(session, dispute_id, checked[-1])
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.CREATE,
            "dispute_party",
            row.id,
            None,
            audit.snapshot(row, PARTY_AUDIT),
        )
        return Saved(dispute_id, dispute.number, version, DisputeStatus(dispute.status))


def set_party_role(
    ctx: ServiceContext,
    dispute_id: int,
    party_id: int,
    role: PartyRole | None,
    expected_version: int,
) -> Saved:
    """Give a party another role (申请人, 被申请人, 第三人, or the child concerned)."""
    ctx.require_write()
    with ctx.transaction() as session:
        dispute = load_dispute(session, dispute_id)
        parties = _parties_of(session, dispute_id)
        row = _load_party(session, dispute, party_id)
        problems = Problems()
        if role is None:
            problems.add("role", _("choose the party's role"))
        else:
            roles = [role if p.id == party_id else PartyRole(p.role) for p in parties]
            check_roles(problems, DisputeCategory(dispute.category), roles)
        problems.raise_if_any(record_name(dispute))
        assert role is not None
        if row.role == role:
            return Saved(dispute_id, dispute.number, dispute.version, DisputeStatus(dispute.status))
        version = save_versioned(
            session, Dispute, dispute_id, expected_version, {"updated_at": ctx.clock.now()}
        )
        before = audit.snapshot(row, PARTY_AUDIT)
        row.role = role
        session.add(row)
        session.flush()
        old, new = audit.diff(before, audit.snapshot(row, PARTY_AUDIT))
        audit.record(session, ctx, AuditAction.UPDATE, "dispute_party", row.id, old, new)
        return Saved(dispute_id, dispute.number, version, DisputeStatus(dispute.status))


def remove_party(
    ctx: ServiceContext, dispute_id: int, party_id: int, expected_version: int
) -> Saved:
    """Take a party named in error off the dispute; somebody besides the children stays."""
    ctx.require_write()
    with ctx.transaction() as session:
        dispute = load_dispute(session, dispute_id)
        parties = _parties_of(session, dispute_id)
        row = _load_party(session, dispute, party_id)
        problems = Problems()
        rest = [PartyRole(p.role) for p in parties if p.id != party_id]
        if not rest:
            problems.add("parties", _("a dispute keeps at least one party"))
        else:
            check_roles(problems, DisputeCategory(dispute.category), rest)
        problems.raise_if_any(record_name(dispute))
        version = save_versioned(
            session, Dispute, dispute_id, expected_version, {"updated_at": ctx.clock.now()}
        )
        before = audit.snapshot(row, PARTY_AUDIT)
        session.delete(row)
        session.flush()
        audit.record(session, ctx, AuditAction.DELETE, "dispute_party", party_id, before, None)
        return Saved(dispute_id, dispute.number, version, DisputeStatus(dispute.status))


def move(ctx: ServiceContext, dispute_id: int, data: StatusMove, expected_version: int) -> Saved:
    """Move a dispute to ``data.to_status`` with a reason; refused moves change nothing.

    Resolving needs a mediation session that reached (partial) agreement, or a referral;
    it schedules the follow-ups of the category's rule. Reopening (resolved, referred or
    closed → investigating) drops the follow-ups not yet done.
    """
    ctx.require_write()
    today = ctx.clock.today()
    with ctx.transaction() as session:
        dispute = load_dispute(session, dispute_id, ctx, write=True)
        on = data.on or today
        dispute_workflow.check_move(session, dispute, data.to_status, on, today, data.referred_to)
        rules = dispute_rules.load(session)
        version = dispute_workflow.apply_move(
            session,
            ctx,
            dispute,
            data.to_status,
            data.reason,
            on,
            rules,
            expected_version,
            data.referred_to,
        )
        return Saved(dispute_id, dispute.number, version, data.to_status)
