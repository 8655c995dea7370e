"""The roster read at 80x24 (issue 13, 9): the tree folds away while the roster has the
focus, every name of the week is shown whole, ``<``/``>`` move the days on show; and the room
picker of a desk officer's one-room roster keeps what is typed after ``r``."""

from __future__ import annotations

from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.duty.roster_choice import ChoiceScreen
from policeroom.ui.duty.shift_form import ShiftForm
from policeroom.ui.org.grid_tree import GridTree
from tests.ui.conftest import settle
from tests.ui.roster_world import Branch, branch, open_room, training_db, training_template

__all__ = ["branch", "training_db", "training_template"]


async def test_the_room_picker_of_one_room_keeps_the_keys_typed_into_it(branch: Branch) -> None:
    """``r`` did nothing on a desk officer's roster of one room, so the code typed after it
    acted on the week behind (``n`` opened a new shift, ``1`` went to the tree)."""
    app = PoliceRoomApp(branch.login("卢永强", "desk.r0101"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_room(pilot)
        assert pane.last_read is not None and len(pane.last_read.rooms) == 1
        await pilot.press("r")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ChoiceScreen)
        await pilot.press(*"n1R0102")
        await settle(pilot)
        assert app.screen is picker and not app.screen_stack[-2].query(ShiftForm)
        assert not isinstance(app.screen_stack[-2].focused, GridTree)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not picker and app.screen.focused is pane.week.grid
        # Typing the room's own code and enter chooses it, as in a branch's picker.
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"R0101", "enter")
        await settle(pilot)
        assert app.screen.focused is pane.week.grid
        assert pane.last_read is not None and pane.last_read.room_name == "东环路社区警务室"
