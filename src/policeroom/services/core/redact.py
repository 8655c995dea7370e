"""Keep ID numbers and phone numbers out of error messages, log lines and tracebacks.

A database error can quote a whole record (PostgreSQL's "DETAIL: Failing row contains …");
whatever reaches stderr or a log goes through ``redact`` first. Long digit runs are masked
but their last four digits are kept, so an officer can still tell which record is meant.
"""

from __future__ import annotations

import re

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
