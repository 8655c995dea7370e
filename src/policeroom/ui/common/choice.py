"""A record that can be chosen in a lookup or a picker: plain data, shared by every area."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """A record that can be chosen: its id and how it is shown."""

    value: int
    label: str
