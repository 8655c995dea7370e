"""Who is acting, on which database, at what time: handed to every service call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlmodel import Session

from policeroom.clock import SYSTEM_CLOCK, Clock
from policeroom.db import Database
from policeroom.i18n import _
from policeroom.models.audit import Role
from policeroom.services.core.errors import Forbidden
from policeroom.services.core.integrity import database_refusals

# Roles allowed to see unmasked ID and phone numbers, each reveal audited with its reason:
# headquarters reads every room and may need a number to follow a case up the chain; an
# administrator manages logins and settings, and has no use for a resident's number.
REVEAL_ROLES = frozenset({Role.DESK, Role.SUPERVISOR, Role.HQ, Role.TRAINER})
WRITE_ROLES = frozenset({Role.DESK, Role.SUPERVISOR, Role.ADMIN, Role.TRAINER})


@dataclass(frozen=True)
class Actor:
    """The logged-in user as services see them."""

    login: str
    role: Role = Role.DESK
    police_room_id: int | None = None
    # The program itself (commands at a shell, fixtures, migrations): reaches every room.
    # Nobody logs in as it; ``services/core/scope.py`` limits every other actor.
    system: bool = False

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def can_reveal(self) -> bool:
        # the program itself (an operator's command at a shell) may: `fixtures export
        # --unmasked` is its full copy, audited with its reason
        return self.system or self.role in REVEAL_ROLES


SYSTEM_ACTOR = Actor(login="system", role=Role.ADMIN, system=True)


@dataclass(frozen=True)
class ServiceContext:
    """A database, an actor and a clock. One service call = one ``read()`` or one
    ``transaction()``, into which it passes its session to the helpers it composes."""

    db: Database
    actor: Actor = SYSTEM_ACTOR
    clock: Clock = field(default_factory=lambda: SYSTEM_CLOCK)
    # Set for a remote (SSH) session: every export and print goes into this folder, by name
    # (services/core/files.py says why).
    export_dir: Path | None = None
    # The key of the create this context is making (a form's draft id): the same key twice
    # gives back the first record (services/core/requests.py).
    request_key: str | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write: begun before its checks (``BEGIN IMMEDIATE`` on SQLite), so no other
        writer can change what they found before it commits; all or nothing."""
        with database_refusals(), self.db.transaction() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read: one snapshot for all of its queries (``REPEATABLE READ, READ ONLY`` on
        PostgreSQL); nothing it does is committed."""
        with database_refusals(), self.db.read() as session:
            yield session

    def require_write(self) -> None:
        if not self.actor.can_write:
            if self.actor.role is Role.HQ:
                raise Forbidden(
                    _("headquarters may read every police room's records but change none")
                )
            raise Forbidden(
                _("user {login} ({role}) may not change records").format(
                    login=self.actor.login, role=self.actor.role
                )
            )

    def as_actor(self, actor: Actor) -> ServiceContext:
        return replace(self, actor=actor)

    def keyed(self, request_key: str | None) -> ServiceContext:
        """This context for one create that carries ``request_key``."""
        return replace(self, request_key=request_key)
