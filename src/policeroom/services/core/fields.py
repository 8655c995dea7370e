"""Collecting every wrong field of one input before anything is written.

Context-free rules (lengths, required fields, counts, ranges) live on the shared pydantic bases
in ``policeroom.models``; pydantic checks them when an input schema is made. ``field_errors``
is the one place where its findings become the service's ``FieldError``s, worded in the user's
language, so a form, a fixture file and the command line all say the same thing.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pydantic
from pydantic_core import ErrorDetails
from sqlmodel import Session

from policeroom.i18n import _
from policeroom.services.core.errors import FieldError, ValidationError

Schema = TypeVar("Schema", bound=pydantic.BaseModel)

# Error types whose input was the wrong kind of value rather than a value out of bounds.
_NUMBER_TYPES = frozenset({"int_type", "int_parsing", "int_from_float", "float_parsing"})
_DATE_TYPES = frozenset({"date_type", "date_parsing", "date_from_datetime_parsing"})
_TIME_TYPES = frozenset({"time_type", "time_parsing", "datetime_type", "datetime_parsing"})


def field_name(location: Sequence[int | str]) -> str:
    """``("parties", 1, "name")`` as ``parties[1].name``, the way services name fields."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def message(found: ErrorDetails) -> str:
    """What pydantic found, in the words the services use, in the user's language."""
    kind = found["type"]
    limits: Mapping[str, Any] = found.get("ctx") or {}
    given = found.get("input")
    if kind == "missing" or (kind == "string_too_short" and limits.get("min_length") == 1):
        return _("required")
    if given is None and kind.endswith("_type"):
        return _("required")
    if kind == "string_too_long":
        length = len(given.strip()) if isinstance(given, str) else limits["max_length"]
        return _("at most {n} characters, this has {m}").format(n=limits["max_length"], m=length)
    if kind == "greater_than_equal":
        if limits["ge"] == 0:
            return _("cannot be negative")
        return _("at least {n}").format(n=limits["ge"])
    if kind == "greater_than":
        return _("more than {n}").format(n=limits["gt"])
    if kind == "less_than_equal":
        return _("at most {n}").format(n=limits["le"])
    if kind == "less_than":
        return _("less than {n}").format(n=limits["lt"])
    if kind == "value_error":
        # A rule's own words (``ranged``), translated when the rule was checked.
        return str(limits["error"])
    if kind in ("enum", "literal_error"):
        return _("not one of the choices")
    if kind in _NUMBER_TYPES:
        return _("a whole number is needed")
    if kind in _DATE_TYPES:
        return _("not a date")
    if kind in _TIME_TYPES:
        return _("not a time")
    if kind == "string_type":
        return _("text is needed")
    if kind == "extra_forbidden":
        return _("not a field of this record")
    return found["msg"]


def field_errors(error: pydantic.ValidationError, record: str = "") -> ValidationError:
    """pydantic's findings as the service's ``ValidationError``, one ``FieldError`` each."""
    return ValidationError(
        [FieldError(field_name(found["loc"]), message(found)) for found in error.errors()], record
    )


def parse(schema: type[Schema], values: Mapping[str, Any], record: str = "") -> Schema:
    """``values`` as a ``schema``, or the service's ``ValidationError`` naming every wrong field.

    For callers that build an input from what someone typed (a form, a command line); a
    schema made directly raises pydantic's own error, which ``field_errors`` turns into this.
    """
    try:
        return schema.model_validate(values)
    except pydantic.ValidationError as error:
        raise field_errors(error, record) from error


def _admits_none(field: Any) -> bool:
    annotation = field.annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return type(None) in typing.get_args(annotation)
    return annotation is None or annotation is type(None)


def _is_empty(value: Any) -> bool:
    return value == "" or (type(value) is int and value == 0)


class Problems:
    """The field errors found so far; ``raise_if_any`` reports them all at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def has(self, field: str) -> bool:
        return any(error.field == field for error in self.errors)

    def checked(self, schema: type[Schema], values: Mapping[str, Any]) -> Schema | None:
        """``values`` checked by the rules of ``schema``; None, with their problems added here,
        when they break one (for a service that takes plain arguments rather than a schema)."""
        try:
            return schema.model_validate(values)
        except pydantic.ValidationError as error:
            self.errors += field_errors(error).errors
            return None

    def changes(self, data: pydantic.BaseModel, base: type[pydantic.BaseModel]) -> dict[str, Any]:
        """The fields an update sets, ready to store under the rules of ``base``.

        ``data`` checked each value it was given; None is left to mean "clear": a text or a
        count falls back to the base's "" or 0, a field the base cannot be without is an error.
        """
        values = data.model_dump(exclude_unset=True)
        for name, value in values.items():
            field = base.model_fields.get(name)
            if value is not None or field is None or _admits_none(field):
                continue
            default = field.get_default(call_default_factory=True)
            if not field.is_required() and _is_empty(default):
                values[name] = default
            else:
                self.add(name, _("required"))
        return values

    def reference(
        self, session: Session, field: str, table: Any, record_id: int | None, what: str
    ) -> Any:
        """The row ``record_id`` of ``table``, or None with an error when it does not exist."""
        if record_id is None:
            return None
        row = session.get(table, record_id)
        if row is None:
            self.add(field, _("no {what} with number {id}").format(what=what, id=record_id))
        return row

    def raise_if_any(self, record: str = "") -> None:
        if self.errors:
            raise ValidationError(self.errors, record)
