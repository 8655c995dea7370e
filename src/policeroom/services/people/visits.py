"""Visits (走访): staff calling on one or more residents, with a checklist per purpose.

An anti-fraud visit whose checklist says ``app_installed`` also marks each visited resident
who had not installed the app yet as installed on the visit date by the visiting staff
member: the visit is the evidence, and it is how the report's 200,000 promotions are counted.
Residents already marked keep their original date and installer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, true, update
from sqlmodel import Session, col, select

from policeroom.i18n import N_, _
from policeroom.models.audit import AuditAction
from policeroom.models.org import Grid, Staff
from policeroom.models.people import Resident, Visit, VisitCreate, VisitPurpose, VisitResident
from policeroom.services.core import audit, requests, scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.fields import Problems

APP_INSTALLED = "app_installed"


@dataclass(frozen=True)
class ChecklistItem:
    """A stable English ``id`` stored with the visit; ``label`` is translated with ``_()``."""

    id: str
    label: str


_CHECKLISTS: dict[VisitPurpose, tuple[ChecklistItem, ...]] = {
    VisitPurpose.ANTI_FRAUD: (
        ChecklistItem(APP_INSTALLED, N_("Anti-fraud app installed on the phone")),
        ChecklistItem("app_already_installed", N_("Anti-fraud app was already installed")),
        ChecklistItem("warned_common_scams", N_("Warned about common scams")),
        ChecklistItem("leaflet_given", N_("Leaflet given")),
        ChecklistItem("family_told", N_("Family members told about scams")),
        ChecklistItem("suspicious_contact_reported", N_("Suspicious calls or messages reported")),
    ),
    VisitPurpose.ROUTINE: (
        ChecklistItem("household_checked", N_("Household members checked")),
        ChecklistItem("contact_updated", N_("Contact details updated")),
        ChecklistItem("needs_recorded", N_("Needs and complaints recorded")),
        ChecklistItem("safety_advice_given", N_("Safety advice given")),
        ChecklistItem("disputes_asked", N_("Asked about disputes in the neighbourhood")),
    ),
    VisitPurpose.KEY_PERSON: (
        ChecklistItem("seen_in_person", N_("Seen in person")),
        ChecklistItem("condition_stable", N_("Condition stable")),
        ChecklistItem("guardian_contacted", N_("Guardian or family contacted")),
        ChecklistItem("risk_reported", N_("Risk reported to the police room")),
    ),
    VisitPurpose.DISPUTE: (
        ChecklistItem("parties_heard", N_("Both parties heard")),
        ChecklistItem("facts_recorded", N_("Facts recorded")),
        ChecklistItem("mediation_offered", N_("Mediation offered")),
        ChecklistItem("escalation_risk_assessed", N_("Risk of escalation assessed")),
    ),
    VisitPurpose.FOLLOW_UP: (
        ChecklistItem("agreement_kept", N_("Agreement kept")),
        ChecklistItem("no_new_conflict", N_("No new conflict")),
        ChecklistItem("satisfaction_asked", N_("Satisfaction asked")),
    ),
    VisitPurpose.OTHER: (),
}


def checklist_for(purpose: VisitPurpose) -> tuple[ChecklistItem, ...]:
    """The checklist items that fit a visit of this purpose."""
    return _CHECKLISTS[VisitPurpose(purpose)]


@dataclass(frozen=True)
class VisitRow:
    """One visit. ``installs_recorded`` lists residents this visit marked as app installed."""

    id: int
    visit_date: date
    staff_id: int
    staff_name: str
    grid_id: int
    grid_name: str
    purpose: VisitPurpose
    summary: str
    checklist: tuple[str, ...]
    resident_ids: tuple[int, ...]
    resident_names: tuple[str, ...]
    installs_recorded: tuple[int, ...] = ()


def _rows(session: Session, visits: list[Visit], installs: tuple[int, ...] = ()) -> list[VisitRow]:
    ids = [visit.id for visit in visits]
    people: dict[int, list[tuple[int, str]]] = {}
    for visit_id, resident_id, name in session.exec(
        select(VisitResident.visit_id, Resident.id, Resident.name)
        .join(Resident, col(Resident.id) == col(VisitResident.resident_id))
        .where(col(VisitResident.visit_id).in_(ids))
        .order_by(col(Resident.name_pinyin), col(Resident.id))
    ).all():
        if resident_id is not None:
            people.setdefault(visit_id, []).append((resident_id, name))
    staff_ids = {visit.staff_id for visit in visits}
    grid_ids = {visit.grid_id for visit in visits}
    staff_names = dict(
        session.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_(staff_ids))).all()
    )
    grid_names = dict(
        session.exec(select(Grid.id, Grid.name).where(col(Grid.id).in_(grid_ids))).all()
    )
    rows = []
    for visit in visits:
        assert visit.id is not None
        visited = people.get(visit.id, [])
        rows.append(
            VisitRow(
                id=visit.id,
                visit_date=visit.visit_date,
                staff_id=visit.staff_id,
                staff_name=staff_names.get(visit.staff_id, ""),
                grid_id=visit.grid_id,
                grid_name=grid_names.get(visit.grid_id, ""),
                purpose=visit.purpose,
                summary=visit.summary,
                checklist=tuple(json.loads(visit.checklist or "[]")),
                resident_ids=tuple(resident_id for resident_id, _name in visited),
                resident_names=tuple(name for _id, name in visited),
                installs_recorded=installs,
            )
        )
    return rows


def record(ctx: ServiceContext, data: VisitCreate) -> VisitRow:
    """Record one visit to one or more residents (see the module note on app installs)."""
    ctx.require_write()
    with ctx.transaction() as session:
        made = requests.earlier(session, ctx, "visit")
        if made is not None:
            return _rows(session, [session.get_one(Visit, made)])[0]
        problems = Problems()
        today = ctx.clock.today()
        if data.visit_date > today:
            problems.add("visit_date", _("a visit cannot be in the future"))
        if data.staff_id is None:
            problems.add("staff_id", _("required: who visited"))
        problems.reference(session, "staff_id", Staff, data.staff_id, _("staff member"))
        resident_ids = list(dict.fromkeys(data.resident_ids))
        residents = {
            r.id: r
            for r in session.exec(
                select(Resident).where(
                    col(Resident.id).in_(resident_ids), scope.grids_clause(ctx, Resident.grid_id)
                )
            ).all()
        }
        if not resident_ids:
            problems.add("resident_ids", _("a visit is to at least one resident"))
        missing = [str(i) for i in resident_ids if i not in residents]
        if missing:
            problems.add(
                "resident_ids", _("no resident with number {id}").format(id=", ".join(missing))
            )
        gone = [r.name for r in residents.values() if r.archived]
        if gone:
            problems.add(
                "resident_ids", _("archived residents: {names}").format(names=", ".join(gone))
            )
        allowed = {item.id for item in checklist_for(data.purpose)}
        checklist = list(dict.fromkeys(data.checklist))
        unknown = [item for item in checklist if item not in allowed]
        if unknown:
            problems.add(
                "checklist",
                _("not on the checklist of this purpose: {items}").format(items=", ".join(unknown)),
            )
        grid_id = data.grid_id
        if grid_id is None and resident_ids and resident_ids[0] in residents:
            grid_id = residents[resident_ids[0]].grid_id
        if data.grid_id is not None:
            problems.reference(session, "grid_id", Grid, data.grid_id, _("grid"))
        problems.raise_if_any(_("visit"))
        assert data.staff_id is not None and grid_id is not None
        scope.require_grid(session, ctx, grid_id)
        now = ctx.clock.now()
        visit = Visit(
            visit_date=data.visit_date,
            staff_id=data.staff_id,
            grid_id=grid_id,
            purpose=data.purpose,
            summary=data.summary,
            checklist=json.dumps(checklist, ensure_ascii=False),
            created_at=now,
            updated_at=now,
        )
        session.add(visit)
        session.flush()
        assert visit.id is not None
        for resident_id in resident_ids:
            session.add(VisitResident(visit_id=visit.id, resident_id=resident_id))
        after = audit.snapshot(visit) | {"resident_ids": resident_ids}
        audit.record(session, ctx, AuditAction.CREATE, "visit", visit.id, None, after)
        installs: list[int] = []
        if data.purpose is VisitPurpose.ANTI_FRAUD and APP_INSTALLED in checklist:
            installs = _mark_installed(session, ctx, resident_ids, data.visit_date, data.staff_id)
        requests.remember(session, ctx, "visit", visit.id)
        session.flush()
        return _rows(session, [visit], tuple(installs))[0]


def _mark_installed(
    session: Session, ctx: ServiceContext, resident_ids: list[int], on: date, staff_id: int
) -> list[int]:
    marked = []
    for resident_id in resident_ids:
        result = session.execute(
            update(Resident)
            .where(col(Resident.id) == resident_id, col(Resident.anti_fraud_installed) == false())
            .values(
                anti_fraud_installed=True,
                anti_fraud_on=on,
                anti_fraud_by_id=staff_id,
                version=Resident.version + 1,
                updated_at=ctx.clock.now(),
            )
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            marked.append(resident_id)
            audit.record(
                session,
                ctx,
                AuditAction.UPDATE,
                "resident",
                resident_id,
                {"anti_fraud_installed": False, "anti_fraud_on": None, "anti_fraud_by_id": None},
                {
                    "anti_fraud_installed": True,
                    "anti_fraud_on": on.isoformat(),
                    "anti_fraud_by_id": staff_id,
                },
            )
    return marked


def resident_visits(
    session: Session, resident_id: int, limit: int = 20, ctx: ServiceContext | None = None
) -> list[VisitRow]:
    """A resident's visits, newest first (with ``ctx``: those in the actor's rooms)."""
    visits = session.exec(
        select(Visit)
        .join(VisitResident, col(VisitResident.visit_id) == col(Visit.id))
        .where(
            col(VisitResident.resident_id) == resident_id,
            scope.grids_clause(ctx, Visit.grid_id) if ctx is not None else true(),
        )
        .order_by(col(Visit.visit_date).desc(), col(Visit.id).desc())
        .limit(max(1, limit))
    ).all()
    return _rows(session, list(visits))


def of_resident(ctx: ServiceContext, resident_id: int, limit: int = 20) -> list[VisitRow]:
    """A resident's visits, newest first."""
    with ctx.read() as session:
        return resident_visits(session, resident_id, limit, ctx)
