"""The first-run screen: an empty database, and the ways to put something in it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.ui.common import styles
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter

TRAINING = "training"
LOAD_TRAINING = "load-training"
NEW_GRID = "new-grid"


class FirstRunScreen(Screen[str | None]):
    """Says what to do on an empty database; dismisses with the choice made."""

    CSS_PATH = styles.APP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "t",
            "choose('training')",
            _("Training"),
            tooltip=_("Open the training desk on its own database (policeroom training)"),
            id="first-run.training",
        ),
        Binding(
            "l",
            "choose('load-training')",
            _("Load training data"),
            tooltip=_("Load the training data into this database"),
            id="first-run.load",
        ),
        Binding(
            "n",
            "choose('new-grid')",
            _("New grid"),
            tooltip=_("Create the first street or town grid here"),
            id="first-run.new-grid",
        ),
        Binding("q", "quit", _("Quit"), tooltip=_("Leave the program"), id="first-run.quit"),
    ]

    def __init__(self, database_url: str, *, can_load: bool = True) -> None:
        super().__init__()
        self.database_url = database_url
        self.can_load = can_load

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with VerticalScroll(id="first-run-body"):
            yield Static(Text(_("Welcome to policeroom"), style="bold"), id="first-run-title")
            yield Static(self._explanation(), id="first-run-text")
        yield KeyFooter()

    def _explanation(self) -> Text:
        text = Text()
        text.append(_("This database has no police room and no grid yet:") + "\n")
        text.append(self.database_url + "\n\n", style="dim")
        text.append(_("To try the program on realistic data without touching real records,"))
        text.append("\n" + _("press t, or run:") + "  ")
        text.append("policeroom training\n\n", style="bold")
        text.append(_("To load your branch's data (police rooms, staff, grids, residents):"))
        text.append("\n    ")
        text.append("policeroom fixtures load PATH\n\n", style="bold")
        text.append(_("To start from nothing, press n to create the first street or town grid;"))
        text.append("\n" + _("police rooms and staff come with the data you load.") + "\n\n")
        text.append(_("Logins are added with:") + "  ")
        text.append("policeroom user add LOGIN --role desk\n", style="bold")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == (LOAD_TRAINING,) and not self.can_load:
            return None
        return True

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_quit(self) -> None:
        self.app.exit()
