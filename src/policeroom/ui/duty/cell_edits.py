"""What changing the cell under the cursor starts from: the shift form's draft for editing a
shift, adding one or filling a gap, and the shifts a swap may give away."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.services.duty.coverage import Finding, FindingKind
from policeroom.services.duty.roster import CellShift, WeekBy, WeekCell, WeekRow
from policeroom.ui.duty.labels import day_text
from policeroom.ui.duty.shift_form import ShiftDraft


def room_of_row(row: WeekRow | None, shown: int | None) -> int | None:
    """The room a row's shifts belong to: its own in the all-rooms week, else the one shown."""
    if row is not None and row.police_room_id is not None:
        return row.police_room_id
    return shown


def edit_draft(shift: CellShift, room_id: int | None) -> ShiftDraft:
    """A shift as it is, to change its person, times or notes."""
    return ShiftDraft(
        day=shift.starts_at.date(),
        starts=shift.starts_at.time(),
        ends=shift.ends_at.time(),
        room_id=room_id,
        shift=shift,
    )


def new_draft(row: WeekRow, cell: WeekCell, by: WeekBy, room_id: int | None) -> ShiftDraft:
    """A day shift on the cell's day, for the row's post (or person)."""
    by_post = by == "post"
    return ShiftDraft(
        day=cell.day,
        starts=time(8),
        ends=time(20),
        room_id=room_id,
        post_id=row.id if by_post else None,
        staff_id=None if by_post else row.id,
        title=_("New shift: {label} {day}").format(label=row.label, day=day_text(cell.day)),
    )


def gap_draft(
    row: WeekRow, cell: WeekCell, room_id: int | None, vacant: CellShift | None = None
) -> ShiftDraft:
    """A person for the ``vacant`` shift of the cell; with none, a new shift over the gap."""
    gap = first_gap(cell)
    title = _("Fill the gap: {post} {day}").format(post=row.label, day=day_text(cell.day))
    short = ""
    if gap is not None and gap.missing:
        short = _("short of {who}").format(
            who=", ".join(f"{label(kind)}×{n}" for kind, n in gap.missing)
        )
    if vacant is not None:
        return ShiftDraft(
            day=vacant.starts_at.date(),
            starts=vacant.starts_at.time(),
            ends=vacant.ends_at.time(),
            room_id=room_id,
            shift=vacant,
            title=title,
            hint=short,
        )
    start, end = gap_span(cell, gap)
    return ShiftDraft(
        day=start.date(),
        starts=start.time(),
        ends=end.time(),
        room_id=room_id,
        post_id=row.id,
        title=title,
        hint=short,
    )


def first_gap(cell: WeekCell) -> Finding | None:
    gaps = [f for f in cell.findings if f.kind in (FindingKind.GAP, FindingKind.TIER_UNCOVERED)]
    return gaps[0] if gaps else None


def gap_span(cell: WeekCell, gap: Finding | None) -> tuple[datetime, datetime]:
    """The part of the gap starting on the cell's day, at most 24 hours."""
    day_start = datetime.combine(cell.day, time(0))
    if gap is None or gap.starts_at is None or gap.ends_at is None:
        return day_start + timedelta(hours=8), day_start + timedelta(hours=20)
    start = max(gap.starts_at, day_start)
    end = min(gap.ends_at, start + timedelta(hours=24))
    return start, end


def swappable(cell: WeekCell | None, now: datetime) -> list[CellShift]:
    """The cell's shifts someone holds that have not begun: what a swap may give away."""
    if cell is None:
        return []
    return [shift for shift in cell.shifts if not shift.vacant and shift.starts_at > now]
