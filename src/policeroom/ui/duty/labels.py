"""Words and small readings shared by the roster's screens: a shift or a person on one line, and
clock times typed as ``8``, ``0830`` or ``08:30``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from rich.cells import cell_len
from rich.text import Text

from policeroom.formatting import day_month
from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.org import StaffKind
from policeroom.services.duty.shifts import ShiftRow
from policeroom.services.org.staff import StaffRow

_CLOCK = re.compile(r"^(\d{1,2})(?::?(\d{2}))?(?::(\d{2}))?$")
_OFFSET = re.compile(r"^\+(\d{1,3})(?::(\d{2}))?$")
STAFF_ORDER = {
    StaffKind.POLICE: 0,
    StaffKind.AUXILIARY: 1,
    StaffKind.VOLUNTEER: 2,
    StaffKind.GRID_WORKER: 3,
}


def day_text(day: date) -> str:
    """``Mon 5/2``."""
    return day_month(day)


def span_text(starts_at: datetime, ends_at: datetime) -> str:
    """``Mon 5/2 20:00–08:00``."""
    return f"{day_text(starts_at.date())} {starts_at:%H:%M}–{ends_at:%H:%M}"


def shift_text(shift: ShiftRow, *, with_person: bool = True) -> Text:
    """``Mon 5/2 20:00–08:00 夜间巡逻 李强`` (user data kept as plain text, never markup)."""
    text = Text(span_text(shift.starts_at, shift.ends_at) + " ")
    text.append(shift.post_name)
    if with_person:
        text.append(" ")
        text.append(shift.staff_name or _("vacant"), style="bold")
    return text


def staff_label(row: StaffRow, name_width: int = 0, kind_width: int = 0) -> str:
    """``卢永强  auxiliary  F0012``, the name and kind padded to the widths given (cells)."""
    name = row.name + " " * max(0, name_width - cell_len(row.name))
    kind = label(row.kind)
    kind += " " * max(0, kind_width - cell_len(kind))
    return f"{name}  {kind}  {row.code}"


def staff_options(rows: Sequence[StaffRow]) -> list[tuple[str, int]]:
    """A person list's options with names, kinds and codes in columns (a hanzi is two cells)."""
    name_width = max((cell_len(row.name) for row in rows), default=0)
    kind_width = max((cell_len(label(row.kind)) for row in rows), default=0)
    return [(staff_label(row, name_width, kind_width), row.id) for row in rows]


def staff_sorted(rows: list[StaffRow]) -> list[StaffRow]:
    return sorted(rows, key=lambda r: (STAFF_ORDER.get(r.kind, 9), r.code))


def clock_value(raw: str) -> time | None:
    """``8`` → 08:00, ``0830`` / ``8:30`` → 08:30, ``8:30:15`` with seconds; None if not a time."""
    match = _CLOCK.match((raw or "").strip())
    if match is None:
        return None
    hour, minute, second = (int(part) if part else 0 for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def clock_problem(raw: str) -> str:
    """Why ``raw`` is not a clock time ("" when it is one)."""
    if not (raw or "").strip():
        return _("a time is needed")
    if clock_value(raw) is None:
        return _("write a time as 08:30 (or 8, 0830)")
    return ""


def moment_after(raw: str, base: datetime) -> datetime | None:
    """A moment typed for an event after ``base``: a clock time (the next one at or after
    ``base``), or ``+M`` / ``+M:SS`` minutes after it. None when blank or unreadable."""
    text = (raw or "").strip()
    offset = _OFFSET.match(text)
    if offset:
        minutes, seconds = int(offset.group(1)), int(offset.group(2) or 0)
        return base + timedelta(minutes=minutes, seconds=seconds)
    clock = clock_value(text)
    if clock is None:
        return None
    moment = datetime.combine(base.date(), clock)
    return moment if moment >= base else moment + timedelta(days=1)


def clock_text(value: time) -> str:
    return f"{value:%H:%M}" if value.second == 0 else f"{value:%H:%M:%S}"


def end_after(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    """A stretch from ``starts`` on ``day`` to the next ``ends`` (the next day when earlier)."""
    start = datetime.combine(day, starts)
    end = datetime.combine(day, ends)
    if end <= start:
        end += timedelta(days=1)
    return start, end
