"""The footer: the keys of the focused area, in the interface language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from policeroom.i18n import _


class KeyFooter(Footer):
    """A ``Footer`` whose key texts are translated when drawn.

    Binding texts are evaluated when their class is defined; the program sets the language
    before it imports the interface, but a process that changes language later (the tests)
    would keep the first language. Translating again here is harmless when the text is already
    translated: a Chinese text is no message id, so ``_()`` returns it unchanged.
    """

    def compose(self) -> ComposeResult:
        for key in super().compose():
            description = getattr(key, "description", None)
            if isinstance(description, str) and description:
                key.description = _(description)  # type: ignore[attr-defined]
            if isinstance(key.tooltip, str) and key.tooltip:
                key.tooltip = _(key.tooltip)
            yield key
