"""Text measured as a terminal shows it: a hanzi takes two cells, a Latin letter one."""

from __future__ import annotations

from rich.cells import cell_len


def padded(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal cells (CJK characters take two)."""
    return text + " " * max(1, width - cell_len(text))
