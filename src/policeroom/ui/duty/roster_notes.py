"""What the roster tells the user when one of its screens has saved: the notifications."""

from __future__ import annotations

from collections.abc import Sequence

from policeroom.i18n import _, ngettext
from policeroom.services.duty.coverage import Finding
from policeroom.services.duty.patterns import GenerateResult
from policeroom.services.duty.shifts import LeaveResult, SavedShift
from policeroom.services.duty.swaps import SwapResult
from policeroom.services.duty.views import Printed
from policeroom.ui.duty.labels import day_text, span_text


def _with_warnings(text: str, warnings: Sequence[Finding]) -> str:
    return "\n".join([text, *(f"! {finding.message}" for finding in warnings)])


def shift_saved(saved: SavedShift) -> str:
    shift = saved.shift
    text = _("Saved: {span} {post} {name}").format(
        span=span_text(shift.starts_at, shift.ends_at),
        post=shift.post_name,
        name=shift.staff_name or _("vacant"),
    )
    return _with_warnings(text, saved.warnings)


def leave_saved(result: LeaveResult) -> str:
    leave = result.leave
    text = _("{name} on leave {first} to {last}.").format(
        name=leave.staff_name, first=day_text(leave.starts_on), last=day_text(leave.ends_on)
    )
    if result.vacated:
        text += " " + ngettext(
            "{n} shift is now vacant: a gap until someone takes it.",
            "{n} shifts are now vacant: gaps until someone takes them.",
            len(result.vacated),
        ).format(n=len(result.vacated))
    return text


def swap_asked(result: SwapResult) -> str:
    text = _("Swap asked: it waits for {name} to agree (w).").format(
        name=result.swap.shift_b.staff_name
    )
    return _with_warnings(text, result.warnings)


def generated(result: GenerateResult) -> str:
    text = _("{created} shifts made; {existing} were there already.").format(
        created=result.created, existing=result.existing
    )
    if result.vacant_for_leave:
        text += " " + _("{n} left vacant for leave.").format(n=result.vacant_for_leave)
    return text


def printed(result: Printed) -> str:
    return ngettext(
        "Written ({n} police room): {path}",
        "Written ({n} police rooms): {path}",
        result.rooms,
    ).format(path=result.path, n=result.rooms)
