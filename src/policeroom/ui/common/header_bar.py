"""One line across the top: police room, user, date, early warnings, TRAINING."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from policeroom.formatting import date_and_weekday
from policeroom.i18n import _, ngettext
from policeroom.ui.common.desk import DeskApp, HeaderInfo


class HeaderBar(Horizontal):
    """The program's header; ``show`` replaces what it says."""

    def compose(self) -> ComposeResult:
        yield Label("", id="header-training")
        yield Label("", id="header-room")
        yield Label("", id="header-user")
        yield Label("", id="header-warnings")
        yield Label("", id="header-date")

    def on_mount(self) -> None:
        # Every screen's header follows what the main screen last read.
        if isinstance(self.app, DeskApp):
            self.watch(self.app, "header_info", self.show)

    def show(self, info: HeaderInfo | None) -> None:
        if info is None:
            return
        training = self.query_one("#header-training", Label)
        training.update(Text(_("TRAINING") + " ^r") if info.training else "")
        training.display = info.training
        self.query_one("#header-room", Label).update(Text(info.room))
        self.query_one("#header-user", Label).update(Text(info.user))
        warnings = self.query_one("#header-warnings", Label)
        if info.warnings is None:
            warnings.update("")
        else:
            warnings.update(
                Text(ngettext("{n} warning", "{n} warnings", info.warnings).format(n=info.warnings))
            )
        warnings.set_class(bool(info.warnings), "-alert")
        self.query_one("#header-date", Label).update(Text(date_and_weekday(info.today)))
