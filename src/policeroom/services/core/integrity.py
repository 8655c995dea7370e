"""What the database refuses, said as the service's own errors.

Services check their rules before they write, so a unique constraint only fires when another
desk saved the same code or ID number between one desk's check and its write (PostgreSQL's
READ COMMITTED lets two checks pass at once) or when a caller skipped the check. Either way
the user sees the field's message, never the driver's text, which on PostgreSQL repeats the
refused value (an ID number) in full. A busy database (SQLite's lock held past the busy
timeout; PostgreSQL's deadlock, serialization failure or lock timeout) becomes ``DatabaseBusy``:
nothing was written and the same action may simply be tried again.

The mapping is built once from the tables' own unique constraints and indexes, so a new
constraint is covered without being listed here; only its wording is chosen below.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from sqlmodel import SQLModel

from policeroom.i18n import _
from policeroom.services.core.errors import DatabaseBusy, FieldError, ValidationError

# PostgreSQL SQLSTATEs that mean "someone else holds what this needs; try again".
BUSY_STATES = frozenset({"40001", "40P01", "55P03"})
UNIQUE_STATE = "23505"


@dataclass(frozen=True)
class UniqueRule:
    """One unique constraint: its table, its columns and the input field it is about."""

    table: str
    columns: tuple[str, ...]
    field: str

    def message(self) -> str:
        wording = _WORDS.get((self.table, self.field))
        return wording() if wording else _("already used by another record")


# How each refusal reads (a function so that the user's language is chosen when it is said).
_WORDS = {
    ("resident", "id_number"): lambda: _("this ID number is already recorded for another resident"),
    ("grid", "code"): lambda: _("this grid code is already used"),
    ("staff", "code"): lambda: _("this staff number is already used"),
    ("dispute", "number"): lambda: _("this dispute number is already used"),
    ("app_user", "login"): lambda: _("this login is already taken"),
    ("household", "code"): lambda: _("this household code is already used"),
    ("police_room", "code"): lambda: _("this police room code is already used"),
    ("police_station", "code"): lambda: _("this police station code is already used"),
    ("branch", "code"): lambda: _("this branch code is already used"),
    ("post", "code"): lambda: _("this post code is already used"),
    ("response_tier", "code"): lambda: _("this tier code is already used"),
    ("key_unit", "name"): lambda: _("this grid already has a key unit of that name"),
    ("target", "period_start"): lambda: _("this grid already has targets for that period"),
    ("sweep_report", "week_start"): lambda: _("this police room already has a sweep that week"),
}


@cache
def unique_rules() -> dict[str, UniqueRule]:
    """Every unique constraint and index of the schema, by name and by ``table.columns``."""
    rules: dict[str, UniqueRule] = {}
    for table in SQLModel.metadata.sorted_tables:
        groups: list[tuple[str | None, tuple[str, ...]]] = []
        for constraint in table.constraints:
            if isinstance(constraint, sa.UniqueConstraint):
                groups.append((_name(constraint.name), tuple(c.name for c in constraint.columns)))
        for index in table.indexes:
            if index.unique:
                groups.append((_name(index.name), tuple(c.name for c in index.columns)))
        for name, columns in groups:
            rule = UniqueRule(table.name, columns, columns[-1])
            rules[name or f"uq_{table.name}_{'_'.join(columns)}"] = rule
            rules[_sqlite_key(table.name, columns)] = rule
    return rules


def _name(name: object) -> str | None:
    return str(name) if isinstance(name, str) and name else None


def _sqlite_key(table: str, columns: tuple[str, ...]) -> str:
    # SQLite says: "UNIQUE constraint failed: resident.id_number" (", "-joined for several).
    return ", ".join(f"{table}.{column}" for column in columns)


def _sqlstate(error: sa.exc.DBAPIError) -> str | None:
    state = getattr(error.orig, "sqlstate", None)
    return str(state) if state else None


def refused_field(error: sa.exc.IntegrityError) -> UniqueRule | None:
    """The unique rule an ``IntegrityError`` broke, or None when it is another kind."""
    original = error.orig
    if isinstance(original, sqlite3.IntegrityError):
        text = str(original)
        prefix = "UNIQUE constraint failed: "
        if text.startswith(prefix):
            return unique_rules().get(text[len(prefix) :].strip())
        return None
    if _sqlstate(error) == UNIQUE_STATE:
        diagnosis = getattr(original, "diag", None)
        name = getattr(diagnosis, "constraint_name", None)
        return unique_rules().get(str(name)) if name else None
    return None


def is_busy(error: sa.exc.DBAPIError) -> bool:
    """True when the database was only busy: nothing was written, a retry may succeed."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        code = getattr(original, "sqlite_errorcode", None)
        return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(original)
    return _sqlstate(error) in BUSY_STATES


def busy_error() -> DatabaseBusy:
    return DatabaseBusy(_("the database is busy with another desk's work; try again"))


@contextmanager
def database_refusals(record: str = "") -> Iterator[None]:
    """Turn a unique violation into its field's ``ValidationError`` and a busy database into
    ``DatabaseBusy``; anything else passes through unchanged."""
    try:
        yield
    except sa.exc.IntegrityError as error:
        rule = refused_field(error)
        if rule is None:
            raise
        raise ValidationError([FieldError(rule.field, rule.message())], record) from None
    except sa.exc.DBAPIError as error:
        if is_busy(error):
            raise busy_error() from None
        raise
