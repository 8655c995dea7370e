"""Logins of the program and the actor each one acts as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction, Role, User, UserCreate
from policeroom.models.org import PoliceRoom, Staff
from policeroom.services.core import audit, passwords
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import Forbidden, NotFound
from policeroom.services.core.fields import Problems

MAX_USERS = 500


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    role: Role
    staff_id: int | None
    staff_name: str
    police_room_id: int | None
    police_room_name: str
    active: bool
    version: int


def _select() -> Any:
    return (
        select(User, Staff.name, PoliceRoom.name)
        .outerjoin(Staff, col(Staff.id) == col(User.staff_id))
        .outerjoin(PoliceRoom, col(PoliceRoom.id) == col(User.police_room_id))
    )


def _to_row(user: User, staff_name: str | None, room_name: str | None) -> UserRow:
    assert user.id is not None
    return UserRow(
        id=user.id,
        login=user.login,
        role=user.role,
        staff_id=user.staff_id,
        staff_name=staff_name or "",
        police_room_id=user.police_room_id,
        police_room_name=room_name or "",
        active=user.active,
        version=user.version,
    )


ROOM_ROLES = frozenset({Role.DESK, Role.SUPERVISOR})
"""Roles whose reach is a police room (a supervisor's: the room's station)."""


def needs_room(role: Role) -> str:
    """The refusal of a desk officer's or supervisor's login saved without a police room: it
    would reach no room's records at all (``services/core/scope.py``)."""
    if role is Role.SUPERVISOR:
        return _("a supervisor needs a police room of their station (--room CODE)")
    return _("a desk officer needs their police room (--room CODE, or a staff member of it)")


def create_user(ctx: ServiceContext, data: UserCreate, password: str | None = None) -> UserRow:
    """A new login; only an administrator adds logins. The staff member's police room is the
    default room. With ``password`` the login and its password are saved together."""
    if ctx.actor.role is not Role.ADMIN:
        raise Forbidden(_("only an administrator may add users"))
    if password is not None:
        passwords.check_password(password, data.login)
    with ctx.transaction() as session:
        problems = Problems()
        login = data.login
        if session.exec(select(User.id).where(col(User.login) == login)).first():
            problems.add("login", _("login {login} already exists").format(login=login))
        person = problems.reference(session, "staff_id", Staff, data.staff_id, _("staff member"))
        problems.reference(
            session, "police_room_id", PoliceRoom, data.police_room_id, _("police room")
        )
        room_id = data.police_room_id
        if room_id is None and person is not None:
            room_id = person.police_room_id
        staff_unknown = data.staff_id is not None and person is None
        if room_id is None and data.role in ROOM_ROLES and not staff_unknown:
            problems.add("police_room_id", needs_room(data.role))
        problems.raise_if_any(_("user {login}").format(login=login))
        now = ctx.clock.now()
        user = User.model_validate(
            data, update={"police_room_id": room_id, "created_at": now, "updated_at": now}
        )
        if password is not None:
            user.password_hash = passwords.hash_password(password)
        session.add(user)
        session.flush()
        # The password's hash stays out of the audit log, as everywhere.
        after = {k: v for k, v in audit.snapshot(user).items() if k != "password_hash"}
        audit.record(session, ctx, AuditAction.CREATE, "app_user", user.id, None, after)
        staff = session.get(Staff, user.staff_id) if user.staff_id else None
        room = session.get(PoliceRoom, user.police_room_id) if user.police_room_id else None
        return _to_row(user, staff.name if staff else None, room.name if room else None)


def get_user(ctx: ServiceContext, login: str) -> UserRow:
    with ctx.read() as session:
        found = session.exec(_select().where(col(User.login) == login.strip())).first()
        if found is None:
            raise NotFound(
                _("no user {login}; add one with `policeroom user add {login}`").format(login=login)
            )
        return _to_row(*found)


def list_users(ctx: ServiceContext, limit: int = MAX_USERS) -> list[UserRow]:
    """Logins in alphabetical order (a branch has tens of them)."""
    with ctx.read() as session:
        found = session.exec(_select().order_by(col(User.login)).limit(limit)).all()
        return [_to_row(*row) for row in found]


def actor_for(ctx: ServiceContext, login: str) -> Actor:
    """The actor a login acts as; an unknown or disabled login is refused."""
    user = get_user(ctx, login)
    if not user.active:
        raise Forbidden(_("user {login} is disabled").format(login=login))
    return Actor(login=user.login, role=user.role, police_room_id=user.police_room_id)
