"""The command palette in the desk's language: Textual writes its "No matches found" in
English, inline in the countdown that shows it."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from policeroom.i18n import _


class DeskPalette(CommandPalette):
    """Textual's palette, saying that nothing matched in the desk's language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, with the words translated: the countdown keeps "nothing matched"
        # from flashing while the providers are still searching.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
