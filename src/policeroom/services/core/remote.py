"""A session opened over SSH by an officer's key: who it is, and the audit row that says so.

sshd has already proved the key; the forced command on that key's ``authorized_keys`` line
names the login. So the only checks left are the ones that can change after the line was
installed: the login still exists and is still active.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from policeroom.i18n import _
from policeroom.models.audit import AuditAction, Role, User
from policeroom.services.core import audit, passwords
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import Forbidden, NotFound

VIA_SSH = "ssh"


@dataclass(frozen=True)
class Origin:
    """Where a remote session comes from, as sshd tells it."""

    key: str = ""  # the key's SHA256 fingerprint, from the authorized_keys line
    client: str = ""  # the client's address and port, from SSH_CONNECTION


def open_remote_session(ctx: ServiceContext, login: str, origin: Origin) -> Actor:
    """The actor of ``login``, with a login audit row naming SSH, the key and the client.

    One transaction: the row is written only if the login is accepted, and a refused login
    leaves nothing half-done.
    """
    with ctx.transaction() as session:
        user = session.exec(select(User).where(col(User.login) == login.strip())).first()
        if user is None:
            raise NotFound(_("no user {login}").format(login=login))
        if not user.active:
            raise Forbidden(_("user {login} is disabled").format(login=login))
        if user.role is Role.TRAINER:
            raise Forbidden(passwords.trainer_refusal())
        actor = Actor(login=user.login, role=user.role, police_room_id=user.police_room_id)
        audit.record(
            session,
            ctx.as_actor(actor),
            AuditAction.LOGIN,
            User.__tablename__,
            user.id,
            after={"via": VIA_SSH, "key": origin.key, "from": origin.client},
        )
    return actor
