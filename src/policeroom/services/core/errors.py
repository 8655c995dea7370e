"""Typed errors of the service layer; every message names the field or record it is about."""

from __future__ import annotations

from dataclasses import dataclass

from policeroom.services.core.redact import redact


class ServiceError(Exception):
    """Base of every error a service raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field: ``field`` is the schema's attribute name."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(ServiceError):
    """Input is wrong; ``errors`` lists every field still wrong, not only the first."""

    def __init__(self, errors: list[FieldError] | FieldError, record: str = "") -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        self.record = record
        prefix = f"{record}: " if record else ""
        # The message goes to logs and stderr too: no full ID number or phone in it.
        super().__init__(redact(prefix + "; ".join(str(error) for error in self.errors)))

    @classmethod
    def single(cls, field: str, message: str, record: str = "") -> ValidationError:
        return cls([FieldError(field, message)], record)

    def for_field(self, field: str) -> list[str]:
        return [error.message for error in self.errors if error.field == field]


class NotFound(ServiceError):
    """The record does not exist (or is outside what the user may see)."""


class StaleRecord(ServiceError):
    """Someone else saved this record since it was read (optimistic locking)."""


class DatabaseBusy(ServiceError):
    """Another writer held the database past the wait; nothing was written, and the same
    action may be tried again (creates carry a request key, so a retry never doubles)."""

    retryable = True


class Forbidden(ServiceError):
    """The user's role does not allow this action."""


class TransitionError(ValidationError):
    """A workflow move that the rules do not allow (e.g. resolving with no mediation)."""
