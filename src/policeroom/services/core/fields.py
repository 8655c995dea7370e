"""Collecting every wrong field of one input before anything is written."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from policeroom.i18n import _
from policeroom.services.core.errors import FieldError, ValidationError


class Problems:
    """The field errors found so far; ``raise_if_any`` reports them all at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def has(self, field: str) -> bool:
        return any(error.field == field for error in self.errors)

    def text(self, field: str, value: str | None, max_length: int, required: bool = False) -> str:
        """``value`` stripped; an error when it is missing but required, or too long."""
        cleaned = (value or "").strip()
        if required and not cleaned:
            self.add(field, _("required"))
        elif len(cleaned) > max_length:
            self.add(
                field,
                _("at most {n} characters, this has {m}").format(n=max_length, m=len(cleaned)),
            )
        return cleaned

    def count(self, field: str, value: int | None) -> int:
        """A whole number that cannot be negative (households, population, targets)."""
        if value is None:
            return 0
        if value < 0:
            self.add(field, _("cannot be negative"))
        return value

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
