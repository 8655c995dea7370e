"""What the ledger's screens' workers post when their work ends, and their groups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.message import Message

from policeroom.services.disputes.card import DisputeCard
from policeroom.services.disputes.sweeps import RoomBrief
from policeroom.services.org.grids import GridNode, StaffBrief
from policeroom.services.org.structure import PoliceRoomRow

CARD_READ = "dispute-card-read"
"""The dispute card's record, read when it opens and after a form over it saved."""
FORM_GRID = "dispute-form-grid"
"""The grid a dispute form starts in, or the grid of the first party chosen."""
FORM_OFFICER = "dispute-form-officer"
"""The responsible officer of the grid a new dispute is in, proposed as its officer."""
EXPORT_GRID = "ledger-export-grid"
"""The grid the ledger export starts with (the pane's)."""
PARTIES_SAVE = "dispute-parties-save"
"""A party taken off a dispute, and the parties read again after a change."""
SWEEP_LOAD = "sweep-form-load"
"""The police rooms and the rooms that have not confirmed the week's sweep."""


class DisputeRead(Message):
    """A dispute's card, read."""

    def __init__(self, card: DisputeCard) -> None:
        super().__init__()
        self.card = card


class PartiesRead(Message):
    """A dispute read again after its parties changed; ``highlight``: the party to show."""

    def __init__(self, card: DisputeCard, highlight: int) -> None:
        super().__init__()
        self.card = card
        self.highlight = highlight


class GridRead(Message):
    """The grid a form's grid field is to show; ``clean``: it counts as nothing typed."""

    def __init__(self, grid: GridNode, *, clean: bool = True) -> None:
        super().__init__()
        self.grid = grid
        self.clean = clean


class OfficerProposed(Message):
    """The responsible officer of grid ``grid_id`` (None: nobody answers for it)."""

    def __init__(self, grid_id: int, officer: StaffBrief | None) -> None:
        super().__init__()
        self.grid_id = grid_id
        self.officer = officer


class SweepsRead(Message):
    """The rooms a sweep may be confirmed for; ``missing``: those that have not confirmed
    the week of ``week``."""

    def __init__(
        self, rooms: Sequence[PoliceRoomRow], week: date, missing: Sequence[RoomBrief]
    ) -> None:
        super().__init__()
        self.rooms = list(rooms)
        self.week = week
        self.missing = list(missing)


SWEEP_MISSING = "sweep-weeks-missing"


class MissingSweepsRead(Message):
    """How many weeks of a statistics period the rooms of a row have not confirmed."""

    def __init__(self, missing: int) -> None:
        super().__init__()
        self.missing = missing
