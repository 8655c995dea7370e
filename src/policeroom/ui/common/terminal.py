"""How the program treats the terminal: animations, mouse tracking and the blinking cursor.

Over SSH all three are off by default: measured on this program, a tree page-down with
animations sends 79 KB and without them 9.5 KB, any-motion mouse tracking floods a slow
link, and a blinking cursor redraws its field twice a second for as long as the field has
the focus. ``POLICEROOM_ANIMATIONS``, ``POLICEROOM_MOUSE`` and ``POLICEROOM_CURSOR_BLINK``
(``on``/``off``) override either way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

ANIMATIONS_VAR = "POLICEROOM_ANIMATIONS"
MOUSE_VAR = "POLICEROOM_MOUSE"
CURSOR_BLINK_VAR = "POLICEROOM_CURSOR_BLINK"
_ON = {"1", "on", "yes", "true"}
_OFF = {"0", "off", "no", "false"}


@dataclass(frozen=True)
class TerminalOptions:
    """Whether the app animates, asks the terminal for mouse events and blinks its cursor."""

    animations: bool = True
    mouse: bool = True
    remote: bool = False
    cursor_blink: bool = True


def _switch(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in _ON:
        return True
    if value in _OFF:
        return False
    return default


def terminal_options(environ: Mapping[str, str] | None = None) -> TerminalOptions:
    """The options for this process: off over SSH unless the variables say otherwise."""
    env = os.environ if environ is None else environ
    remote = bool(env.get("SSH_CONNECTION") or env.get("SSH_CLIENT") or env.get("SSH_TTY"))
    return TerminalOptions(
        animations=_switch(env, ANIMATIONS_VAR, not remote),
        mouse=_switch(env, MOUSE_VAR, not remote),
        remote=remote,
        cursor_blink=_switch(env, CURSOR_BLINK_VAR, not remote),
    )


def hold_cursors_steady(app: App[Any]) -> None:
    """Keep the text cursor of every ``Input`` and ``TextArea`` in ``app`` from blinking.

    Textual has no switch for a whole app, only ``cursor_blink`` on each field. It is turned
    off when a screen's ``focused`` changes, which happens before the field itself hears of
    its focus: the cursor never starts to blink. (Turned off later, a ``TextArea`` can keep a
    line it drew while the cursor was blinked away, and shows no cursor at all.) Call it from
    the app's ``on_mount``: it covers the screens there are and every screen pushed later.
    """

    def steady(widget: Widget | None) -> None:
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False

    def follow(screen: Screen[Any]) -> None:
        app.watch(screen, "focused", steady)

    for screen in app.screen_stack:
        follow(screen)
    app.screen_change_signal.subscribe(app, follow, immediate=True)
