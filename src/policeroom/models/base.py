"""Columns every editable record shares."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import sqlalchemy as sa
from annotated_types import Ge, MaxLen, MinLen
from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel

from policeroom.i18n import _
from policeroom.models.formats import check_mobile, check_phone, check_text

# Named constraints so Alembic can alter them the same way on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Local wall-clock time without a zone (Asia/Shanghai has no daylight saving); explicit so
# that SQLModel versions that default to timezone-aware columns do not change the schema.
LocalDateTime = sa.DateTime(timezone=False)


def ordered_key(length: int) -> sa.types.TypeEngine[str]:
    """A search or tree key compared byte by byte.

    PostgreSQL servers often collate by locale (``en_US``), which ignores punctuation, so
    ``/1/2/`` would sort after ``/10/`` and a prefix range would miss rows; the ``C``
    collation keeps ranges on ``path``, pinyin and reversed digits exact. SQLite already
    compares bytes.
    """
    return sa.String(length).with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")


def enum_type(enum_class: type[StrEnum]) -> sa.Enum:
    """Store an enumeration as its stable English value in a plain string column."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Tracked(SQLModel):
    """A row version for optimistic locking and the time of its last write.

    Services bump ``version`` with ``UPDATE … WHERE id = ? AND version = ?``; a second
    saver whose version is stale is told instead of overwriting the first.
    """

    version: int = Field(default=1, nullable=False)
    created_at: datetime | None = Field(sa_type=LocalDateTime, default=None)
    updated_at: datetime | None = Field(sa_type=LocalDateTime, default=None)


# --- rules written once -----------------------------------------------------------------
# Each alias below is a context-free rule about one kind of value. A table takes its column
# length from it (SQLModel reads ``MaxLen``, so keep it first), and the input schemas and the
# fixture records that use the same alias check typing against the same rule. Rules that need
# the database or today's date (a code already taken, a birth date in the future) are the
# services' business.

Required = MinLen(1)
"""Not empty once stripped: pydantic reports ``string_too_short``, shown as "required"."""

Code = Annotated[str, MaxLen(32), Required]
"""A code people type and others refer to: branch, station, room, staff, grid, post…"""
Title = Annotated[str, MaxLen(100), Required]
"""The name of a place, a unit, a team or a post."""
# Control characters are every text field's rule (formats.check_text, which names the
# character); this one is the name's own: no markup.
_NOT_IN_NAMES = re.compile(r"[\[\]<>{}]")


def _plain_name(name: str) -> str:
    if _NOT_IN_NAMES.search(name):
        raise ValueError(_("a name cannot hold [ ] < > { }"))
    return name


PersonName = Annotated[str, MaxLen(50), Required, AfterValidator(_plain_name)]
"""A person's name: plain words, never markup (nor, as any text, control characters)."""
Login = Annotated[str, MaxLen(50), Required]
Address = Annotated[str, MaxLen(200)]
Text20 = Annotated[str, MaxLen(20)]
Text32 = Annotated[str, MaxLen(32)]
Text40 = Annotated[str, MaxLen(40)]
Text50 = Annotated[str, MaxLen(50)]
Text100 = Annotated[str, MaxLen(100)]
Text200 = Annotated[str, MaxLen(200)]
Text500 = Annotated[str, MaxLen(500)]
Text1000 = Annotated[str, MaxLen(1000)]
Text2000 = Annotated[str, MaxLen(2000)]
Text4000 = Annotated[str, MaxLen(4000)]
Count = Annotated[int, Ge(0)]
"""Households, people, targets, needs: a whole number that cannot be negative."""


def _phone(number: str) -> str:
    return check_phone(number) if number else ""


def _mobile(number: str) -> str:
    return check_mobile(number) if number else ""


PhoneForm = AfterValidator(_phone)
"""A mainland landline or mobile number, kept in its national form ("" when there is none)."""
MobileForm = AfterValidator(_mobile)
"""A mainland mobile number, kept as its 11 digits ("" when there is none)."""
Phone = Annotated[Text20, PhoneForm]
Mobile = Annotated[Text20, MobileForm]


def ranged(low: int, high: int | None, message: str) -> AfterValidator:
    """A whole number from ``low`` to ``high`` (no upper end when None), refused in the
    domain's own words (``message`` is marked with ``N_`` and translated when it is said)."""

    def check(value: int) -> int:
        if value < low or (high is not None and value > high):
            raise ValueError(_(message))
        return value

    return AfterValidator(check)


def max_length(model: type[BaseModel], field: str) -> int:
    """The length a field's rule allows: to size a text input or to cut a generated note."""
    for rule in model.model_fields[field].metadata:
        if isinstance(rule, MaxLen):
            return rule.max_length
    raise LookupError(f"{model.__name__}.{field} has no length rule")


def no_hidden_characters(value: object) -> object:
    """The text rule of every door (forms, fixtures, search): no NUL, no bidi override, no
    other control or format character but tab and newline; texts in lists are checked too.
    Schemas apply it to every field with ``field_validator("*")``."""
    if isinstance(value, str):
        return check_text(value)
    if isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, str):
                check_text(item)
    return value


class Rules(SQLModel):
    """The root of every shared base and input schema.

    Text is stripped before it is measured or stored, and a field the schema does not know is
    refused rather than dropped, since it is a typo. Tables built on a base take its columns;
    SQLModel does not validate a table row when it is made, the input schema did.
    """

    # SQLModel types its config as its own subclass of ConfigDict; the keys are pydantic's.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # type: ignore[assignment]

    @field_validator("*", mode="after")
    @classmethod
    def _no_hidden_characters(cls, value: object) -> object:
        return no_hidden_characters(value)
