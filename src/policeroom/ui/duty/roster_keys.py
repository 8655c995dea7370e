"""The roster's keys, in the order the footer, the help screen and the palette show them.

They live on two widgets. The pane holds the keys of the week: changing the cell under the
cursor and moving around. The week inside it holds the keys of the room's lists and tools,
which act on the week as read. The footer lists keys from the focused widget outwards and
the help screen from the pane inwards; only hidden keys sit on the inner widget, so both
show every key in this order.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding, BindingType

from policeroom.i18n import _

# ``[`` and ``]`` share one place in the footer, and ``<`` and ``>``.
WEEK_KEYS = Binding.Group(_("Week"), compact=False)
DAY_KEYS = Binding.Group(_("Days"), compact=False)


def _binding(key: str, action: str, description: str, tooltip: str, id: str, **kw: Any) -> Binding:
    return Binding(key, action, description, tooltip=tooltip, id=f"roster.{id}", **kw)


PANE_BINDINGS: list[BindingType] = [
    # The footer at 80 columns shows the first few keys: the edits come first, as the
    # moving-around keys are also in the help screen and the palette.
    _binding("e", "edit_shift", _("Edit"), _("Change the shift: person or times"), "edit"),
    _binding("n", "new_shift", _("New shift"), _("Add a shift on this day"), "new", show=False),
    _binding("f", "fill_gap", _("Fill gap"), _("Put someone on the gap of this cell"), "fill"),
    _binding("l", "leave", _("Time off"), _("Put an officer on leave"), "leave"),
    _binding("s", "swap", _("Swap"), _("Ask to swap this shift with someone else's"), "swap"),
    _binding(
        "left_square_bracket",
        "week(-1)",
        _("Week before"),
        _("Show the week before"),
        "previous-week",
        group=WEEK_KEYS,
    ),
    _binding(
        "right_square_bracket",
        "week(1)",
        _("Week after"),
        _("Show the week after"),
        "next-week",
        group=WEEK_KEYS,
    ),
    _binding(
        "ctrl+left",
        "week(-1)",
        _("Week before"),
        _("Show the week before"),
        "previous-week-arrow",
        show=False,
    ),
    _binding(
        "ctrl+right",
        "week(1)",
        _("Week after"),
        _("Show the week after"),
        "next-week-arrow",
        show=False,
    ),
    _binding("t", "this_week", _("This week"), _("Back to this week"), "today"),
    _binding("r", "pick_room", _("Room"), _("Show another police room"), "room"),
    _binding("v", "toggle_by", _("Posts/people"), _("Rows by post or by person"), "by", show=False),
    _binding("o", "toggle_now", _("On duty"), _("Who is on duty now, with phone numbers"), "now"),
    # A week narrower than seven whole days shows fewer days; these move them (greyed
    # while all seven show, so after the keys that always work).
    _binding(
        "less_than_sign",
        "days(-1)",
        _("Earlier days"),
        _("Show a day earlier in the week (when fewer than seven fit)"),
        "earlier-days",
        group=DAY_KEYS,
    ),
    _binding(
        "greater_than_sign",
        "days(1)",
        _("Later days"),
        _("Show a day later in the week (when fewer than seven fit)"),
        "later-days",
        group=DAY_KEYS,
    ),
    _binding("z", "zoom", _("Zoom"), _("Give the roster the whole screen, or back"), "zoom"),
]
"""The week's keys, on ``RosterPane``."""

ROOM_BINDINGS: list[BindingType] = [
    _binding("w", "swaps", _("Swaps"), _("Swaps waiting for an answer"), "swaps", show=False),
    _binding(
        "a", "alerts", _("Alerts"), _("Under strength in the next 7 days"), "alerts", show=False
    ),
    _binding("c", "checks", _("Checks"), _("Every check of the week shown"), "checks", show=False),
    _binding(
        "g",
        "generate",
        _("Generate"),
        _("Make shifts from the patterns for a period"),
        "generate",
        show=False,
    ),
    _binding(
        "P",
        "patterns",
        _("Patterns"),
        _("Posts and their recurring shifts"),
        "patterns",
        show=False,
    ),
    # Not "5": outside a text field 1 to 5 choose the area (statistics is 5), on every pane.
    _binding(
        "R",
        "response_log",
        _("1-3-5 log"),
        _("Calls and the 1-3-5 response times"),
        "response",
        show=False,
    ),
    _binding(
        "p",
        "print",
        _("Print"),
        _("Write the week to a text, HTML or XLSX file"),
        "print",
        show=False,
    ),
]
"""The room's lists and tools, on ``RosterWeek``: all hidden from the footer."""
