"""Keep ID numbers and phone numbers out of error messages, log lines and tracebacks.

A database error can quote a whole record (PostgreSQL's "DETAIL: Failing row contains …");
whatever reaches stderr or a log goes through ``redact`` first. Long digit runs are masked
but their last four digits are kept, so an officer can still tell which record is meant.
"""

from __future__ import annotations

import io
import logging
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

# An 18-character resident ID (17 digits and a digit or X) and any other run of 7 or more
# digits (old 15-digit IDs, mobiles, the number part of a landline). Dates and counts have
# shorter runs and stay readable.
_SENSITIVE = re.compile(r"(?<![0-9])(?:\d{17}[\dXx]|\d{7,})(?![0-9])")
KEPT = 4


def _mask(match: re.Match[str]) -> str:
    text = match.group(0)
    return "*" * (len(text) - KEPT) + text[-KEPT:]


def redact(text: str) -> str:
    """``text`` with every ID number and phone number masked but for its last four."""
    return _SENSITIVE.sub(_mask, text)


class RedactingFilter(logging.Filter):
    """Masks ID numbers and phones in a log record: its message, the traceback of its
    exception and its stack, whatever handler then writes it (stderr, a file, syslog)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            # The handler's formatter would render it later, unmasked; render it now.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _Stderr(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (the desk program captures it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 - logging's own rule: a failing handler is reported
            self.handleError(record)


LOG_FORMAT = "policeroom: %(levelname)s %(name)s: %(message)s"


@contextmanager
def log_redaction() -> Iterator[None]:
    """While it lasts, warnings and errors of every logger go to stderr, and every handler of
    the root logger (that one, and any an operator configured: a log file) writes them
    masked. What it added is taken away afterwards (a test calls the command line often)."""
    root = logging.getLogger()
    added: list[tuple[logging.Handler, logging.Filter]] = []
    stderr: _Stderr | None = None
    if not any(isinstance(handler, _Stderr) for handler in root.handlers):
        stderr = _Stderr(logging.WARNING)
        stderr.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(stderr)
    for handler in root.handlers:
        if not any(isinstance(found, RedactingFilter) for found in handler.filters):
            masking = RedactingFilter()
            handler.addFilter(masking)
            added.append((handler, masking))
    try:
        yield
    finally:
        for masked, given in added:
            masked.removeFilter(given)
        if stderr is not None:
            root.removeHandler(stderr)


class RedactingStream(io.StringIO):
    """A text stream that masks what it is given and passes it on to the current
    ``sys.stderr`` (keeping nothing): where the desk program prints its crash report."""

    def write(self, text: str) -> int:
        sys.stderr.write(redact(text))
        return len(text)

    def flush(self) -> None:
        sys.stderr.flush()


BIRTH_DATE_HIDDEN = "****-**-**"


def _masked_id(text: str) -> str:
    # the region (first six) and the last four stay, as on a masked card
    if len(text) >= 10:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    return redact(text)


def _masked_phone(text: str) -> str:
    if len(text) >= 8:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return redact(text)


def mask_value(key: str, value: Any) -> Any:
    """``value`` of the field ``key`` as an audit row or an export may keep it: ID numbers and
    phones masked as on a card, a birth date (digits of the ID number) hidden, numbers in
    free text masked by ``redact``; nested lists and mappings likewise."""
    if isinstance(value, Mapping):
        return {k: mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(key, item) for item in value]
    if value is None or value == "":
        return value
    if "id_number" in key:
        return _masked_id(str(value))
    if "phone" in key:
        return _masked_phone(str(value))
    if key == "birth_date":
        return BIRTH_DATE_HIDDEN
    if isinstance(value, str):
        return redact(value)
    return value


def mask_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of ``values`` through ``mask_value``; the reversed search keys of numbers
    (``phone_rev``, ``id_rev``) are left out, as their ends would show other digits."""
    return {
        key: mask_value(key, value) for key, value in values.items() if not key.endswith("_rev")
    }
