"""A logged-in desk's session: the idle lock, its unlocking, and logging out.

An idle desk hides everything on screen and asks its user's password again. The password is
checked by ``passwords.authenticate``, so a wrong one counts toward the account's lockout
exactly as at the login screen, and every lock, unlock and logout is an audit row.
"""

from __future__ import annotations

from sqlmodel import col, select

from policeroom.models.audit import AuditAction, User
from policeroom.services.core import audit, passwords
from policeroom.services.core.context import ServiceContext


def _record(ctx: ServiceContext, action: AuditAction, after: dict[str, object]) -> None:
    with ctx.transaction() as session:
        # None for an actor with no login row (a trainer's class, the program itself).
        user_id = session.exec(select(User.id).where(col(User.login) == ctx.actor.login)).first()
        audit.record(session, ctx, action, User.__tablename__, user_id, after=after)


def lock(ctx: ServiceContext, *, idle: bool) -> None:
    """The desk of ``ctx.actor`` was locked: by its idle time (``idle``) or by its user."""
    _record(ctx, AuditAction.DESK_LOCKED, {"idle": idle})


def unlock(ctx: ServiceContext, password: str) -> None:
    """Unlock the desk of ``ctx.actor`` with their password; ``LoginRefused`` when wrong or
    locked out. A failure counts toward the lockout and is audited as a failed login."""
    passwords.authenticate(ctx, ctx.actor.login, password, action=AuditAction.DESK_UNLOCKED)


def resume_training(ctx: ServiceContext) -> None:
    """A training desk goes back to work without a password: trainees have none, and the
    throw-away copy holds only the training set. Audited all the same."""
    _record(ctx, AuditAction.DESK_UNLOCKED, {"password": False})


def log_out(ctx: ServiceContext) -> None:
    """``ctx.actor`` left the program."""
    _record(ctx, AuditAction.LOGOUT, {})
