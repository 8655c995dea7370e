"""The help screen: every key of the screen underneath, read from its bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.ui.common import styles
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.keys import Area, KeyEntry, all_entries

KEY_WIDTH = 10


class HelpScreen(ModalScreen[None]):
    """Lists, area by area, each key, what it does and why one would press it."""

    CSS_PATH = styles.APP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Close"), tooltip=_("Close the help"), id="help.close"),
        Binding("f1", "close", _("Close"), show=False, tooltip=_("Close the help"), id="help.f1"),
        Binding("q", "close", _("Close"), show=False, tooltip=_("Close the help"), id="help.q"),
    ]

    def __init__(self, areas: list[Area]) -> None:
        super().__init__()
        found = all_entries(areas, self._key_display)
        self.entries: list[KeyEntry] = [entry for entry in found if entry.state() is not False]
        self.area_titles = [area.title for area in areas]

    def _key_display(self, binding: Binding) -> str:
        return self.app.get_key_display(binding)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = _("Keys")
            for title in self.area_titles:
                lines = [entry for entry in self.entries if entry.area == title]
                if not lines:
                    continue
                yield Static(Text(title, style="bold"), classes="help-area")
                yield Static(self._listing(lines), classes="help-keys")
        yield KeyFooter()

    @staticmethod
    def _listing(lines: list[KeyEntry]) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(width=KEY_WIDTH, no_wrap=True)
        # Chinese has no spaces to wrap at: a long text folds onto the next line instead of
        # losing its end to an ellipsis at 80 columns.
        table.add_column(ratio=1, overflow="fold")
        table.add_column(ratio=2, overflow="fold")
        for entry in lines:
            grey = "dim" if entry.state() is None else ""
            tooltip = entry.tooltip if entry.tooltip != entry.description else ""
            table.add_row(
                Text(entry.keys_text, style=grey or "bold"),
                Text(entry.description, style=grey),
                Text(tooltip, style="dim"),
            )
        return table

    @property
    def listed_keys(self) -> list[str]:
        """Every key shown (for tests and for people counting)."""
        return [key for entry in self.entries for key in entry.keys]

    def action_close(self) -> None:
        self.dismiss(None)
