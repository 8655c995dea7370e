"""Users and the audit log: who did what, when, and every reveal of personal data."""

from __future__ import annotations

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
    LOGIN = "login"


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
        AuditAction.LOGIN: N_("logged in"),
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


class Setting(SQLModel, table=True):
    """Site settings (follow-up rules, deadlines, limits) as key and JSON value."""

    key: str = Field(max_length=80, primary_key=True)
    value: str = Field(default="")


class UserCreate(UserBase):
    """A new login, optionally tied to a staff member and a police room."""
