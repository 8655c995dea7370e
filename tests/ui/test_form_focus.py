"""A form shows which field has the focus, and a list field says that ``enter`` opens it.

The roster's "fill the gap" form opened with the focus on the person while the post's label
stayed bold (the first field, focused at mount): an officer who tabbed "to the person" left
it for the day, where ``enter`` does nothing. Keys only, at 80x24, in both languages."""

from __future__ import annotations

from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import Label, Select
from textual.widgets._footer import FooterKey

from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.help import HelpScreen
from policeroom.ui.duty.shift_form import ShiftForm
from tests.ui.conftest import settle, until
from tests.ui.roster_world import (
    Branch,
    branch,
    cursor_to,
    open_room,
    training_db,
    training_template,
)

__all__ = ["branch", "training_db", "training_template"]

CHOOSE = {"en": "Choose", "zh": "选择"}


def bold_labels(form: ShiftForm) -> list[str]:
    """The fields whose label is drawn in bold."""
    return [
        field.field
        for field in form.query(FormField)
        if field.query_one(".form-field--label", Label).rich_style.bold
    ]


def footer_enter(pilot: Pilot[object]) -> str | None:
    """What the footer says ``enter`` does (None: it says nothing of it)."""
    for key in pilot.app.screen.query(FooterKey):
        if key.key == "enter" and not key.has_class("-disabled"):
            return key.description
    return None


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_tab_to_the_person_then_enter_opens_the_list(branch: Branch, language: str) -> None:
    app = PoliceRoomApp(branch.ctx, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        # a gap with no vacant shift: the form has the post, then the person
        await cursor_to(pilot, pane, "一分钟快反", date(2022, 5, 1))
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, ShiftForm))
        form = app.screen
        assert isinstance(form, ShiftForm)
        await settle(pilot)
        person = form.query_one("#shift-staff", Select)
        # the person's list has the focus, and the form shows it there, not on the post
        assert app.focused is person
        await until(pilot, lambda: bold_labels(form) == ["staff_id"])
        await until(pilot, lambda: footer_enter(pilot) == CHOOSE[language])

        await pilot.press("tab")  # on to the day: its label is the bold one now
        await until(pilot, lambda: bold_labels(form) == ["day"])
        assert footer_enter(pilot) is None  # enter opens nothing there
        await pilot.press("shift+tab", "shift+tab")  # back past the person, to the post
        await until(pilot, lambda: bold_labels(form) == ["post_id"])
        await pilot.press("tab", "enter")  # tab to the person, enter: the list of people
        await until(pilot, lambda: person.expanded)
        assert bold_labels(form) == ["staff_id"]
        await pilot.press("down", "enter")  # the first person below "(vacant)"
        await until(pilot, lambda: not person.expanded)
        assert form.field("staff_id").value is not None


async def test_the_help_says_what_enter_does_on_a_list_field(branch: Branch) -> None:
    app = PoliceRoomApp(branch.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        await cursor_to(pilot, pane, "一分钟快反", date(2022, 5, 1))
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, ShiftForm))
        await settle(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = app.screen
        assert isinstance(shown, HelpScreen)
        choose = [entry for entry in shown.entries if entry.description == "Choose"]
        # once, for the field under the cursor (not once per list field of the form)
        assert [(entry.keys, entry.state()) for entry in choose] == [(("⏎",), True)]
