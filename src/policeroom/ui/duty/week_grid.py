"""The week of a roster as a grid (周排班表): days across, posts or people down.

How much a cell says depends on the width it gets: at 200 columns each shift is its times and
the full name, with the gap's hours and who is missing; at 80 columns names only. A person's
name is never cut (宋丽 could be 宋丽娟 or 宋丽华): a day is at least as wide as the longest
name of the week, and when seven such days do not fit, the week shows as many whole days as
fit; ``<``/``>`` move the days on show, and ``left``/``right`` past the edge move them with
the cursor. The detail line of the pane spells out the cell under the cursor. Widths are
measured in terminal cells (a Chinese character takes two), never in characters, and are
even, so a room's heading drawn across the cells never breaks a character with a stray space.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import ClassVar, Literal

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from policeroom import labels
from policeroom.formatting import day_month, weekday_and_day
from policeroom.i18n import _
from policeroom.models.roster import ShiftStatus
from policeroom.services.duty.coverage import FindingKind
from policeroom.services.duty.roster import CellShift, WeekCell, WeekRow, WeekView

Mode = Literal["full", "names", "tight"]
GAP_KINDS = frozenset({FindingKind.GAP, FindingKind.TIER_UNCOVERED, FindingKind.PAIRING})
PERSON_MARKS = frozenset(
    {FindingKind.DOUBLE_BOOKING, FindingKind.ON_LEAVE, FindingKind.INACTIVE, FindingKind.REST}
)
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


def is_night(shift: CellShift) -> bool:
    """Starts in the evening or crosses midnight: drawn as a night shift."""
    crosses = shift.ends_at.date() > shift.starts_at.date() and shift.ends_at.time() != time(0)
    return shift.starts_at.hour >= 18 or shift.starts_at.hour < 6 or crosses


def day_label(day: date, mode: Mode) -> str:
    if mode == "full":
        return day_month(day)
    if mode == "names":
        return weekday_and_day(day)
    return f"{day.day}"


def _clock(moment: datetime, day: date) -> str:
    if moment >= datetime.combine(day + timedelta(days=1), time(0)):
        return "24"
    return f"{moment:%H}" if moment.minute == 0 else f"{moment:%H:%M}"


def missing_text(cell: WeekCell) -> str:
    """``aux×1`` for each kind the cell's gaps are short of."""
    counts: dict[str, int] = {}
    for finding in cell.findings:
        for kind, count in finding.missing:
            label = labels.short_label(kind)
            counts[label] = max(counts.get(label, 0), count)
    return " ".join(f"{label}×{count}" for label, count in counts.items())


def full_words(shift: CellShift, who: str, width: int) -> str:
    """Times and name in ``width`` cells: the times give way before the name does (the
    detail line spells them out), as a desk officer looks for who first. The choice is made
    for a three-character name, so that a column does not mix ``08:30`` and ``0830``."""
    start, end = shift.starts_at, shift.ends_at
    for times in (shift.times, f"{start:%H%M}-{end:%H%M}", f"{start:%H:%M}"):
        if cell_len(times) + 1 + max(NAME_CELLS, cell_len(who)) <= width:
            return f"{times} {who}"
    return who


@dataclass(frozen=True)
class CellStyles:
    """Rich styles read from the grid's component classes (theme variables in roster.tcss)."""

    gap: Style
    warn: Style
    leave: Style
    night: Style
    vacant: Style
    swap: Style


def cell_lines(
    view: WeekView,
    cell: WeekCell,
    layout: GridLayout,
    styles: CellStyles,
    swapping: frozenset[int] = frozenset(),
    prefixes: Sequence[str] = (),
) -> list[Text]:
    """What a cell shows, one ``Text`` per line, each at most the day's width."""
    width = layout.content
    lines: list[Text] = []
    crop = layout.mode == "tight"
    if cell.on_leave:
        lines.append(Text(fit(_("leave"), width, crop=crop), style=styles.leave))
    for shift in cell.shifts:
        if view.by == "staff":
            who = short_label(shift.post_name, prefixes)
        else:
            who = shift.staff_name or "—"
        mark = "⇄" if shift.shift_id in swapping else ""
        words = full_words(shift, who, width - cell_len(mark)) if layout.mode == "full" else who
        # The swap mark stays whatever the width: the name gives way to it.
        words = fit(words, width - cell_len(mark), crop=crop) + mark
        style = Style()
        if shift.vacant:
            style = styles.vacant
        elif is_night(shift):
            style = styles.night
        if shift.shift_id in swapping:
            style = style + styles.swap
        lines.append(Text(fit(words, width, crop=crop), style=style))
    gaps = [f for f in cell.findings if f.kind in GAP_KINDS]
    # A person's cell is marked for what concerns that day's duty; the grid-officer check and
    # the weekly hours on a day off are left to the detail line and the checks list.
    warnings = [
        f
        for f in cell.findings
        if f.kind in PERSON_MARKS or (f.kind == FindingKind.WEEK_HOURS and cell.shifts)
    ]
    if gaps:
        if layout.mode == "full":
            day_start = datetime.combine(cell.day, time(0))
            for finding in gaps:
                if finding.starts_at is None or finding.ends_at is None:
                    continue
                start = max(finding.starts_at, day_start)
                end = min(finding.ends_at, day_start + timedelta(days=1))
                span = f"{_clock(start, cell.day)}-{_clock(end, cell.day)}"
                short = missing_text(cell) if finding.missing else _("alone")
                words = f"! {span} {short}"
                if cell_len(words) > width:  # what is short matters more than the colons
                    words = f"!{span.replace(':', '')} {short}"
                if cell_len(words) > width:  # and than the times (the detail line has them)
                    words = f"! {short}"
                lines.append(Text(fit(words, width), style=styles.gap))
        else:
            count = max((n for f in gaps for _kind, n in f.missing), default=1)
            words = _("!short {n}").format(n=count) if layout.mode == "names" else ""
            if not words or cell_len(words) > width:
                words = f"!{count}"  # the count matters more than the word
            lines.append(Text(fit(words, width, crop=True), style=styles.gap))
    elif warnings and view.by == "staff":
        lines.append(Text(fit("!", width, crop=True), style=styles.warn))
    if not lines:
        lines.append(Text(""))
    return lines


class WeekGrid(DataTable[Text]):
    """A ``WeekView`` drawn as a grid with a cell cursor; it redraws itself when resized."""

    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {
        "week-grid--gap",
        "week-grid--warn",
        "week-grid--leave",
        "week-grid--night",
        "week-grid--vacant",
        "week-grid--swap",
        "week-grid--today",
        "week-grid--room",
        "week-grid--detail",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            _("Open"),
            show=False,
            tooltip=_("Open the shift under the cursor"),
            id="roster.open",
        ),
    ]

    class CellHighlighted(Message):
        """The cursor is on ``cell`` of ``row`` (both None on a room's heading row)."""

        def __init__(self, grid: WeekGrid, row: WeekRow | None, cell: WeekCell | None) -> None:
            super().__init__()
            self.grid = grid
            self.row = row
            self.cell = cell

        @property
        def control(self) -> WeekGrid:
            return self.grid

    class CellChosen(Message):
        """``enter`` on a cell."""

        def __init__(self, grid: WeekGrid, row: WeekRow, cell: WeekCell) -> None:
            super().__init__()
            self.grid = grid
            self.row = row
            self.cell = cell

        @property
        def control(self) -> WeekGrid:
            return self.grid

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="cell",
            cell_padding=0,
            zebra_stripes=False,
            fixed_columns=1,
        )
        self.view: WeekView | None = None
        self.swapping: frozenset[int] = frozenset()
        self.today: date | None = None
        # room id → (heading, room name, station name): headings in the all-rooms week, and
        # the names a post's name is shortened by.
        self.room_names: dict[int, tuple[str, ...]] = {}
        self.cell_layout: GridLayout | None = None
        self._rows: list[WeekRow | None] = []
        # The days on show when fewer than seven fit: view.days[first : first + shown].
        self.first_day = 0
        self.days_shown = 7

    # --- showing a week ---------------------------------------------------------------

    def show_week(
        self,
        view: WeekView,
        *,
        today: date,
        swapping: frozenset[int] = frozenset(),
        room_names: dict[int, tuple[str, ...]] | None = None,
        target: tuple[int, date] | None = None,
    ) -> None:
        """Draw ``view``; the cursor stays on its row and day, or goes to ``target``."""
        keep = target or self.cursor_target()
        self.view = view
        self.today = today
        self.swapping = swapping
        if room_names is not None:
            self.room_names = room_names
        self._draw(keep)

    def cursor_target(self) -> tuple[int, date] | None:
        """(row id, day) under the cursor, to come back to after a redraw."""
        row, cell = self.current()
        if row is None or cell is None:
            return None
        return row.id, cell.day

    def current(self) -> tuple[WeekRow | None, WeekCell | None]:
        """The row and day cell under the cursor (None, None on a heading or before a week)."""
        coordinate = self.cursor_coordinate
        if not 0 <= coordinate.row < len(self._rows):
            return None, None
        row = self._rows[coordinate.row]
        if row is None:
            return None, None
        column = max(1, coordinate.column)
        index = min(self.first_day + column - 1, len(row.cells) - 1)
        return row, row.cells[index]

    @property
    def shown_days(self) -> tuple[date, ...]:
        """The days with a column now (all seven unless the grid is narrow)."""
        if self.view is None:
            return ()
        return self.view.days[self.first_day : self.first_day + self.days_shown]

    def cell_of(self, row_id: int, day: date) -> WeekCell | None:
        for row in self._rows:
            if row is not None and row.id == row_id:
                for cell in row.cells:
                    if cell.day == day:
                        return cell
        return None

    def cell_text(self, row_id: int, day: date) -> str:
        """The text the grid shows for a cell (what a desk officer reads)."""
        for index, row in enumerate(self._rows):
            if row is not None and row.id == row_id and day in self.shown_days:
                column = self.shown_days.index(day) + 1
                return self.get_cell_at(Coordinate(index, column)).plain
        return ""

    def go_to(self, row_id: int | None, day: date | None) -> None:
        """Put the cursor on the row with ``row_id`` (if shown) and on ``day`` (if shown)."""
        if self.view is None:
            return
        row_index = self.cursor_coordinate.row
        if row_id is not None:
            for index, row in enumerate(self._rows):
                if row is not None and row.id == row_id:
                    row_index = index
                    break
        column = self.cursor_coordinate.column
        if day is not None and day in self.view.days:
            if day not in self.shown_days:
                if row_id is None:
                    row = self.current()[0]
                    row_id = row.id if row is not None else None
                self._draw((row_id, day) if row_id is not None else None, day)
                return
            column = self.shown_days.index(day) + 1
        self.move_cursor(row=row_index, column=max(1, column), animate=False)

    def can_move_days(self, step: int) -> bool:
        """True when fewer than seven days are on show and there are days that way."""
        if self.view is None or self.days_shown >= len(self.view.days):
            return False
        if step < 0:
            return self.first_day > 0
        return self.first_day + self.days_shown < len(self.view.days)

    def move_days(self, step: int) -> None:
        """The days on show move ``step`` days along the week; the cursor keeps its day
        while that is on show, else it stays at the edge the days moved from."""
        view = self.view
        if view is None or not self.can_move_days(step):
            return
        at = self.cursor_coordinate
        row, cell = self.current()
        index = view.days.index(cell.day) if cell is not None else self.first_day
        last = len(view.days) - self.days_shown
        self.first_day = max(0, min(last, self.first_day + step))
        index = max(self.first_day, min(self.first_day + self.days_shown - 1, index))
        day = view.days[index]
        self._draw((row.id, day) if row is not None else None, day)
        if row is None:  # on a room's heading: the cursor stays on it
            self.move_cursor(row=at.row, column=index - self.first_day + 1, animate=False)

    def action_cursor_right(self) -> None:
        self._step_day(1)

    def action_cursor_left(self) -> None:
        self._step_day(-1)

    def _step_day(self, step: int) -> None:
        """Left and right move the cursor a day; past the edge of the days on show the
        days move with it."""
        row, cell = self.current()
        view = self.view
        if view is None or cell is None or row is None:
            if step > 0:
                super().action_cursor_right()
            else:
                super().action_cursor_left()
            return
        index = view.days.index(cell.day) + step
        if 0 <= index < len(view.days):
            self.go_to(row.id, view.days[index])

    def _styles(self) -> CellStyles:
        style = self.get_component_rich_style
        return CellStyles(
            gap=style("week-grid--gap"),
            warn=style("week-grid--warn"),
            leave=style("week-grid--leave"),
            night=style("week-grid--night"),
            vacant=style("week-grid--vacant"),
            swap=style("week-grid--swap"),
        )

    def _window(self, view: WeekView, layout: GridLayout, day: date | None) -> None:
        """How many whole days fit, and from which day, so that ``day`` is on show."""
        width = self._width()
        shown = max(1, min(7, (width - layout.label_width) // layout.day_width))
        self.days_shown = shown
        if shown == 7:
            self.first_day = 0
            return
        if day is not None and day in view.days:
            index = view.days.index(day)
            if index < self.first_day:
                self.first_day = index
            elif index >= self.first_day + shown:
                self.first_day = index - shown + 1
        self.first_day = max(0, min(self.first_day, 7 - shown))

    def _draw(self, target: tuple[int, date] | None, day: date | None = None) -> None:
        view = self.view
        if view is None or not self.is_mounted:
            return
        layout = self._layout_for(view)
        self.cell_layout = layout
        wanted = day or (target[1] if target else None)
        if wanted is None and self.today in view.days:
            wanted = self.today
        self._window(view, layout, wanted)
        days = self.shown_days
        styles = self._styles()
        self.clear(columns=True)
        # Days left out of the week: ``<`` before the first day on show and ``>`` after the
        # last, in the blank cell that ends each column (the keys that bring them).
        earlier, later = self.first_day > 0, self.first_day + len(days) < len(view.days)
        heading = Text(fit(_("Post") if view.by == "post" else _("Name"), layout.label_width - 2))
        if earlier:
            heading.pad_right(layout.label_width - 1 - heading.cell_len)
            heading.append("<", style="bold")
        self.add_column(heading, width=layout.label_width)
        today_style = self.get_component_rich_style("week-grid--today")
        for shown in days:
            label = Text(fit(day_label(shown, layout.mode), layout.content, crop=True))
            if shown == self.today:
                label.stylize(today_style)
            if later and shown == days[-1]:
                label.pad_right(layout.content - label.cell_len)
                label.append(">", style="bold")
            self.add_column(label, width=layout.day_width, key=shown.isoformat())
        self._rows = []
        room_style = self.get_component_rich_style("week-grid--room")
        last_room: int | None = -1
        for row in view.rows:
            if view.police_room_id is None and row.police_room_id != last_room:
                last_room = row.police_room_id
                widths = [layout.label_width] + [layout.day_width] * len(days)
                pieces = spread(self._heading(row, layout.mode), widths)
                self.add_row(
                    *[Text(piece, style=room_style) for piece in pieces],
                    key=f"room-{row.police_room_id}",
                )
                self._rows.append(None)
            self._add(view, row, layout, styles)
        if not view.rows:
            self.add_row(Text(_("No posts") if view.by == "post" else _("No staff")))
            self._rows.append(None)
        self._restore(target)

    def _heading(self, row: WeekRow, mode: Mode = "full") -> str:
        """The room's heading row in the all-rooms week: its code, and its name if room."""
        if row.police_room_id is None:
            return _("Branch and stations")
        names = self.room_names.get(row.police_room_id, ())
        if not names:
            return "—"
        return names[0].split(" ")[0] if mode == "tight" else names[0]

    def _short(self, view: WeekView, row: WeekRow) -> str:
        """A post's label without its room's or station's name (a person's name as it is)."""
        if view.by != "post":
            return row.label
        return short_label(row.label, self.room_names.get(row.police_room_id or 0, ())[1:])

    def _label(self, view: WeekView, row: WeekRow, layout: GridLayout) -> list[Text]:
        width = layout.label_width - 1
        label = self._short(view, row)
        lines = [Text(fit(label, width, crop=layout.mode == "tight"))]
        if layout.mode == "full":
            lines.append(Text(fit(row.detail, width), style="dim"))
        return lines

    def _add(self, view: WeekView, row: WeekRow, layout: GridLayout, styles: CellStyles) -> None:
        label = self._label(view, row, layout)
        # A person's posts are named without the shown room's (or their own room's) name.
        room = view.police_room_id if view.police_room_id is not None else row.police_room_id
        prefixes = self.room_names.get(room or 0, ())[1:]
        cells = [
            cell_lines(view, cell, layout, styles, self.swapping, prefixes)
            for cell in row.cells[self.first_day : self.first_day + self.days_shown]
        ]
        height = max([len(label), *(len(lines) for lines in cells)])
        self.add_row(
            Text("\n").join(label),
            *[Text("\n").join(lines) for lines in cells],
            height=height,
            key=f"{view.by}-{row.id}",
        )
        self._rows.append(row)

    def _restore(self, target: tuple[int, date] | None) -> None:
        if target is not None:
            self.go_to(target[0], target[1])
        elif self.view is not None and self.today in self.shown_days:
            first = next((i for i, row in enumerate(self._rows) if row is not None), 0)
            self.move_cursor(row=first, column=self.shown_days.index(self.today) + 1)
        else:
            self.move_cursor(row=0, column=1)
        self._announce()

    def _width(self) -> int:
        # One cell stays free for the vertical scrollbar, so a long week never reflows.
        return max(20, (self.scrollable_content_region.width or self.size.width) - 1)

    def _layout_for(self, view: WeekView) -> GridLayout:
        need = max((cell_len(self._short(view, row)) for row in view.rows), default=8)
        # Rows by person are labelled with names: those stay whole too.
        most = need + 1 if view.by == "staff" else 14
        names = names_need(view, self.swapping)
        headings = 0
        if view.police_room_id is None:  # every room: a heading row per room
            headings = max((cell_len(self._heading(row)) for row in view.rows), default=0)
        return grid_layout(self._width(), need, names, most, heading_need=headings)

    def on_resize(self) -> None:
        if self.view is None:
            return
        layout = self._layout_for(self.view)
        fits = max(1, min(7, (self._width() - layout.label_width) // layout.day_width))
        if layout != self.cell_layout or fits != self.days_shown:
            self._draw(self.cursor_target())

    # --- the cursor -------------------------------------------------------------------

    def _announce(self) -> None:
        row, cell = self.current()
        self.post_message(self.CellHighlighted(self, row, cell))

    @on(DataTable.CellHighlighted)
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        if event.coordinate != self.cursor_coordinate:
            return  # the cursor moved on (a redraw put it back where it was)
        if event.coordinate.column == 0 and self.view is not None and self.view.rows:
            # The label column is not a day: the cursor steps onto Monday instead.
            self.move_cursor(column=1, animate=False)
            return
        self._announce()

    @on(DataTable.CellSelected)
    def _selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        row, cell = self.current()
        if row is not None and cell is not None:
            self.post_message(self.CellChosen(self, row, cell))


def cell_detail(view: WeekView, row: WeekRow, cell: WeekCell) -> Text:
    """The cell under the cursor in words: day, post or person, every shift in full, its gaps."""
    text = Text(f"{day_month(cell.day)} ", style="bold")
    text.append(Text(row.label))
    if cell.on_leave:
        text.append(" · ")
        text.append(_("on leave"))
    for shift in cell.shifts:
        text.append(" · ")
        text.append(f"{shift.starts_at:%H:%M}–{end_text(shift.starts_at, shift.ends_at)} ")
        who = shift.post_name if view.by == "staff" else (shift.staff_name or _("vacant"))
        text.append(Text(who))
        if shift.staff_kind is not None and view.by == "post":
            text.append(f" ({labels.label(shift.staff_kind)})", style="dim")
        if shift.status == ShiftStatus.CHANGED:
            text.append(" *", style="dim")
    for finding in cell.findings:
        text.append("\n")
        text.append(Text(f"! {finding.message}"))
    return text


def end_text(starts_at: datetime, ends_at: datetime) -> str:
    """``08:30``; with its day when the clock alone would read as the start or before it
    (``08:00–5/2 08:00`` for a whole day, not ``08:00–08:00``)."""
    if ends_at.date() > starts_at.date() and ends_at.time() >= starts_at.time():
        return f"{ends_at.month}/{ends_at.day} {ends_at:%H:%M}"
    return f"{ends_at:%H:%M}"
