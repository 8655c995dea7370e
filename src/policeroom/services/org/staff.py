"""Staff: police, auxiliary police, grid workers and volunteer activists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, true
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction, Role
from policeroom.models.org import PoliceRoom, Staff, StaffBase, StaffCreate, StaffKind, StaffUpdate
from policeroom.services.core import audit
from policeroom.services.core import scope as core_scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.core.fields import Problems
from policeroom.services.core.locking import save_versioned
from policeroom.services.core.name_search import SearchKind, name_matches, parse_search
from policeroom.services.core.paging import clamp_page_size


@dataclass(frozen=True)
class StaffRow:
    id: int
    code: str
    name: str
    kind: StaffKind
    phone: str
    police_room_id: int | None
    police_room_name: str
    committee_post: str
    active: bool
    version: int


def _row(staff: Staff, room_name: str | None) -> StaffRow:
    assert staff.id is not None
    return StaffRow(
        id=staff.id,
        code=staff.code,
        name=staff.name,
        kind=staff.kind,
        phone=staff.phone,
        police_room_id=staff.police_room_id,
        police_room_name=room_name or "",
        committee_post=staff.committee_post,
        active=staff.active,
        version=staff.version,
    )


def _select_rows() -> Any:
    return select(Staff, PoliceRoom.name).outerjoin(
        PoliceRoom, col(PoliceRoom.id) == col(Staff.police_room_id)
    )


def rows(
    session: Session,
    police_room_id: int | None = None,
    kind: StaffKind | None = None,
    text: str = "",
    limit: int = 50,
    ctx: ServiceContext | None = None,
) -> list[StaffRow]:
    """Active staff in name order, filtered by police room, kind and a name or code piece;
    with ``ctx``, only those the actor reaches (``_reached``)."""
    statement = _select_rows().where(col(Staff.active))
    if ctx is not None:
        statement = statement.where(_reached(ctx))
    if police_room_id is not None:
        statement = statement.where(col(Staff.police_room_id) == police_room_id)
    if kind is not None:
        statement = statement.where(col(Staff.kind) == kind)
    text = text.strip()
    limit = clamp_page_size(limit)
    if text:
        statement = statement.where(_search_condition(session, statement, text, limit))
    statement = statement.order_by(col(Staff.name), col(Staff.id)).limit(limit)
    return [_row(staff, room) for staff, room in session.exec(statement).all()]


def _reached(ctx: ServiceContext) -> Any:
    """The staff of the actor's police rooms and those of no room (the station's and the
    branch's own): a desk's pickers never list, nor give the phones of, another room's.
    An administrator, who reaches no room's records, finds every staff member: users are
    made for them."""
    if ctx.actor.role is Role.ADMIN:
        return true()
    return or_(
        col(Staff.police_room_id).is_(None), core_scope.rooms_clause(ctx, Staff.police_room_id)
    )


def _search_condition(session: Session, listed: Any, text: str, limit: int) -> Any:
    """Staff found as residents are: a piece of the name, pinyin or initials (``kht``,
    ``konghaitao``), the last digits of the phone; and a code by its start.

    Staff have no pinyin columns: a branch has a few thousand at most, so the pinyin is
    matched on the names of those ``listed`` (active, in the room and kind asked for), read
    as (id, name) only, until ``limit`` are found.
    """
    parsed = parse_search(text)
    by_code = col(Staff.code).startswith(text, autoescape=True)
    if parsed.kind in (SearchKind.GRAM, SearchKind.GRAM_LIKE):
        return or_(col(Staff.name).contains(parsed.key, autoescape=True), by_code)
    if parsed.kind is SearchKind.DIGITS:
        return or_(col(Staff.phone).endswith(parsed.key, autoescape=True), by_code)
    if parsed.kind is not SearchKind.LETTERS:
        return by_code
    names = listed.with_only_columns(col(Staff.id), col(Staff.name)).order_by(
        col(Staff.name), col(Staff.id)
    )
    found: list[int] = []
    for staff_id, name in session.exec(names):
        if name_matches(parsed, name):
            found.append(staff_id)
            if len(found) == limit:
                break
    return or_(col(Staff.id).in_(found), by_code)


def list_staff(
    ctx: ServiceContext,
    police_room_id: int | None = None,
    kind: StaffKind | None = None,
    text: str = "",
    limit: int = 50,
) -> list[StaffRow]:
    """Active staff in name order, filtered by police room, kind and a name or code piece."""
    with ctx.read() as session:
        return rows(session, police_room_id, kind, text, limit, ctx)


def row(session: Session, staff_id: int) -> StaffRow:
    found = session.exec(_select_rows().where(col(Staff.id) == staff_id)).first()
    if found is None:
        raise NotFound(_("no staff member with number {id}").format(id=staff_id))
    return _row(*found)


def get(ctx: ServiceContext, staff_id: int) -> StaffRow:
    with ctx.read() as session:
        return row(session, staff_id)


def get_by_code(ctx: ServiceContext, code: str) -> StaffRow:
    """The staff member with this badge or staff number."""
    with ctx.read() as session:
        found = session.exec(
            _select_rows().where(col(Staff.code) == code.strip(), _reached(ctx))
        ).first()
        if found is None:
            raise NotFound(_("no staff member with code {code}").format(code=code))
        return _row(*found)


def _check(
    session: Session, values: dict[str, Any], staff_id: int | None, problems: Problems
) -> dict[str, Any]:
    """The database's rules; the schema checked the rest."""
    if "code" in values:
        clash = session.exec(
            select(Staff.id).where(col(Staff.code) == values["code"], col(Staff.id) != staff_id)
        ).first()
        if clash is not None:
            problems.add("code", _("code {code} is already used").format(code=values["code"]))
    if values.get("police_room_id") is not None:
        problems.reference(
            session, "police_room_id", PoliceRoom, values["police_room_id"], _("police room")
        )
    return values


def create(ctx: ServiceContext, data: StaffCreate) -> StaffRow:
    core_scope.require_structure(ctx)
    with ctx.transaction() as session:
        problems = Problems()
        values = _check(session, data.model_dump(), None, problems)
        problems.raise_if_any(_("staff member"))
        now = ctx.clock.now()
        staff = Staff(**values, created_at=now, updated_at=now)
        session.add(staff)
        session.flush()
        assert staff.id is not None
        audit.record(
            session, ctx, AuditAction.CREATE, "staff", staff.id, None, audit.snapshot(staff)
        )
        room = session.get(PoliceRoom, staff.police_room_id) if staff.police_room_id else None
        return _row(staff, room.name if room else None)


def update(
    ctx: ServiceContext, staff_id: int, data: StaffUpdate, expected_version: int
) -> StaffRow:
    """Change the fields set in ``data``; refused with ``StaleRecord`` if someone saved first."""
    core_scope.require_structure(ctx)
    with ctx.transaction() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise NotFound(_("no staff member with number {id}").format(id=staff_id))
        before = audit.snapshot(staff)
        problems = Problems()
        values = _check(session, problems.changes(data, StaffBase), staff_id, problems)
        problems.raise_if_any(_("staff member"))
        save_versioned(
            session, Staff, staff_id, expected_version, {**values, "updated_at": ctx.clock.now()}
        )
        session.refresh(staff)
        old, new = audit.diff(before, audit.snapshot(staff))
        audit.record(session, ctx, AuditAction.UPDATE, "staff", staff_id, old, new)
        return row(session, staff_id)
