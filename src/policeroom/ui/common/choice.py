"""A record that can be chosen in a lookup or a picker: plain data, shared by every area."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """A record that can be chosen: its id, how it is shown, and the code that names it
    exactly when typed (a grid's or a staff member's code)."""

    value: int
    label: str
    code: str = ""
