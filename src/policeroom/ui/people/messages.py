"""What the residents pane's screens' workers post when their work ends, and their groups."""

from __future__ import annotations

from textual.message import Message

from policeroom.services.org.grids import GridNode
from policeroom.services.people.residents import ResidentCard

FORM_LOAD = "resident-form-load"
"""The resident (to edit) or the grid (a new resident starts in) read when the form opens."""
CARD_READ = "resident-card-read"
"""The resident card's record, read when it opens and after a change made from it."""
REVEAL = "resident-card-reveal"
"""The resident's full ID and phone number, read and written to the audit log."""
LOOKUP = "resident-lookup"
"""A resident of any police room found by full ID number (audited)."""


class ResidentRead(Message):
    """A resident's card, read for the form or the card screen that asked."""

    def __init__(self, card: ResidentCard) -> None:
        super().__init__()
        self.card = card


class GridRead(Message):
    """The grid a new resident's form starts in."""

    def __init__(self, grid: GridNode) -> None:
        super().__init__()
        self.grid = grid


class NumbersRevealed(Message):
    """The resident's full ID and phone number, and the birth date they hide (each reveal is
    in the audit log; ``birth_date`` is "" when the card never hid it)."""

    def __init__(self, id_number: str, phone: str, birth_date: str = "") -> None:
        super().__init__()
        self.id_number = id_number
        self.phone = phone
        self.birth_date = birth_date
