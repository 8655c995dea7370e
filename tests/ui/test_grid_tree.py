"""The grid tree driven by keys: lazy levels, add, edit, move, card, find, filtering panes."""

from __future__ import annotations

from sqlmodel import col, select

from policeroom.models.org import Grid
from policeroom.services.core.locking import save_versioned
from policeroom.services.org import grids
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.duty.roster_pane import RosterPane
from policeroom.ui.org.grid_assign import GridAssignForm
from policeroom.ui.org.grid_card import GridCardScreen
from policeroom.ui.org.grid_form import GridForm
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.people.residents_pane import ResidentsPane
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.ui.noted_app import NotedApp
from tests.unit.people_world import World


def tree_of(app: PoliceRoomApp) -> GridTree:
    return app.screen.query_one(GridTree)


async def open_to_village(pilot) -> None:  # type: ignore[no-untyped-def]
    """Root → 西市场街道 (open) → 光明路社区: the cursor ends on the village."""
    await pilot.press("down", "right")
    await settle(pilot)
    await pilot.press("down")
    await settle(pilot)


async def test_levels_load_as_they_open_with_officer_and_counts(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = tree_of(app)
        assert [str(n.label) for n in tree.root.children] == ["西市场街道 4/2", "矿工路街道 1/0"]
        assert len(tree.root.children[0].children) == 0  # not read before it opens
        await open_to_village(pilot)
        assert tree.grid is not None and tree.grid.name == "光明路社区"
        assert str(tree.cursor_node.label) == "光明路社区 王建国 4/2"  # type: ignore[union-attr]
        detail = str(app.screen.query_one("#grid-detail").render())
        assert "王建国" in detail and "4 residents" in detail


async def test_add_a_level_three_grid_with_keys(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_to_village(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GridForm)
        assert form.level == 3
        await pilot.press(*"09", "tab", *"光明路九组")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        tree = tree_of(app)
        assert tree.grid is not None and tree.grid.name == "光明路九组"
    with world.ctx.read() as session:
        made = session.exec(select(Grid).where(col(Grid.code) == "XH01-01-09")).one()
    assert (made.name, made.level, made.parent_id) == ("光明路九组", 3, world.village.id)
    assert made.path == f"{world.village.path}{made.id}/"


async def test_wrong_fields_are_shown_and_nothing_is_saved(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_to_village(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"01")  # XH01-01-01 is taken by 光明路一组
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GridForm)
        assert set(form.field_errors) == {"name"}
        await pilot.press(*"重复组", "ctrl+s")  # the cursor waits in the first wrong field
        await settle(pilot)
        assert isinstance(app.screen, GridForm)
        assert set(app.screen.field_errors) == {"code"}
    assert len(grids.children(world.ctx, world.village.id)) == 2


async def test_card_shows_room_people_and_targets(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_to_village(pilot)
        await pilot.press("enter")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, GridCardScreen)
        text = str(card.query_one("#grid-card").render())
        assert "光明路社区警务室" in text
        assert "王建国" in text and "李秀兰" in text  # the room's staff
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_move_a_group_under_another_village(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_to_village(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down")  # 光明路一组
        await settle(pilot)
        assert tree_of(app).grid is not None and tree_of(app).grid.name == "光明路一组"  # type: ignore[union-attr]
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"曹镇")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        tree = tree_of(app)
        assert tree.grid is not None and tree.grid.name == "光明路一组"
        assert tree.grid.parent_id == world.village2.id
    moved = grids.get(world.ctx, world.group.id)
    assert moved.parent_id == world.village2.id
    assert moved.path == f"{world.village2.path}{world.group.id}/"


async def test_slash_finds_a_grid_and_opens_the_tree_to_it(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"三组")
        await settle(pilot)
        # found walking the story: one match was counted as "1 grids"
        assert str(app.screen.query_one("#picker-status").render()) == "1 grid"
        await pilot.press("enter")
        await settle(pilot)
        tree = tree_of(app)
        assert tree.grid is not None and tree.grid.code == "XH02-01-01"


async def test_selecting_a_grid_filters_the_pane_on_show_and_the_others_when_shown(
    world: World,
) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        residents = screen.query_one(ResidentsPane)
        disputes = screen.query_one(DisputesPane)
        await pilot.press("down", "down")  # 矿工路街道
        await settle(pilot)
        street2 = world.street2.id
        assert residents.query_filter.grid_id == street2
        # At 80x24 the other panes are hidden behind tabs: they read when shown, not before.
        assert disputes.grid_id is None
        await pilot.press("3")
        await settle(pilot)
        assert disputes.grid_id == street2
        await pilot.press("4")
        await settle(pilot)
        assert screen.query_one(RosterPane).grid_id == street2
        await pilot.press("1", "up", "up")  # back to the root: everything
        await settle(pilot)
        assert screen.query_one(RosterPane).grid_id is None
        assert disputes.grid_id == street2 and residents.query_filter.grid_id == street2
        await pilot.press("2")
        await settle(pilot)
        assert residents.query_filter.grid_id is None


async def test_a_wide_screen_filters_every_pane_at_once(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("down", "down")
        await settle(pilot)
        street2 = world.street2.id
        assert screen.query_one(ResidentsPane).query_filter.grid_id == street2
        assert screen.query_one(DisputesPane).grid_id == street2
        assert screen.query_one(RosterPane).grid_id == street2


async def test_add_a_level_three_grid_then_assign_its_officer(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_to_village(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"07", "tab", *"光明路七组", "ctrl+s")
        await settle(pilot)
        tree = tree_of(app)
        assert tree.grid is not None and tree.grid.name == "光明路七组"
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GridAssignForm)
        await pilot.press(*"王建")  # the officer's lookup has the focus first
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert form.values()["officer_id"] == world.officer_id
        await pilot.press("tab", *"李秀", "enter")  # the grid leader
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "王建国" in str(tree.cursor_node.label)  # type: ignore[union-attr]
    with world.ctx.read() as session:
        made = session.exec(select(Grid).where(col(Grid.code) == "XH01-01-07")).one()
    assert (made.officer_id, made.leader_id) == (world.officer_id, world.worker_id)


async def test_a_read_that_fails_is_told_and_the_level_is_read_when_opened_again(
    world: World,
) -> None:
    app = NotedApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")  # 西市场街道, not opened yet
        await settle(pilot)
        tree = tree_of(app)
        street = tree.cursor_node
        assert street is not None and not street.children
        with world.ctx.db.engine.begin() as connection:  # the database loses the grids
            connection.exec_driver_sql("ALTER TABLE grid RENAME TO grid_away")
        try:
            await pilot.press("right")
            await settle(pilot)
        finally:
            with world.ctx.db.engine.begin() as connection:
                connection.exec_driver_sql("ALTER TABLE grid_away RENAME TO grid")
        assert [e for e in app.errors() if e.startswith("Could not read the grids")], app.notes
        assert isinstance(app.screen, MainScreen) and not street.children
        await pilot.press("right")  # the level was never read: opening it reads it now
        await settle(pilot)
        assert [str(n.label) for n in street.children] == ["光明路社区 王建国 4/2"]


async def test_a_move_the_service_refuses_is_told_and_the_grid_stays(world: World) -> None:
    app = NotedApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_to_village(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down")  # 光明路一组
        await settle(pilot)
        read = grids.get(world.ctx, world.group.id)
        with world.ctx.db.transaction() as session:  # another desk saves it meanwhile
            save_versioned(session, Grid, read.id, read.version, {"households": 7})
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"曹镇")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert [e for e in app.errors() if e.startswith("Not moved:")], app.notes
        tree = tree_of(app)
        assert tree.grid is not None and tree.grid.id == world.group.id
        assert tree.grid.parent_id == world.village.id
    assert grids.get(world.ctx, world.group.id).parent_id == world.village.id


async def test_the_card_closes_into_the_assignment_of_its_grid(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_to_village(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GridCardScreen)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GridAssignForm)
        assert form.card.node.id == world.village.id
        # the people read with the card stay chosen: saving unchanged keeps them
        assert form.values()["officer_id"] == world.officer_id
        assert form.values()["leader_id"] == world.worker_id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with world.ctx.read() as session:
        village = session.exec(select(Grid).where(col(Grid.id) == world.village.id)).one()
    assert (village.officer_id, village.leader_id) == (world.officer_id, world.worker_id)


async def test_adding_a_resident_updates_the_tree_and_the_line_under_it(world: World) -> None:
    """Issue 13, defect 8: the tree's counts and the line under it kept the old figure."""
    from textual.widgets import Static  # noqa: PLC0415

    from policeroom.ui.app import PoliceRoomApp  # noqa: PLC0415
    from policeroom.ui.shell.main_screen import MainScreen  # noqa: PLC0415

    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(GridTree)
        await pilot.press("down")  # the street
        await settle(pilot)
        street = tree.cursor_node.data if tree.cursor_node else None
        assert street is not None
        before = street.residents
        await pilot.press("2", "n")
        await settle(pilot)
        await pilot.press(*"孙悟空", "tab", "tab", *"13937511234", "tab", "tab", "tab", "tab")
        await pilot.press(*"光明路一组")
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        node = tree.cursor_node
        assert node is not None and node.data is not None
        assert node.data.residents == before + 1
        line = str(app.screen.query_one("#grid-detail", Static).render())
        assert f"{before + 1} residents" in line, line


async def test_the_panes_read_once_the_tree_cursor_rests(world: World) -> None:
    app = PoliceRoomApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # Long enough that four keys in a row never outlast it, even on a loaded machine.
        screen.grid_rest = 1.0
        residents = screen.query_one(ResidentsPane)
        asked: list[int | None] = []
        screen.watch(residents, "query_filter", lambda q: asked.append(q.grid_id), init=False)
        await pilot.press("down", "down", "down", "down")
        assert screen.grid_pending
        await settle(pilot)
        tree = tree_of(app)
        assert tree.grid is not None
        assert asked == [tree.grid.id]  # one read, for the grid the cursor rested on
