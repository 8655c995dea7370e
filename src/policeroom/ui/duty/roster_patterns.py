"""The posts of a police room and their recurring shifts (班次规则): ``n`` adds one, ``e`` or
``enter`` changes the one under the cursor."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from policeroom.i18n import _, ngettext
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import views as roster_views
from policeroom.services.duty.patterns import PatternRow
from policeroom.services.duty.views import PatternLine
from policeroom.ui.duty.pattern_form import PatternForm
from policeroom.ui.duty.pattern_presets import preset_of
from policeroom.ui.duty.roster_list import REST, RosterListScreen
from policeroom.ui.duty.week_layout import short_label


def rule_text(pattern: PatternRow) -> str:
    """The preset's name when the rule is one, else the rule itself."""
    preset = preset_of(pattern.rrule, pattern.starts_at, pattern.duration_minutes)
    return _(preset.label) if preset else pattern.rrule


def hours_text(pattern: PatternRow) -> str:
    start = datetime.combine(pattern.valid_from, pattern.starts_at)
    end = start + timedelta(minutes=pattern.duration_minutes)
    return f"{start:%H:%M}–{end:%H:%M}"


class PatternsScreen(RosterListScreen[PatternLine]):
    """Every pattern of one police room (None: every room)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", _("New"), tooltip=_("Add a recurring shift"), id="patterns.new"),
        Binding(
            "e", "edit", _("Edit"), tooltip=_("Change the recurring shift"), id="patterns.edit"
        ),
    ]

    def __init__(self, ctx: ServiceContext, police_room_id: int | None, room_name: str) -> None:
        super().__init__(ctx)
        self.police_room_id = police_room_id
        # One room's posts are named without the room's name, as in the week: at 80
        # columns 东环路社区社区民警巡查 wrapped mid-word.
        self.prefixes = (room_name,) if police_room_id is not None and room_name else ()
        self.list_title = _("Recurring shifts: {room}").format(
            room=room_name or _("every police room")
        )
        self.empty_text = _("No recurring shift yet: n adds one.")

    def read(self) -> Sequence[PatternLine]:
        return roster_views.room_patterns(self.ctx, self.police_room_id)

    def columns(self) -> Sequence[tuple[str, int | None]]:
        return [
            (_("Post"), None),
            (_("Person"), None),
            (_("Hours"), None),
            (_("Valid"), None),
            (_("Rule"), REST),
        ]

    def cells(self, item: PatternLine) -> Sequence[Text]:
        pattern = item.pattern
        valid = f"{pattern.valid_from:%y-%m-%d}–"
        if pattern.valid_until is not None:
            valid += f"{pattern.valid_until:%y-%m-%d}"
        return [
            Text(short_label(item.post.name, self.prefixes)),
            Text(item.staff_name or _("(vacant)")),
            Text(hours_text(pattern)),
            Text(valid),
            Text(rule_text(pattern)),
        ]

    def status_text(self) -> Text:
        count = len(self.items)
        return Text(
            ngettext("{n} recurring shift", "{n} recurring shifts", count).format(n=count)
            + " · "
            + _("n new · e edit · g in the roster makes the shifts")
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "edit") and not self.ctx.actor.can_write:
            return None
        if action == "edit":
            return True if self.current is not None else None
        return True

    def chosen(self, item: PatternLine) -> None:
        self.action_edit()

    def action_new(self) -> None:
        current = self.current
        self.app.push_screen(
            PatternForm(
                self.ctx, self.police_room_id, post_id=current.post.id if current else None
            ),
            self._saved,
        )

    def action_edit(self) -> None:
        current = self.current
        if current is None:
            return
        self.app.push_screen(
            PatternForm(self.ctx, current.post.police_room_id, pattern=current.pattern),
            self._saved,
        )

    def _saved(self, result: PatternRow | None) -> None:
        if result is not None:
            self.changed = True
            self.notify(_("Recurring shift saved. Generate (g) makes its shifts."))
            self.reload()
