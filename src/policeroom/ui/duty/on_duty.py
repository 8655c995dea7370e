"""Who is on duty now in the police room, with the phone to call them on (当班人员).

For the moment a call comes in: one line a person, the post, the name, the kind, the phone in
full and when the shift ends. Columns are aligned by terminal cells, so Chinese names line up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.services.duty.roster import OnDuty
from policeroom.ui.duty.week_layout import fit, short_label


def phone_text(phone: str) -> str:
    """``138 0000 0001`` for an 11-digit mobile number, else as stored."""
    digits = phone.strip()
    if len(digits) == 11 and digits.isdigit():
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return digits


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def on_duty_lines(
    people: Sequence[OnDuty],
    now: datetime,
    width: int,
    prefixes: Sequence[str] = (),
) -> Text:
    """The list as aligned lines no wider than ``width`` cells (the post shortened first)."""
    if not people:
        return Text(_("Nobody is on duty now."))
    rows = []
    for duty in people:
        until = f"{duty.until:%H:%M}"
        if duty.until.date() != now.date():
            until = f"{duty.until.month}/{duty.until.day} {until}"
        rows.append(
            (
                short_label(duty.post_name, prefixes),
                duty.staff_name,
                label(duty.staff_kind),
                phone_text(duty.phone) or "—",
                _("to {time}").format(time=until),
            )
        )
    name_w = max(cell_len(r[1]) for r in rows)
    kind_w = max(cell_len(r[2]) for r in rows)
    phone_w = max(cell_len(r[3]) for r in rows)
    until_w = max(cell_len(r[4]) for r in rows)
    fixed = name_w + phone_w + until_w + 3
    show_kind = width - fixed - kind_w - 1 >= 8
    if show_kind:
        fixed += kind_w + 1
    post_w = max(4, min(max(cell_len(r[0]) for r in rows), width - fixed))
    text = Text()
    for index, (post, name, kind, phone, until) in enumerate(rows):
        if index:
            text.append("\n")
        text.append(_pad(fit(post, post_w), post_w) + " ", style="dim")
        text.append(Text(_pad(name, name_w) + " ", style="bold"))
        if show_kind:
            text.append(_pad(kind, kind_w) + " ", style="dim")
        text.append(_pad(phone, phone_w) + " ")
        text.append(until, style="dim")
    return text


class OnDutyPanel(VerticalScroll):
    """The people on duty now; ``show`` replaces the list."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.people: tuple[OnDuty, ...] = ()
        self.now: datetime | None = None
        self.prefixes: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Text(_("On duty now")), classes="on-duty--title")
        yield Static("", classes="on-duty--list")

    def show(self, people: Sequence[OnDuty], now: datetime, prefixes: Sequence[str] = ()) -> None:
        self.people = tuple(people)
        self.now = now
        self.prefixes = tuple(prefixes)
        title = _("On duty now {time}").format(time=f"{now:%H:%M}")
        self.query_one(".on-duty--title", Static).update(Text(title))
        self._draw()

    def _draw(self) -> None:
        if self.now is None or not self.is_mounted:
            return
        width = max(20, self.scrollable_content_region.width or self.size.width)
        self.query_one(".on-duty--list", Static).update(
            on_duty_lines(self.people, self.now, width, self.prefixes)
        )

    def on_resize(self) -> None:
        self._draw()

    @property
    def plain(self) -> str:
        """What the panel says, as text (for tests and the e2e checks)."""
        if self.now is None:
            return ""
        return on_duty_lines(self.people, self.now, 200, self.prefixes).plain
