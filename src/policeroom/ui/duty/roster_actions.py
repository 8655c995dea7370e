"""What the roster pane's keys open, and what it does with the answer: each function takes the
pane, opens a screen over it, and when the screen closes tells what happened and reads again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text

from policeroom.i18n import _, ngettext
from policeroom.labels import label
from policeroom.services.duty.coverage import Finding, FindingKind
from policeroom.services.duty.roster import CellShift, WeekCell
from policeroom.ui.duty.generate_form import GenerateForm
from policeroom.ui.duty.labels import day_text, span_text
from policeroom.ui.duty.leave_form import LeaveDraft, LeaveForm
from policeroom.ui.duty.response_log import ResponseLogScreen
from policeroom.ui.duty.roster_checks import RosterChecksScreen, finding_day
from policeroom.ui.duty.roster_choice import Choice, ChoiceScreen
from policeroom.ui.duty.roster_patterns import PatternsScreen
from policeroom.ui.duty.roster_print import PrintForm
from policeroom.ui.duty.shift_form import ShiftDraft, ShiftForm
from policeroom.ui.duty.swap_form import SwapForm
from policeroom.ui.duty.swap_list import SwapsScreen

if TYPE_CHECKING:
    from policeroom.services.duty.patterns import GenerateResult
    from policeroom.services.duty.shifts import LeaveResult, SavedShift
    from policeroom.services.duty.swaps import SwapResult
    from policeroom.services.duty.views import Printed
    from policeroom.ui.duty.roster_pane import RosterPane


@dataclass(frozen=True)
class RoomPick:
    """A room chosen in the picker (None: every room)."""

    room_id: int | None


# --- rooms ------------------------------------------------------------------------------


def pick_room(pane: RosterPane) -> None:
    found = pane.last_read
    if found is None:
        return
    choices: list[Choice[RoomPick]] = []
    if pane.ctx.actor.police_room_id is None:
        choices.append(Choice(Text(_("All police rooms")), RoomPick(None), "all"))
    for room in found.rooms:
        label = Text(f"{room.code} ", style="dim")
        label.append(room.name)
        label.append(f"  {room.station_name}", style="dim")
        choices.append(Choice(label, RoomPick(room.id), f"{room.code} {room.name}"))
    current = next((i for i, c in enumerate(choices) if c.value.room_id == pane.room_id), 0)

    def chosen(pick: RoomPick | None) -> None:
        if pick is not None:
            pane.show_room(pick.room_id)

    pane.app.push_screen(ChoiceScreen(_("Police room"), choices, highlight=current), chosen)


# --- shifts -----------------------------------------------------------------------------


def _shift_label(shift: CellShift) -> Text:
    text = Text(span_text(shift.starts_at, shift.ends_at) + " ")
    text.append(shift.post_name)
    text.append(" ")
    text.append(shift.staff_name or _("vacant"), style="bold")
    return text


def _one_of(
    pane: RosterPane, title: str, shifts: list[CellShift], then: Callable[[CellShift], None]
) -> None:
    """``then`` the only shift, or the one chosen from a list."""
    if len(shifts) == 1:
        then(shifts[0])
        return
    if not shifts:
        return

    def chosen(shift: CellShift | None) -> None:
        if shift is not None:
            then(shift)

    choices = [Choice(_shift_label(shift), shift) for shift in shifts]
    pane.app.push_screen(ChoiceScreen(title, choices), chosen)


def _room_of(pane: RosterPane) -> int | None:
    row = pane.row
    if row is not None and row.police_room_id is not None:
        return row.police_room_id
    return pane.room_id


def _open_shift(pane: RosterPane, draft: ShiftDraft) -> None:
    pane.app.push_screen(ShiftForm(pane.ctx, draft), lambda saved: _shift_saved(pane, saved))


def _shift_saved(pane: RosterPane, saved: SavedShift | None) -> None:
    if saved is None:
        return
    shift = saved.shift
    message = _("Saved: {span} {post} {name}").format(
        span=span_text(shift.starts_at, shift.ends_at),
        post=shift.post_name,
        name=shift.staff_name or _("vacant"),
    )
    if saved.warnings:
        message += "\n" + "\n".join(f"! {f.message}" for f in saved.warnings)
    pane.notify(message, severity="warning" if saved.warnings else "information", timeout=8)
    pane.reload()


def edit_shift(pane: RosterPane) -> None:
    cell, room = pane.cell, _room_of(pane)
    if cell is None or not cell.shifts:
        return

    def edit(shift: CellShift) -> None:
        _open_shift(
            pane,
            ShiftDraft(
                day=shift.starts_at.date(),
                starts=shift.starts_at.time(),
                ends=shift.ends_at.time(),
                room_id=room,
                shift=shift,
            ),
        )

    _one_of(pane, _("Which shift?"), list(cell.shifts), edit)


def new_shift(pane: RosterPane) -> None:
    row, cell = pane.row, pane.cell
    if row is None or cell is None:
        return
    by_post = pane.by == "post"
    _open_shift(
        pane,
        ShiftDraft(
            day=cell.day,
            starts=time(8),
            ends=time(20),
            room_id=_room_of(pane),
            post_id=row.id if by_post else None,
            staff_id=None if by_post else row.id,
            title=_("New shift: {label} {day}").format(label=row.label, day=day_text(cell.day)),
        ),
    )


def _first_gap(cell: WeekCell) -> Finding | None:
    gaps = [f for f in cell.findings if f.kind in (FindingKind.GAP, FindingKind.TIER_UNCOVERED)]
    return gaps[0] if gaps else None


def fill_gap(pane: RosterPane) -> None:
    """A vacant shift of the cell gets a person; with none, a new shift covers the gap."""
    row, cell, room = pane.row, pane.cell, _room_of(pane)
    if row is None or cell is None or not cell.gap:
        return
    gap = _first_gap(cell)
    short = ""
    if gap is not None and gap.missing:
        short = _("short of {who}").format(
            who=", ".join(f"{label(kind)}×{n}" for kind, n in gap.missing)
        )
    vacant = [shift for shift in cell.shifts if shift.vacant]
    if vacant:

        def assign(shift: CellShift) -> None:
            _open_shift(
                pane,
                ShiftDraft(
                    day=shift.starts_at.date(),
                    starts=shift.starts_at.time(),
                    ends=shift.ends_at.time(),
                    room_id=room,
                    shift=shift,
                    title=_("Fill the gap: {post} {day}").format(
                        post=row.label, day=day_text(cell.day)
                    ),
                    hint=short,
                ),
            )

        _one_of(pane, _("Which vacant shift?"), vacant, assign)
        return
    start, end = _gap_span(cell, gap)
    _open_shift(
        pane,
        ShiftDraft(
            day=start.date(),
            starts=start.time(),
            ends=end.time(),
            room_id=room,
            post_id=row.id,
            title=_("Fill the gap: {post} {day}").format(post=row.label, day=day_text(cell.day)),
            hint=short,
        ),
    )


def _gap_span(cell: WeekCell, gap: Finding | None) -> tuple[datetime, datetime]:
    """The part of the gap starting on the cell's day, at most 24 hours."""
    day_start = datetime.combine(cell.day, time(0))
    if gap is None or gap.starts_at is None or gap.ends_at is None:
        return day_start + timedelta(hours=8), day_start + timedelta(hours=20)
    start = max(gap.starts_at, day_start)
    end = min(gap.ends_at, start + timedelta(hours=24))
    return start, end


# --- leave and swaps --------------------------------------------------------------------


def put_on_leave(pane: RosterPane) -> None:
    cell = pane.cell
    day = cell.day if cell is not None else pane.ctx.clock.today()
    person = pane.row.id if pane.by == "staff" and pane.row is not None else None
    draft = LeaveDraft(room_id=_room_of(pane), day=day, staff_id=person)
    pane.app.push_screen(LeaveForm(pane.ctx, draft), lambda done: _leave_saved(pane, done))


def _leave_saved(pane: RosterPane, result: LeaveResult | None) -> None:
    if result is None:
        return
    leave = result.leave
    message = _("{name} on leave {first} to {last}.").format(
        name=leave.staff_name, first=day_text(leave.starts_on), last=day_text(leave.ends_on)
    )
    if result.vacated:
        message += " " + ngettext(
            "{n} shift is now vacant: a gap until someone takes it.",
            "{n} shifts are now vacant: gaps until someone takes them.",
            len(result.vacated),
        ).format(n=len(result.vacated))
        # The gaps are the posts': the week turns to posts, on the first shift left vacant.
        first = result.vacated[0]
        pane.jump(pane.room_id, first.starts_at.date(), first.post_id)
    else:
        pane.reload()
    pane.notify(message, severity="warning" if result.vacated else "information", timeout=8)


def request_swap(pane: RosterPane) -> None:
    cell = pane.cell
    if cell is None:
        return
    now = pane.ctx.clock.now()
    takeable = [s for s in cell.shifts if not s.vacant and s.starts_at > now]

    def ask(shift: CellShift) -> None:
        pane.app.push_screen(SwapForm(pane.ctx, shift), lambda done: _swap_asked(pane, done))

    _one_of(pane, _("Swap which shift?"), takeable, ask)


def _swap_asked(pane: RosterPane, result: SwapResult | None) -> None:
    if result is None:
        return
    swap = result.swap
    message = _("Swap asked: it waits for {name} to agree (w).").format(
        name=swap.shift_b.staff_name
    )
    if result.warnings:
        message += "\n" + "\n".join(f"! {f.message}" for f in result.warnings)
    pane.notify(message, timeout=8)
    pane.reload()


def answer_swaps(pane: RosterPane) -> None:
    pane.app.push_screen(SwapsScreen(pane.ctx, pane.room_id), lambda _changed: pane.reload())


# --- checks -----------------------------------------------------------------------------


def _room_labels(pane: RosterPane) -> dict[int, str]:
    rooms = pane.last_read.rooms if pane.last_read else ()
    return {room.id: room.name for room in rooms}


def _jump_to(pane: RosterPane, finding: Any) -> None:
    if not isinstance(finding, Finding):
        pane.reload()
        return
    day = finding_day(finding) or pane.ctx.clock.today()
    room = finding.police_room_id if finding.police_room_id is not None else pane.room_id
    if finding.post_id is not None:
        pane.jump(room, day, finding.post_id)
    elif finding.staff_id is not None:
        pane.jump(room, day, finding.staff_id, by="staff")
    else:
        pane.jump(room, day, None)


def alerts(pane: RosterPane) -> None:
    """Under strength anywhere the user looks after, in the next 7 days."""
    scope = pane.ctx.actor.police_room_id
    pane.app.push_screen(
        RosterChecksScreen(pane.ctx, scope, "alerts", room_names=_room_labels(pane)),
        lambda found: _jump_to(pane, found),
    )


def week_checks(pane: RosterPane) -> None:
    pane.app.push_screen(
        RosterChecksScreen(
            pane.ctx, pane.room_id, "week", pane.week_start, room_names=_room_labels(pane)
        ),
        lambda found: _jump_to(pane, found),
    )


# --- patterns, generating, the log, printing --------------------------------------------


def _room_name(pane: RosterPane) -> str:
    return pane.last_read.room_name if pane.last_read and pane.room_id is not None else ""


def generate(pane: RosterPane) -> None:
    def done(result: GenerateResult | None) -> None:
        if result is None:
            return
        message = _("{created} shifts made; {existing} were there already.").format(
            created=result.created, existing=result.existing
        )
        if result.vacant_for_leave:
            message += " " + _("{n} left vacant for leave.").format(n=result.vacant_for_leave)
        pane.notify(message, timeout=8)
        pane.reload()

    pane.app.push_screen(
        GenerateForm(pane.ctx, pane.room_id, _room_name(pane), pane.week_start), done
    )


def patterns(pane: RosterPane) -> None:
    pane.app.push_screen(
        PatternsScreen(pane.ctx, pane.room_id, _room_name(pane)), lambda _c: pane.reload()
    )


def response_log(pane: RosterPane) -> None:
    pane.app.push_screen(ResponseLogScreen(pane.ctx, pane.room_id, _room_name(pane)))


def print_week(pane: RosterPane) -> None:
    found = pane.last_read
    room = found.room(pane.room_id) if found else None

    def done(printed: Printed | None) -> None:
        if printed is not None:
            pane.notify(
                ngettext(
                    "Written ({n} police room): {path}",
                    "Written ({n} police rooms): {path}",
                    printed.rooms,
                ).format(path=printed.path, n=printed.rooms),
                timeout=10,
            )

    pane.app.push_screen(
        PrintForm(
            pane.ctx,
            pane.room_id,
            room.code if room else "",
            room.name if room else "",
            found.week.week_start if found else pane.week_start,
        ),
        done,
    )
