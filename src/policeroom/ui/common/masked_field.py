"""An ID or phone number shown masked, until the person with the right reveals it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from policeroom.ui.common.cells import padded


class MaskedField(Static):
    """``label  110105********0023``; ``reveal`` shows the whole number, ``hide`` masks it."""

    def __init__(
        self, label: str, masked: str, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.masked = masked
        self.revealed: str | None = None

    def on_mount(self) -> None:
        self._draw()

    def set_masked(self, masked: str) -> None:
        self.masked = masked
        self.revealed = None
        self._draw()

    def reveal(self, value: str) -> None:
        self.revealed = value
        self._draw()

    def hide(self) -> None:
        self.revealed = None
        self._draw()

    @property
    def shown(self) -> str:
        """What the screen shows now."""
        return self.revealed if self.revealed is not None else self.masked

    def _draw(self) -> None:
        self.set_class(self.revealed is not None, "-revealed")
        line = Text(padded(self.label, 10), style="dim")
        line.append(self.shown or "—", style="bold" if self.revealed is not None else "")
        self.update(line)
