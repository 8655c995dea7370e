"""How wide the week's columns are, and text fitted to them (周排班表的列宽).

A person's name is never cut (宋丽 could be 宋丽娟 or 宋丽华): a day is at least as wide as the
longest name of the week, and when seven such days do not fit, the grid shows as many whole
days as fit. Widths are measured in terminal cells (a Chinese character takes two), never in
characters, and are even where a room's heading is drawn across the cells, so that it never
breaks a character with a stray space.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len

from policeroom.services.duty.roster import WeekView

Mode = Literal["full", "names", "tight"]
# Below these widths a cell falls back to the next, terser way of saying the same thing.
FULL_DAY = 16
NAMES_DAY = 7
# A day that scrolls: a three-character name, a blank, and even (see ``grid_layout``).
SCROLL_DAY = 8
TIGHT_LABEL = 6
# Cells of a three-character name, the common case, that a cell's times make room for.
NAME_CELLS = 6


@dataclass(frozen=True)
class GridLayout:
    """How wide the label and each day are, and how much a cell says in that width."""

    mode: Mode
    label_width: int
    day_width: int

    @property
    def content(self) -> int:
        """Cells of text in a day (one cell is left blank between days)."""
        return max(1, self.day_width - 1)


def _even(cells: int) -> int:
    return cells - cells % 2


def _even_up(cells: int) -> int:
    return cells + cells % 2


def grid_layout(
    width: int,
    label_need: int = 20,
    name_need: int = NAME_CELLS,
    label_most: int = 14,
    *,
    heading_need: int = 0,
) -> GridLayout:
    """The layout for a grid ``width`` cells wide whose longest row label is ``label_need``
    cells and whose longest name in a cell is ``name_need`` cells.

    A day holds the longest name whole; the label column holds labels of up to
    ``label_most`` cells (a person's name, as rows by person are labelled, is always whole:
    the grid passes its length). Below the full layout, and in it when a room's heading
    (``heading_need`` cells) is wider than the label column, every width is even: a heading
    spread across the cells then breaks between characters, never inside one (an odd cell
    left over showed as a stray space: 分局和派 出所). Otherwise the full layout keeps the
    odd cell for the times.
    """
    whole_name = _even_up(max(NAME_CELLS, name_need) + 1)  # and a blank between days
    full_label = max(12, min(30, label_need + 1))
    full_day = max(FULL_DAY, whole_name)
    if heading_need < full_label and width >= full_label + 7 * full_day:
        day = (width - full_label) // 7
        return GridLayout("full", width - 7 * day, day)
    if width >= _even_up(full_label) + 7 * full_day:
        day = _even((width - _even_up(full_label)) // 7)
        return GridLayout("full", _even(width - 7 * day), day)
    names_label = _even_up(max(10, min(max(14, label_most), label_need + 1)))
    scroll_day = max(SCROLL_DAY, whole_name)
    day = _even(min(max(14, scroll_day), (width - names_label) // 7))
    if day >= scroll_day:
        return GridLayout("names", _even(width - 7 * day), day)
    # Fewer days on screen, whole names: ``<``/``>`` and the cursor move the days. What is
    # left over after the whole days goes to the labels.
    shown = max(1, (width - names_label) // scroll_day)
    return GridLayout("names", max(names_label, _even(width - shown * scroll_day)), scroll_day)


def names_need(view: WeekView, swapping: frozenset[int] = frozenset()) -> int:
    """Cells the longest name of the week's cells takes, with its swap mark: a person's name
    in rows by post. In rows by person a cell names a post, which may give way (``…``) as
    the row's label and the detail line name it in full."""
    need = 0
    if view.by != "post":
        return need
    for row in view.rows:
        for cell in row.cells:
            for shift in cell.shifts:
                mark = 1 if shift.shift_id in swapping else 0
                need = max(need, cell_len(shift.staff_name or "—") + mark)
    return need


def fit(text: str, width: int, *, crop: bool = False) -> str:
    """``text`` cut to ``width`` cells (with ``…`` unless ``crop``), never splitting a hanzi."""
    if cell_len(text) <= width:
        return text
    out = ""
    room = width if crop else width - 1
    for char in text:
        if cell_len(out + char) > room:
            break
        out += char
    return out if crop else out + "…"


def wide_on_even(text: str) -> str:
    """``text`` with a blank added before any wide character that would start on an odd
    cell: cut at even widths, it then never leaves a stray space inside a Chinese name
    (``JWS2 东环路`` becomes ``JWS2  东环路``)."""
    out, cells = "", 0
    for char in text:
        width = cell_len(char)
        if width == 2 and cells % 2:
            out, cells = out + " ", cells + 1
        out, cells = out + char, cells + width
    return out


def spread(text: str, widths: Sequence[int]) -> list[str]:
    """``text`` cut into pieces that fill ``widths`` one after another (a heading drawn
    across a row of cells); the last piece ends with ``…`` if the text does not fit."""
    pieces: list[str] = []
    rest = wide_on_even(text)
    for index, width in enumerate(widths):
        last = index == len(widths) - 1
        piece = fit(rest, width) if last else fit(rest, width, crop=True)
        pieces.append(piece)
        rest = rest[len(piece) :]
    return pieces


def short_label(label: str, prefixes: Sequence[str]) -> str:
    """A post's name without the room's or station's name it starts with.

    ``东环路社区警务室值班台`` in ``东环路社区警务室`` reads ``值班台``; at least two characters
    are kept, and a shared beginning shorter than two characters is not cut.
    """
    best = label
    for prefix in prefixes:
        common = 0
        for a, b in zip(label, prefix, strict=False):
            if a != b:
                break
            common += 1
        rest = label[common:]
        if common >= 2 and len(rest) >= 2 and len(rest) < len(best):
            best = rest
    return best
