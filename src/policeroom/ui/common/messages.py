"""What the shared widgets' workers post, their worker groups, and what one area asks of another.

The first part is for the widgets of this package (forms, lookups, paged tables): each
worker's result comes back to the widget that asked as one of these messages. The second
part holds requests: an area that needs a screen of another area (a visit that turns up a
dispute) posts one of them, carrying plain data, and the app answers it by opening the
screen. Areas never import each other's screens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from policeroom.ui.common.choice import Choice

if TYPE_CHECKING:
    # A type only: the app that answers these messages is defined before the services load.
    from policeroom.services.people.visits import VisitRow

FORM_SAVE = "form-save"
"""A form's ``submit``, run when ``ctrl+s`` is pressed."""
LOOKUP_SEARCH = "lookup-search"
"""A lookup field's search for what was typed."""
TABLE_READ = "paged-table-read"
"""A paged table's window of rows."""
TABLE_COUNT = "paged-table-count"
"""A paged table's count of its list, read after its first rows are on screen."""


# --- results of the shared widgets' workers ---------------------------------------------


class FormSaved(Message):
    """The service saved what the form holds; ``result`` is what ``submit`` returned."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class MatchesFound(Message):
    """What a lookup's search found for ``text``."""

    def __init__(self, text: str, matches: Sequence[Choice]) -> None:
        super().__init__()
        self.text = text
        self.matches = list(matches)


@dataclass(frozen=True)
class WindowRequest:
    """A paged table's read: the list's ``generation`` and which rows; ``first`` is the
    first read of that list, after which its count is read."""

    generation: int
    offset: int
    limit: int
    first: bool


class WindowRead(Message):
    """The rows that a paged table's read found."""

    def __init__(self, request: WindowRequest, rows: Sequence[object]) -> None:
        super().__init__()
        self.request = request
        self.rows = list(rows)


class CountRead(Message):
    """How many rows the list of ``generation`` holds."""

    def __init__(self, generation: int, total: int) -> None:
        super().__init__()
        self.generation = generation
        self.total = total


# --- what one area asks of another ------------------------------------------------------


@dataclass(frozen=True)
class DisputeDraft:
    """What a new dispute starts with: its first ``parties`` and ``grid_id``, or a ``visit``
    (the dispute was found on it: its residents, grid, date and the source "visit")."""

    parties: tuple[Choice, ...] = ()
    grid_id: int | None = None
    visit: VisitRow | None = None


class DisputeRequested(Message):
    """Register a dispute starting from ``draft``; ``closed`` gets what the form returns
    (the dispute saved, or None), as a ``push_screen`` callback would."""

    def __init__(self, draft: DisputeDraft, closed: Callable[[Any], None] | None = None) -> None:
        super().__init__()
        self.draft = draft
        self.closed = closed


class FigureFilterLifted(Message):
    """``escape`` lifted the narrowing that a statistics figure put on the ``lister`` pane
    ("residents" or "disputes"): the officer goes back to the statistics, where they were."""

    def __init__(self, lister: str) -> None:
        super().__init__()
        self.lister = lister
