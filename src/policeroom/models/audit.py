"""Users and the audit log: who did what, when, and every reveal of personal data."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from policeroom.i18n import N_
from policeroom.labels import register
from policeroom.models.base import LocalDateTime, Tracked, enum_type


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
    },
)


class User(Tracked, table=True):
    """A login of the program, tied to a staff member."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=50, unique=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    role: Role = Field(sa_type=enum_type(Role))
    police_room_id: int | None = Field(default=None, foreign_key="police_room.id")
    active: bool = Field(default=True)


class AuditLog(SQLModel, table=True):
    """One audited act. ``before``/``after`` are JSON of the changed fields."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_record", "table_name", "record_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=LocalDateTime, index=True)
    user_login: str = Field(max_length=50)
    action: AuditAction = Field(sa_type=enum_type(AuditAction))
    table_name: str = Field(max_length=40)
    record_id: int | None = Field(default=None)
    field: str = Field(default="", max_length=40, description="for reveals: which field")
    before: str = Field(default="")
    after: str = Field(default="")


class Setting(SQLModel, table=True):
    """Site settings (follow-up rules, deadlines, limits) as key and JSON value."""

    key: str = Field(max_length=80, primary_key=True)
    value: str = Field(default="")


class UserCreate(BaseModel):
    """A new login, optionally tied to a staff member and a police room."""

    model_config = ConfigDict(extra="forbid")

    login: str = ""
    role: Role = Role.DESK
    staff_id: int | None = None
    police_room_id: int | None = None
