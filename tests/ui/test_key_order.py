"""Keys that arrive in one read reach what has the focus when their turn comes.

Over SSH, or from a fast typist, ``/张三`` comes in one read: Textual handed every key of it to
the focused list before ``/`` (a binding, run when the key came back up to the screen) had
moved the focus to the search box. The desk's app (``KeysInOrder``) holds each key until the
one before it is done. The keys here are posted all at once, as a terminal's read delivers
them, not pressed one by one as Pilot does (Pilot waits between keys, hiding the race).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from policeroom.ui.common.desk import DeskApp
from tests.ui.conftest import until


class _List(Static, can_focus=True):
    """A focusable list that, like the desk's lists, takes letters for itself."""

    taken: ClassVar[list[str]] = []

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isalpha():
            self.taken.append(event.character)
            event.stop()


class _Form(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="name")


class _Desk(DeskApp):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("f2", "new", "New"),
    ]

    def __init__(self) -> None:
        super().__init__(None)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield _List("rows", id="rows")
            yield Input(id="search")
            yield Input(id="after")

    def on_mount(self) -> None:
        self.query_one("#rows").focus()

    def action_new(self) -> None:
        self.push_screen(_Form())

    def action_search(self) -> None:
        self.query_one("#search").focus()

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        self.query_one("#after").focus()


def _burst(app: DeskApp, *keys: tuple[str, str | None]) -> None:
    for key, character in keys:
        app.post_message(events.Key(key, character))


async def test_a_search_key_and_the_name_typed_after_it_reach_the_search_box() -> None:
    _List.taken = []
    app = _Desk()
    async with app.run_test() as pilot:
        _burst(app, ("slash", "/"), ("张", "张"), ("三", "三"))
        search = app.query_one("#search", Input)
        await until(pilot, lambda: search.value == "张三")
        assert _List.taken == []


async def test_keys_after_an_enter_that_moves_the_focus_reach_the_next_box() -> None:
    """``enter`` is the search box's own key; the focus moves in the handler of what it
    posted (Submitted), one step later than a binding."""
    _List.taken = []
    app = _Desk()
    async with app.run_test() as pilot:
        app.query_one("#search").focus()
        await pilot.pause()
        _burst(app, ("z", "z"), ("enter", "\r"), ("s", "s"), ("h", "h"))
        after = app.query_one("#after", Input)
        await until(pilot, lambda: after.value == "sh")
        assert app.query_one("#search", Input).value == "z"


async def test_a_long_burst_keeps_its_order() -> None:
    _List.taken = []
    app = _Desk()
    async with app.run_test() as pilot:
        typed = "abcdefghij"
        _burst(app, *[(c, c) for c in typed], ("slash", "/"), *[(c, c) for c in typed])
        search = app.query_one("#search", Input)
        await until(pilot, lambda: search.value == typed)
        assert "".join(_List.taken) == typed


async def test_the_name_typed_right_after_the_key_that_opens_a_form_fills_its_first_box() -> None:
    """The form's first box takes the focus once the form is mounted, several turns of the
    event loop after the key that opened it."""
    _List.taken = []
    app = _Desk()
    async with app.run_test() as pilot:
        _burst(app, ("f2", None), ("张", "张"), ("三", "三"))
        await until(pilot, lambda: isinstance(app.screen, _Form))
        name = app.screen.query_one("#name", Input)
        await until(pilot, lambda: name.value == "张三")
