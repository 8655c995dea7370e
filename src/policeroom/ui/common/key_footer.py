"""The footer: the keys of the focused area, in the interface language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label

from policeroom.i18n import N_, _

# Keys Textual's own widgets show in the footer, word for word, so that the catalogue
# translates them (a form's open choice list: escape).
TEXTUAL_KEYS = (N_("Dismiss menu"),)


class KeyFooter(Footer):
    """A ``Footer`` whose key texts are translated when drawn, and whose keys that do not fit
    beside the palette's are left out whole.

    Binding texts are evaluated when their class is defined; the program sets the language
    before it imports the interface, but a process that changes language later (the tests)
    would keep the first language. Translating again here is harmless when the text is already
    translated: a Chinese text is no message id, so ``_()`` returns it unchanged.

    A key running under the palette's key (docked at the right) was drawn cut, half a
    Chinese character showing; the keys left out are on the help screen and in the palette.

    Textual builds the footer's keys anew whenever the screen's bindings may have changed:
    at every move of the focus, though most moves leave the same keys. Built again only when
    the keys it shows differ, a move sends no footer over a thin SSH link, and the login
    screen's first frame comes a tenth of a second sooner on a station PC.
    """

    _keys_composed: tuple[object, ...] | None = None

    def _keys_shown(self, screen: Screen[object]) -> tuple[object, ...]:
        """Everything ``Footer.compose`` reads of the screen's bindings."""
        return tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                binding.show,
                binding.group,
                enabled,
                tooltip,
                _(binding.description),
            )
            for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._bindings_ready and self._keys_shown(screen) == self._keys_composed:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._keys_composed = self._keys_shown(self.screen)
        for key in super().compose():
            description = getattr(key, "description", None)
            if isinstance(description, str) and description:
                key.description = _(description)  # type: ignore[attr-defined]
            if isinstance(key.tooltip, str) and key.tooltip:
                key.tooltip = _(key.tooltip)
            if isinstance(key, Label) and isinstance(key.content, str):
                key.update(_(key.content))  # a group's words ("Week" for [ and ])
            yield key
        self.call_after_refresh(self._leave_out_what_does_not_fit)

    def _leave_out_what_does_not_fit(self, tries: int = 10) -> None:
        palette = self.query(".-command-palette")
        right = palette.first().region.x if palette else self.region.right
        shown = [c for c in self.children if isinstance(c, Widget) and c.display]
        if tries and (not right or any(not c.region for c in shown[:-1])):
            # The keys are not laid out yet after this refresh (a busy start): a key with no
            # region would look as if it fitted. Look again after the next one.
            self.call_after_refresh(self._leave_out_what_does_not_fit, tries - 1)
            return
        for child in self.children:
            if isinstance(child, Widget) and not child.has_class("-command-palette"):
                # ``region`` is clipped to what shows, so a key half under the palette
                # looks as if it fitted; its own width says where it really ends.
                if child.display and child.region.x + child.outer_size.width > right:
                    child.display = False
