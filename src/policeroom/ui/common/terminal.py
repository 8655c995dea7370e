"""How the program treats the terminal: animations and mouse tracking.

Over SSH both are off by default: measured on this program, a tree page-down with
animations sends 79 KB and without them 9.5 KB, and any-motion mouse tracking floods a slow
link. ``POLICEROOM_ANIMATIONS`` and ``POLICEROOM_MOUSE`` (``on``/``off``) override either way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ANIMATIONS_VAR = "POLICEROOM_ANIMATIONS"
MOUSE_VAR = "POLICEROOM_MOUSE"
_ON = {"1", "on", "yes", "true"}
_OFF = {"0", "off", "no", "false"}


@dataclass(frozen=True)
class TerminalOptions:
    """Whether the app animates and whether it asks the terminal for mouse events."""

    animations: bool = True
    mouse: bool = True
    remote: bool = False


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
    )
