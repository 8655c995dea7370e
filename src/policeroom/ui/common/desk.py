"""What every screen may ask of the desk program, through one typed accessor.

Screens and widgets reach the program as ``desk_app(self)``: the service context, whether it
is a training copy, and the header's facts as a reactive that headers watch. The app class
itself sits above every area; this base keeps what they share below them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from textual.command import Provider
from textual.dom import DOMNode
from textual.reactive import var

from policeroom.services.core.redact import RedactingStream
from policeroom.ui.common.key_order import KeysInOrder

if TYPE_CHECKING:
    # Only a type here: the first frame is drawn before the services are imported.
    from policeroom.services.core.context import ServiceContext


@dataclass(frozen=True)
class HeaderInfo:
    """What the header shows; ``warnings`` is None while unknown."""

    room: str
    user: str
    today: date
    training: bool = False
    warnings: int | None = None


class DeskApp(KeysInOrder[str | None]):
    """The state the whole program shares; ``PoliceRoomApp`` and test hosts derive from it."""

    header_info: var[HeaderInfo | None] = var(None)
    """What the header says (room, user, day, warnings); every screen's header follows it."""

    ctx: ServiceContext
    """Who works on which database; a desk opened on its login screen has it only once the
    login is checked."""

    def __init__(self, ctx: ServiceContext | None, *, training: bool = False) -> None:
        super().__init__()
        if ctx is not None:
            self.ctx = ctx
        self.training = training
        # Where Textual prints the report of a crash (a traceback with the values of local
        # variables, which may be a resident's): masked like every other error.
        self.error_console = Console(file=RedactingStream(), markup=False, highlight=False)


def desk_app(node: DOMNode | Provider) -> DeskApp:
    """The program ``node`` (a widget, a screen or a palette's command provider) runs in."""
    app = node.app
    if not isinstance(app, DeskApp):
        raise TypeError(f"{type(app).__name__} is not a DeskApp")
    return app
