"""What a cell of the week says in the width it gets, and the cell under the cursor in words.

At 200 columns each shift is its times and the full name, with the gap's hours and who is
missing; at 80 columns names only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from policeroom import labels
from policeroom.formatting import day_month, weekday_and_day
from policeroom.i18n import _
from policeroom.models.roster import ShiftStatus
from policeroom.services.duty.coverage import FindingKind
from policeroom.services.duty.roster import CellShift, WeekCell, WeekRow, WeekView
from policeroom.ui.duty.week_layout import NAME_CELLS, GridLayout, Mode, fit, short_label

GAP_KINDS = frozenset({FindingKind.GAP, FindingKind.TIER_UNCOVERED, FindingKind.PAIRING})
PERSON_MARKS = frozenset(
    {FindingKind.DOUBLE_BOOKING, FindingKind.ON_LEAVE, FindingKind.INACTIVE, FindingKind.REST}
)


def is_night(shift: CellShift) -> bool:
    """Starts in the evening or crosses midnight: drawn as a night shift."""
    crosses = shift.ends_at.date() > shift.starts_at.date() and shift.ends_at.time() != time(0)
    return shift.starts_at.hour >= 18 or shift.starts_at.hour < 6 or crosses


def day_label(day: date, mode: Mode) -> str:
    if mode == "full":
        return day_month(day)
    if mode == "names":
        return weekday_and_day(day)
    return f"{day.day}"


def _clock(moment: datetime, day: date) -> str:
    if moment >= datetime.combine(day + timedelta(days=1), time(0)):
        return "24"
    return f"{moment:%H}" if moment.minute == 0 else f"{moment:%H:%M}"


def missing_text(cell: WeekCell) -> str:
    """``aux×1`` for each kind the cell's gaps are short of."""
    counts: dict[str, int] = {}
    for finding in cell.findings:
        for kind, count in finding.missing:
            label = labels.short_label(kind)
            counts[label] = max(counts.get(label, 0), count)
    return " ".join(f"{label}×{count}" for label, count in counts.items())


def full_words(shift: CellShift, who: str, width: int) -> str:
    """Times and name in ``width`` cells: the times give way before the name does (the
    detail line spells them out), as a desk officer looks for who first. The choice is made
    for a three-character name, so that a column does not mix ``08:30`` and ``0830``."""
    start, end = shift.starts_at, shift.ends_at
    for times in (shift.times, f"{start:%H%M}-{end:%H%M}", f"{start:%H:%M}"):
        if cell_len(times) + 1 + max(NAME_CELLS, cell_len(who)) <= width:
            return f"{times} {who}"
    return who


@dataclass(frozen=True)
class CellStyles:
    """Rich styles read from the grid's component classes (theme variables in roster.tcss)."""

    gap: Style
    warn: Style
    leave: Style
    night: Style
    vacant: Style
    swap: Style


def cell_lines(
    view: WeekView,
    cell: WeekCell,
    layout: GridLayout,
    styles: CellStyles,
    swapping: frozenset[int] = frozenset(),
    prefixes: Sequence[str] = (),
) -> list[Text]:
    """What a cell shows, one ``Text`` per line, each at most the day's width."""
    width = layout.content
    lines: list[Text] = []
    crop = layout.mode == "tight"
    if cell.on_leave:
        lines.append(Text(fit(_("leave"), width, crop=crop), style=styles.leave))
    for shift in cell.shifts:
        if view.by == "staff":
            who = short_label(shift.post_name, prefixes)
        else:
            who = shift.staff_name or "—"
        mark = "⇄" if shift.shift_id in swapping else ""
        words = full_words(shift, who, width - cell_len(mark)) if layout.mode == "full" else who
        # The swap mark stays whatever the width: the name gives way to it.
        words = fit(words, width - cell_len(mark), crop=crop) + mark
        style = Style()
        if shift.vacant:
            style = styles.vacant
        elif is_night(shift):
            style = styles.night
        if shift.shift_id in swapping:
            style = style + styles.swap
        lines.append(Text(fit(words, width, crop=crop), style=style))
    gaps = [f for f in cell.findings if f.kind in GAP_KINDS]
    # A person's cell is marked for what concerns that day's duty; the grid-officer check and
    # the weekly hours on a day off are left to the detail line and the checks list.
    warnings = [
        f
        for f in cell.findings
        if f.kind in PERSON_MARKS or (f.kind == FindingKind.WEEK_HOURS and cell.shifts)
    ]
    if gaps:
        if layout.mode == "full":
            day_start = datetime.combine(cell.day, time(0))
            for finding in gaps:
                if finding.starts_at is None or finding.ends_at is None:
                    continue
                start = max(finding.starts_at, day_start)
                end = min(finding.ends_at, day_start + timedelta(days=1))
                span = f"{_clock(start, cell.day)}-{_clock(end, cell.day)}"
                short = missing_text(cell) if finding.missing else _("alone")
                words = f"! {span} {short}"
                if cell_len(words) > width:  # what is short matters more than the colons
                    words = f"!{span.replace(':', '')} {short}"
                if cell_len(words) > width:  # and than the times (the detail line has them)
                    words = f"! {short}"
                lines.append(Text(fit(words, width), style=styles.gap))
        else:
            count = max((n for f in gaps for _kind, n in f.missing), default=1)
            words = _("!short {n}").format(n=count) if layout.mode == "names" else ""
            if not words or cell_len(words) > width:
                words = f"!{count}"  # the count matters more than the word
            lines.append(Text(fit(words, width, crop=True), style=styles.gap))
    elif warnings and view.by == "staff":
        lines.append(Text(fit("!", width, crop=True), style=styles.warn))
    if not lines:
        lines.append(Text(""))
    return lines


def cell_detail(view: WeekView, row: WeekRow, cell: WeekCell) -> Text:
    """The cell under the cursor in words: day, post or person, every shift in full, its gaps."""
    text = Text(f"{day_month(cell.day)} ", style="bold")
    text.append(Text(row.label))
    if cell.on_leave:
        text.append(" · ")
        text.append(_("on leave"))
    for shift in cell.shifts:
        text.append(" · ")
        text.append(f"{shift.starts_at:%H:%M}–{end_text(shift.starts_at, shift.ends_at)} ")
        who = shift.post_name if view.by == "staff" else (shift.staff_name or _("vacant"))
        text.append(Text(who))
        if shift.staff_kind is not None and view.by == "post":
            text.append(f" ({labels.label(shift.staff_kind)})", style="dim")
        if shift.status == ShiftStatus.CHANGED:
            text.append(" *", style="dim")
    for finding in cell.findings:
        text.append("\n")
        text.append(Text(f"! {finding.message}"))
    return text


def end_text(starts_at: datetime, ends_at: datetime) -> str:
    """``08:30``; with its day when the clock alone would read as the start or before it
    (``08:00–5/2 08:00`` for a whole day, not ``08:00–08:00``)."""
    if ends_at.date() > starts_at.date() and ends_at.time() >= starts_at.time():
        return f"{ends_at.month}/{ends_at.day} {ends_at:%H:%M}"
    return f"{ends_at:%H:%M}"
