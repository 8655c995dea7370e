"""Users and the audit log: who did what, when, and every reveal of personal data."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from policeroom.i18n import N_, _
from policeroom.labels import register
from policeroom.models.base import LocalDateTime, Login, Rules, Text40, Tracked, enum_type


class Role(StrEnum):
    DESK = "desk"
    SUPERVISOR = "supervisor"
    HQ = "hq"
    ADMIN = "admin"
    TRAINER = "trainer"


register(
    Role,
    {
        Role.DESK: N_("desk officer"),
        Role.SUPERVISOR: N_("supervisor"),
        Role.HQ: N_("headquarters"),
        Role.ADMIN: N_("administrator"),
        Role.TRAINER: N_("trainer"),
    },
)


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ARCHIVE = "archive"
    STATUS = "status"
    REVEAL = "reveal"
    LOAD = "load"
    EXPORT = "export"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOCKED = "locked"
    UNLOCKED = "unlocked"
    LOGOUT = "logout"
    DESK_LOCKED = "desk_locked"
    DESK_UNLOCKED = "desk_unlocked"


register(
    AuditAction,
    {
        AuditAction.CREATE: N_("created"),
        AuditAction.UPDATE: N_("changed"),
        AuditAction.DELETE: N_("deleted"),
        AuditAction.ARCHIVE: N_("archived"),
        AuditAction.STATUS: N_("status moved"),
        AuditAction.REVEAL: N_("number revealed"),
        AuditAction.LOAD: N_("fixtures loaded"),
        AuditAction.EXPORT: N_("exported"),
        AuditAction.LOGIN: N_("logged in"),
        AuditAction.LOGIN_FAILED: N_("login failed"),
        AuditAction.LOCKED: N_("account locked"),
        AuditAction.UNLOCKED: N_("account unlocked"),
        AuditAction.LOGOUT: N_("logged out"),
        AuditAction.DESK_LOCKED: N_("desk locked"),
        AuditAction.DESK_UNLOCKED: N_("desk unlocked"),
    },
)


class RevealReason(StrEnum):
    """Why a full ID or phone number was shown: asked before every reveal, kept in its audit
    row."""

    VISIT = "visit"
    DISPUTE = "dispute"
    CALL = "call"
    OTHER = "other"


register(
    RevealReason,
    {
        RevealReason.VISIT: N_("a visit"),
        RevealReason.DISPUTE: N_("a dispute"),
        RevealReason.CALL: N_("a call"),
        RevealReason.OTHER: N_("other (say what)"),
    },
)


def _login_form(login: str) -> str:
    if not _LOGIN.fullmatch(login):
        raise ValueError(_("a login is lower-case letters, digits, '.', '_' or '-'"))
    return login


_LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]*")
UserLogin = Annotated[Login, AfterValidator(_login_form)]
"""A login people type at a station PC or map a key to: no spaces, no capitals."""


class UserBase(Rules):
    login: UserLogin = Field(unique=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    role: Role = Field(default=Role.DESK, sa_type=enum_type(Role))
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id")


class User(UserBase, Tracked, table=True):
    """A login of the program, tied to a staff member."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    active: bool = Field(default=True)
    # argon2 hash (services/core/passwords.py); empty until a password is set, and a login
    # without one cannot log in.
    password_hash: str = Field(default="", max_length=200)
    # Failed logins since ``failed_since``; the fifth within the window sets ``locked_until``.
    failed_logins: int = Field(default=0)
    failed_since: datetime | None = Field(default=None, sa_type=LocalDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=LocalDateTime)


class AuditLog(SQLModel, table=True):
    """One audited act. ``before``/``after`` are JSON of the changed fields."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_record", "table_name", "record_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=LocalDateTime, index=True)
    user_login: Login
    action: AuditAction = Field(sa_type=enum_type(AuditAction))
    table_name: Text40
    record_id: int | None = Field(default=None)
    field: Text40 = Field(default="", description="for reveals: which field")
    before: str = Field(default="")
    after: str = Field(default="")
    prev_hash: str = Field(default="", max_length=64)
    row_hash: str = Field(default="", max_length=64)


CHAIN_SEED = hashlib.sha256(b"policeroom audit chain").hexdigest()
"""The ``prev_hash`` of the first audit row: the chain starts from a fixed, known value."""


def chain_hash(
    prev_hash: str,
    row_id: int,
    at: datetime,
    user_login: str,
    action: str,
    table_name: str,
    record_id: int | None,
    field: str,
    before: str,
    after: str,
) -> str:
    """SHA-256 of the previous row's hash and every stored value of this row.

    A changed value, a deleted row (the next row no longer chains from its predecessor) or a
    row inserted outside ``audit.record`` (its ``prev_hash`` is not the previous row's hash)
    breaks the chain at that row.
    """
    payload = json.dumps(
        [
            prev_hash,
            row_id,
            at.isoformat(),
            user_login,
            str(action),
            table_name,
            record_id,
            field,
            before,
            after,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditChainHead(SQLModel, table=True):
    """The one row holding the newest audit row's id and hash.

    A writer locks it (``SELECT … FOR UPDATE``; SQLite writes already hold the database lock
    from BEGIN IMMEDIATE) before it appends, so two desks never chain from the same row, and
    ``audit verify`` notices rows deleted from the end of the log.
    """

    __tablename__ = "audit_chain_head"

    id: int = Field(default=1, primary_key=True)
    last_id: int = Field(default=0)
    last_hash: str = Field(default=CHAIN_SEED, max_length=64)


class Setting(SQLModel, table=True):
    """Site settings (follow-up rules, deadlines, limits) as key and JSON value."""

    key: str = Field(max_length=80, primary_key=True)
    value: str = Field(default="")
    version: int = Field(default=1, nullable=False)


class RequestKey(SQLModel, table=True):
    """A create already made: the key its caller sent (a form's draft id, a fixture record's
    natural key) and the record it made, so that the same create sent again (a retry after a
    lost answer, a second ctrl+s) hands back that record instead of making another."""

    __tablename__ = "request_key"

    kind: str = Field(max_length=40, primary_key=True)
    key: str = Field(max_length=100, primary_key=True)
    record_id: int = Field(nullable=False)
    created_at: datetime = Field(sa_type=LocalDateTime, nullable=False)


class UserCreate(UserBase):
    """A new login, optionally tied to a staff member and a police room."""
