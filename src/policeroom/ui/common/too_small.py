"""Said instead of the desk when the terminal is smaller than the smallest usable size."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.ui.common import styles

# The smallest terminal every screen is laid out for (walked at 70x20 in both languages).
MIN_WIDTH = 70
MIN_HEIGHT = 20


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    """Covers everything until the terminal is large enough again: a screen cut in pieces
    reads wrongly, and keys typed into it would act on what cannot be seen. ``ctrl+q``
    (the app's) still quits."""

    CSS_PATH = styles.APP

    def compose(self) -> ComposeResult:
        message = _("terminal too small: at least {width}×{height}").format(
            width=MIN_WIDTH, height=MIN_HEIGHT
        )
        yield Static(Text(message), id="too-small")
