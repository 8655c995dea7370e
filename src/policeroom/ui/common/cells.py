"""Text measured in terminal cells, where a Chinese character takes two."""

from __future__ import annotations

from rich.cells import cell_len


def padded(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal cells (at least one space)."""
    return text + " " * max(1, width - cell_len(text))
