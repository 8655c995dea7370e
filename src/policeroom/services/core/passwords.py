"""Passwords of logins: argon2 hashes, the rules a new password meets, logging in and lockout.

A refused login never says whether the login or the password was wrong, so nobody can learn
which logins exist by trying. Five failures within fifteen minutes lock the account for the
``login_lock_minutes`` setting (default 15) or until an administrator unlocks it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction, Role, Setting, User
from policeroom.services.core import audit
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import Forbidden, NotFound, ServiceError, ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 200
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_SETTING = "login_lock_minutes"
DEFAULT_LOCK_MINUTES = 15

# The most used passwords in leaks (Chinese lists included) and this program's own name:
# the first an attacker tries. Compared without case.
COMMON_PASSWORDS = frozenset(
    {
        "123456",
        "password",
        "12345678",
        "qwerty",
        "admin123",
        "1qaz2wsx",
        "woaini1314",
        "88888888",
        "policeroom",
        "1234567890",
        "0123456789",
        "qwertyuiop",
        "1q2w3e4r5t",
        "password123",
        "password1",
        "iloveyou",
        "a123456789",
        "abc1234567",
        "1234qwer",
        "5201314520",
        "woaini520",
        "qazwsxedc",
        "1qaz2wsx3edc",
        "admin12345",
        "administrator",
        "policeroom1",
        "policeroom123",
        "11111111",
        "00000000",
        "66666666",
        "1111111111",
        "0000000000",
        "6666666666",
        "8888888888",
        "147258369",
        "123123123",
        "12341234",
        "1234512345",
    }
)

_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the login does not exist, so a wrong login takes as long as a
    wrong password and the time of the answer does not tell them apart. Made on first use,
    not at import: hashing costs a noticeable part of the desk's start."""
    return _HASHER.hash("policeroom dummy password")


class LoginRefused(ServiceError):
    """A login was refused: wrong login or password (never which), disabled or locked."""


def wrong_login() -> str:
    return _("login or password is wrong")


def check_password(password: str, login: str = "") -> None:
    """Raise ``ValidationError`` on the ``password`` field when ``password`` is too weak."""
    if len(password) < MIN_LENGTH:
        message = _("a password has at least {count} characters").format(count=MIN_LENGTH)
    elif len(password) > MAX_LENGTH:
        message = _("a password has at most {count} characters").format(count=MAX_LENGTH)
    elif password.strip().lower() in COMMON_PASSWORDS or (
        login and password.strip().lower() == login.lower()
    ):
        message = _("this password is one of the first an attacker tries; choose another")
    elif len(set(password)) < 3:
        message = _("this password repeats one or two characters; choose another")
    else:
        return
    raise ValidationError.single("password", message)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _matches(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _dummy_hash(), password) and bool(stored)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def lock_minutes(session: Session) -> int:
    """The ``login_lock_minutes`` setting (a JSON number), or the default."""
    stored = session.get(Setting, LOCK_SETTING)
    if stored is None or not stored.value:
        return DEFAULT_LOCK_MINUTES
    try:
        minutes = int(json.loads(stored.value))
    except (ValueError, TypeError):
        return DEFAULT_LOCK_MINUTES
    return max(1, minutes)


def _user(session: Session, login: str) -> User:
    user = session.exec(select(User).where(col(User.login) == login.strip())).first()
    if user is None:
        raise NotFound(_("no user {login}").format(login=login))
    return user


def _require_admin(ctx: ServiceContext) -> None:
    if ctx.actor.role is not Role.ADMIN:
        raise Forbidden(_("only an administrator may do this"))


@dataclass(frozen=True)
class _Outcome:
    actor: Actor | None
    refusal: str


def authenticate(
    ctx: ServiceContext, login: str, password: str, *, action: AuditAction = AuditAction.LOGIN
) -> Actor:
    """The actor ``login`` acts as when ``password`` is theirs; ``LoginRefused`` otherwise.

    One transaction: the failure count, the lock and the audit row of the attempt commit
    together, and are committed even though the attempt is refused. ``action`` names a
    success in the audit log (a login, or the unlocking of an idle desk).
    """
    typed = login.strip()[:50]
    as_typed = ctx.as_actor(Actor(login=typed or "?"))
    with ctx.transaction() as session:
        outcome = _attempt(session, as_typed, typed, password, action)
    if outcome.actor is None:
        raise LoginRefused(outcome.refusal)
    return outcome.actor


def _attempt(
    session: Session, ctx: ServiceContext, login: str, password: str, action: AuditAction
) -> _Outcome:
    now = ctx.clock.now()
    user = session.exec(select(User).where(col(User.login) == login)).first()
    if user is None:
        _matches("", password)
        audit.record(session, ctx, AuditAction.LOGIN_FAILED, "app_user", None)
        return _Outcome(None, wrong_login())
    if user.locked_until is not None and user.locked_until > now:
        # Not even a right password opens a locked account: guessing goes on being useless.
        audit.record(session, ctx, AuditAction.LOGIN_FAILED, "app_user", user.id)
        return _Outcome(None, _locked(user.locked_until))
    counted = _counters(user)
    if not _matches(user.password_hash, password) or not user.active:
        if user.failed_since is None or now - user.failed_since > FAILURE_WINDOW:
            user.failed_since = now
            user.failed_logins = 0
        user.failed_logins += 1
        audit.record(
            session, ctx, AuditAction.LOGIN_FAILED, "app_user", user.id, counted, _counters(user)
        )
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + timedelta(minutes=lock_minutes(session))
            user.failed_logins = 0
            user.failed_since = None
            session.add(user)
            audit.record(
                session,
                ctx,
                AuditAction.LOCKED,
                "app_user",
                user.id,
                None,
                {"locked_until": user.locked_until},
            )
            return _Outcome(None, _locked(user.locked_until))
        session.add(user)
        return _Outcome(None, wrong_login())
    if user.role is Role.TRAINER:
        # A trainer reaches every room and may change anything, which only a throw-away
        # training copy can allow (``policeroom training`` opens one without a login).
        audit.record(
            session, ctx, AuditAction.LOGIN_FAILED, "app_user", user.id, None, TRAINER_REFUSED
        )
        return _Outcome(None, trainer_refusal())
    if user.failed_logins or user.failed_since or user.locked_until:
        # Only a count left over is written (and its values before audited with it).
        user.failed_logins = 0
        user.failed_since = None
        user.locked_until = None
        session.add(user)
        audit.record(session, ctx, action, "app_user", user.id, counted, _counters(user))
    else:
        audit.record(session, ctx, action, "app_user", user.id)
    return _Outcome(Actor(login=user.login, role=user.role, police_room_id=user.police_room_id), "")


TRAINER_REFUSED = {"refused": "trainer outside a training copy"}


def trainer_refusal() -> str:
    return _("a trainer works on training copies only: run `policeroom training`")


def _counters(user: User) -> dict[str, object]:
    """What a login attempt changes on its user, for the audit row's before and after."""
    return {
        "failed_logins": user.failed_logins,
        "failed_since": user.failed_since,
        "locked_until": user.locked_until,
    }


def _locked(until: datetime) -> str:
    return _(
        "too many failed logins: this account is locked until {time}; "
        "an administrator can unlock it"
    ).format(time=until.strftime("%H:%M"))


def set_password(ctx: ServiceContext, login: str, password: str) -> None:
    """Give ``login`` a new password: an administrator for anyone, a user for themselves."""
    if ctx.actor.role is not Role.ADMIN and ctx.actor.login != login:
        raise Forbidden(_("only an administrator may set another user's password"))
    check_password(password, login)
    with ctx.transaction() as session:
        user = _user(session, login)
        had = {"password_set": bool(user.password_hash), "version": user.version}
        user.password_hash = hash_password(password)
        user.version += 1
        user.updated_at = ctx.clock.now()
        session.add(user)
        # The hash itself stays out of the audit log: that a password changed is enough.
        audit.record(
            session,
            ctx,
            AuditAction.UPDATE,
            "app_user",
            user.id,
            had,
            {"password_set": True, "version": user.version},
            field="password_hash",
        )


def unlock(ctx: ServiceContext, login: str) -> None:
    """Lift a lock and forget the failures counted so far."""
    _require_admin(ctx)
    with ctx.transaction() as session:
        user = _user(session, login)
        before = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
        user.locked_until = None
        user.failed_logins = 0
        user.failed_since = None
        session.add(user)
        audit.record(session, ctx, AuditAction.UNLOCKED, "app_user", user.id, before, None)


def disable(ctx: ServiceContext, login: str) -> None:
    """A disabled login can no longer log in; its rows and audit trail stay."""
    _require_admin(ctx)
    with ctx.transaction() as session:
        user = _user(session, login)
        if not user.active:
            return
        user.active = False
        user.version += 1
        user.updated_at = ctx.clock.now()
        session.add(user)
        audit.record(
            session,
            ctx,
            AuditAction.UPDATE,
            "app_user",
            user.id,
            {"active": True},
            {"active": False},
        )


def has_admin(ctx: ServiceContext) -> bool:
    """Whether an administrator can log in. Until one can (an empty user table, or fixtures
    whose logins have no password yet), the first administrator is set up without one."""
    with ctx.read() as session:
        found = session.exec(
            select(User.id)
            .where(col(User.role) == Role.ADMIN, col(User.active), col(User.password_hash) != "")
            .limit(1)
        ).first()
        return found is not None
