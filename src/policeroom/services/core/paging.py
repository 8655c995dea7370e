"""Pages of a list: a window onto the database, never the whole table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page(Generic[Row]):
    """``rows`` in list order; ``after`` is the keyset cursor for the next page (None = end)."""

    rows: Sequence[Row]
    after: tuple[object, ...] | None
    total: int | None = None

    @property
    def has_more(self) -> bool:
        return self.after is not None


def clamp_page_size(size: int) -> int:
    return max(1, min(size, MAX_PAGE_SIZE))
