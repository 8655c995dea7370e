"""f1 and ? list every key of the screen, read from the bindings themselves."""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Region

from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.help import HelpScreen
from policeroom.ui.common.keys import own_bindings
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.unit.people_world import World


async def test_help_lists_every_key_of_the_main_screen(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = set(help_screen.listed_keys)
        nodes = [app, main, main.query_one(GridTree)]
        for area in ("residents", "disputes", "roster"):
            pane = main.query_one(f"#{area}")
            nodes += [pane, *pane.query("*")]
        hidden = {"reset_training"}  # only in training: check_action hides it
        expected = {
            app.get_key_display(b) for n in nodes for b in own_bindings(n) if b.action not in hidden
        }
        assert expected <= listed
        for key in ("1", "2", "3", "4", "n", "e", "m", "a", "/", "q", "f1", "?", "^p", "tab"):
            assert key in listed
        tooltips = {entry.tooltip for entry in help_screen.entries}
        assert "Assign the grid leader, administrators and responsible officer" in tooltips
        assert "^r" not in listed  # reset exists only in training
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is main
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


def test_own_bindings_leave_out_textual_ones_without_our_text() -> None:
    found = {b.key for b in own_bindings(GridTree.__new__(GridTree))}
    assert {"enter", "n", "e", "m", "a", "slash", "up", "down"} <= found
    assert "shift+space" not in found  # Textual's own, not declared by us
    assert all(
        isinstance(b, Binding) and b.description for b in own_bindings(GridTree.__new__(GridTree))
    )


async def test_no_words_are_cut_on_the_chinese_help_at_80_columns(world: World) -> None:
    """Found walking the story: "按完整身份证号查找任一警务室的居民（记…" lost its end."""
    app = PoliceRoomApp(world.ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        drawn = []
        for listing in help_screen.query(".help-keys"):
            width, height = listing.size
            strips = listing.render_lines(Region(0, 0, width, height))
            drawn += ["".join(segment.text for segment in strip) for strip in strips]
        text = "\n".join(drawn)
        assert "按完整身份证号查找" in text
        assert "…" not in text, text
