"""Reading a plain-text table as a reader does: where on the line each value starts."""

from __future__ import annotations

from rich.cells import cell_len


def starts(line: str, values: list[str]) -> list[int]:
    """The display column (hanzi count two) where each of ``values`` starts, left to right."""
    columns, position = [], 0
    for value in values:
        position = line.index(value, position)
        columns.append(cell_len(line[:position]))
        position += len(value)
    return columns


def ends(line: str, values: list[str]) -> list[int]:
    """The display column just after each of ``values``, left to right."""
    return [
        start + cell_len(value) for start, value in zip(starts(line, values), values, strict=True)
    ]
